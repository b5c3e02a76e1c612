// The /map page: cities by area, the four axes, the metropolitan area and projects by kind.
"use strict";
(function () {
  const lang = document.body.dataset.lang || "zh";
  const base = document.body.dataset.base || "";
  const { element } = window.SvgMap;
  const AREA_COLOURS = { core: "#c0392b", linked: "#2e6fb0" };
  const KIND_COLOURS = ["#7d3c98", "#d35400", "#16a085", "#b7950b", "#2c3e50", "#c2185b",
    "#00838f", "#6d4c41", "#558b2f", "#5d6d7e"];

  function label(labels) {
    return labels[lang] || labels[lang === "zh" ? "en" : "zh"] || labels[""] || "";
  }

  function local(iri) {
    return iri.startsWith(base) ? "/id/" + iri.slice(base.length) : iri;
  }

  function linked(parent, iri) {
    return element("a", { href: local(iri) }, parent);
  }

  // Gift-wrapping hull of the metropolitan area's member cities (a handful of points).
  function hull(points) {
    const sorted = points.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const cross = (o, a, b) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    const half = (list) => {
      const out = [];
      for (const p of list) {
        while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], p) <= 0) out.pop();
        out.push(p);
      }
      out.pop();
      return out;
    };
    return half(sorted).concat(half(sorted.slice().reverse()));
  }

  function draw(data) {
    const container = document.getElementById("map");
    const map = window.SvgMap.create(container, data.cities);
    const cities = new Map(data.cities.map((c) => [c.iri, c]));
    const at = (iri) => map.project(cities.get(iri).long, cities.get(iri).lat);

    const metro = map.layer("metropolitan");
    for (const area of data.metropolitan) {
      const corners = hull(area.members.filter((m) => cities.has(m)).map(at));
      const shape = element("polygon", {
        points: corners.map((p) => p.join(",")).join(" "), fill: "#f5b041", "fill-opacity": 0.3,
        stroke: "#d68910", "stroke-width": 2, class: "metropolitan-area", "data-iri": area.iri,
      }, linked(metro, area.iri));
      element("title", {}, shape).textContent = label(area.label);
      for (const partner of area.partners.filter((p) => cities.has(p))) {
        const [x, y] = at(partner);
        element("circle", { cx: x, cy: y, r: 11, fill: "none", stroke: "#d68910",
          "stroke-dasharray": "3 2", "stroke-width": 1.5, class: "metropolitan-partner" }, metro);
      }
    }

    const axes = map.layer("axes");
    for (const axis of data.axes) {
      const points = axis.nodes.map((iri) => {
        const c = cities.get(iri);
        return c ? map.project(c.long, c.lat) : null;
      }).filter(Boolean);
      const line = element("polyline", {
        points: points.map((p) => p.join(",")).join(" "), fill: "none",
        stroke: axis.main ? "#6c3483" : "#a569bd", "stroke-width": axis.main ? 5 : 3,
        "stroke-linecap": "round", "stroke-linejoin": "round", "stroke-opacity": 0.75,
        class: "axis-line", "data-iri": axis.iri,
      }, linked(axes, axis.iri));
      element("title", {}, line).textContent = label(axis.label);
    }

    const kinds = new Map(data.kinds.map((k, i) => [k.iri, KIND_COLOURS[i % KIND_COLOURS.length]]));
    const panel = document.getElementById("project-layers");
    for (const kind of data.kinds) {
      const name = "project:" + kind.iri;
      const group = map.layer(name);
      group.setAttribute("visibility", "hidden");
      const items = data.projects.filter((p) => p.kind === kind.iri);
      for (const project of items) {
        const [x, y] = map.project(project.long, project.lat);
        const jitter = (project.iri.length % 7) - 3;  // spread projects sharing a city a little
        const mark = element("rect", { x: x - 3 + jitter, y: y - 3 - jitter, width: 6, height: 6,
          fill: kinds.get(kind.iri), class: "project-marker" }, linked(group, project.iri));
        element("title", {}, mark).textContent = label(project.label);
      }
      const row = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.dataset.layer = name;
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = kinds.get(kind.iri);
      row.append(box, " ", swatch, `${label(kind.label)} (${items.length})`);
      panel.appendChild(row);
    }

    const layer = map.layer("cities");
    for (const city of data.cities) {
      const [x, y] = map.project(city.long, city.lat);
      const link = linked(layer, city.iri);
      const dot = element("circle", { cx: x, cy: y, r: 6, fill: AREA_COLOURS[city.area],
        stroke: "#fff", "stroke-width": 1.5, class: "city-marker " + city.area,
        "data-iri": city.iri }, link);
      element("title", {}, dot).textContent = label(city.label);
      const text = element("text", { x: x + 8, y: y + 4, "font-size": 13, fill: "#1d2330",
        class: "city-label" }, link);
      text.textContent = label(city.label);
    }

    document.getElementById("layers").addEventListener("change", (event) => {
      const name = event.target.dataset.layer;
      if (name) map.layer(name).setAttribute("visibility", event.target.checked ? "visible" : "hidden");
    });
    container.dataset.ready = "true";
  }

  const source = document.getElementById("map").dataset.source;
  fetch(source, { headers: { Accept: "application/json" } })
    .then((response) => response.json())
    .then(draw);
})();
