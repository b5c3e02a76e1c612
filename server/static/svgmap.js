// A tiny SVG map: equirectangular projection fitted to a set of points, and layer groups.
"use strict";
(function (global) {
  const SVG = "http://www.w3.org/2000/svg";

  function element(name, attributes, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    if (parent) parent.appendChild(node);
    return node;
  }

  // points: [{long, lat}]; returns {svg, project(long, lat) -> [x, y], layer(name)}.
  function create(container, points, width) {
    width = width || 900;
    const longs = points.map((p) => p.long), lats = points.map((p) => p.lat);
    const pad = 0.4;  // degrees around the points; more to the east, where the labels go
    const west = Math.min(...longs) - pad, east = Math.max(...longs) + 2 * pad;
    const south = Math.min(...lats) - pad, north = Math.max(...lats) + pad;
    // True scale at the middle latitude: the region is small enough for this to look right.
    const squeeze = Math.cos(((north + south) / 2) * Math.PI / 180);
    const scale = width / ((east - west) * squeeze);
    const height = Math.round((north - south) * scale);
    const svg = element("svg", {
      viewBox: `0 0 ${width} ${height}`, width: width, height: height, role: "img",
    });
    element("rect", { width: width, height: height, fill: "#f3f1ea" }, svg);
    container.replaceChildren(svg);
    const layers = {};
    return {
      svg: svg,
      width: width,
      height: height,
      project: (long, lat) => [
        Math.round((long - west) * squeeze * scale * 10) / 10,
        Math.round((north - lat) * scale * 10) / 10,
      ],
      layer: (name) => layers[name] || (layers[name] = element("g", { "data-layer": name }, svg)),
    };
  }

  global.SvgMap = { create: create, element: element };
})(window);
