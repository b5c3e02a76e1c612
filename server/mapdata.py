"""The spatial structure as the graph states it: cities by area, axes, metropolitan area, projects.

`/map` draws it in the browser (static/map.js); `/map/data.json` is its machine twin; resource
pages of places get a small server-drawn locator map from the same data.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template

from .links import pick
from .lookup import select

bp = Blueprint("map", __name__)

CACHE = "zhongyuan_kg.pages.map_data"

_CITIES = """
SELECT ?city ?areaType ?lat ?long ?label WHERE {
  VALUES ?areaType { zy:CoreDevelopmentArea zy:LinkedRadiationArea }
  ?area a ?areaType .
  { ?city zy:memberOf ?area } UNION { ?area zy:hasMember ?city }
  ?city a zy:City ; wgs:lat ?lat ; wgs:long ?long ; rdfs:label ?label .
}"""

# An axis is drawn through its node cities and the places the plan says it passes through
# (郑州 for three of them), in their order along it (`along`).
_AXES = """
SELECT ?axis ?label ?main ?city ?lat ?long WHERE {
  ?axis a zy:DevelopmentAxis ; rdfs:label ?label .
  { ?axis zy:hasNodeCity ?city } UNION { ?city zy:nodeCityOf ?axis }
  UNION { ?axis zy:passesThrough ?city }
  ?city wgs:lat ?lat ; wgs:long ?long .
  BIND(EXISTS { ?axis a zy:MainDevelopmentAxis } AS ?main)
}"""

_METROPOLITAN = """
SELECT ?area ?label ?city ?role WHERE {
  ?area a zy:MetropolitanArea ; rdfs:label ?label .
  { { ?area zy:hasMember ?city } UNION { ?city zy:memberOf ?area } BIND("member" AS ?role) }
  UNION
  { { ?area zy:hasLinkedPartner ?city } UNION { ?city zy:linkedPartnerOf ?area }
    BIND("partner" AS ?role) }
}"""

# Projects at the places the records locate them in (asserted, so the most specific place),
# by their kind: the direct, named subclasses of zy:Project.
_PROJECTS = """
SELECT ?project ?label ?kind ?kindLabel ?lat ?long WHERE {
  GRAPH <https://w3id.org/zhongyuan-kg/graph/ontology> {
    ?kind rdfs:subClassOf zy:Project ; rdfs:label ?kindLabel
  }
  FILTER NOT EXISTS { ?kind owl:equivalentClass ?definition }
  ?project a ?kind ; rdfs:label ?label .
  GRAPH <https://w3id.org/zhongyuan-kg/graph/facts> { ?project zy:locatedIn ?place }
  ?place wgs:lat ?lat ; wgs:long ?long .
}"""


def _lang(term: Any) -> str:
    return getattr(term, "language", None) or ""


def _labelled(store: dict[str, dict[str, Any]], key: str, label: Any, **fields: Any) -> None:
    entry = store.setdefault(key, {"iri": key, "label": {}, **fields})
    entry["label"].setdefault(_lang(label), str(label))


def along(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Node cities in their order along the axis: by projection on its longest span."""
    if len(points) < 2:
        return points
    first, last = max(
        ((a, b) for a in points for b in points),
        key=lambda pair: math.dist(
            (pair[0]["long"], pair[0]["lat"]), (pair[1]["long"], pair[1]["lat"])
        ),
    )
    # West end first (or south when the axis runs north–south).
    if (first["long"], first["lat"]) > (last["long"], last["lat"]):
        first, last = last, first
    dx, dy = last["long"] - first["long"], last["lat"] - first["lat"]
    return sorted(
        points, key=lambda p: (p["long"] - first["long"]) * dx + (p["lat"] - first["lat"]) * dy
    )


def build_map_data() -> dict[str, Any]:
    """The map's layers read from the served graph."""
    cities: dict[str, dict[str, Any]] = {}
    for row in select(_CITIES):
        area = "core" if str(row["areaType"]).endswith("CoreDevelopmentArea") else "linked"
        _labelled(
            cities,
            str(row["city"]),
            row["label"],
            area=area,
            lat=float(row["lat"]),
            long=float(row["long"]),
        )
    axes: dict[str, dict[str, Any]] = {}
    nodes: dict[str, dict[str, dict[str, Any]]] = {}
    for row in select(_AXES):
        key = str(row["axis"])
        _labelled(axes, key, row["label"], main=str(row["main"]).lower() == "true")
        nodes.setdefault(key, {})[str(row["city"])] = {
            "iri": str(row["city"]),
            "lat": float(row["lat"]),
            "long": float(row["long"]),
        }
    for key, axis in axes.items():
        axis["nodes"] = [node["iri"] for node in along(list(nodes[key].values()))]
    metropolitan: dict[str, dict[str, Any]] = {}
    for row in select(_METROPOLITAN):
        key = str(row["area"])
        _labelled(metropolitan, key, row["label"], members=[], partners=[])
        role = "members" if str(row["role"]) == "member" else "partners"
        if str(row["city"]) not in metropolitan[key][role]:
            metropolitan[key][role].append(str(row["city"]))
    kinds: dict[str, dict[str, Any]] = {}
    projects: dict[tuple[str, str, float, float], dict[str, Any]] = {}
    for row in select(_PROJECTS):
        kind = str(row["kind"])
        _labelled(kinds, kind, row["kindLabel"])
        spot = (str(row["project"]), kind, float(row["lat"]), float(row["long"]))
        entry = projects.setdefault(
            spot, {"iri": spot[0], "kind": kind, "lat": spot[2], "long": spot[3], "label": {}}
        )
        entry["label"].setdefault(_lang(row["label"]), str(row["label"]))
    for value in metropolitan.values():
        value["members"].sort()
        value["partners"].sort()
    return {
        "cities": sorted(cities.values(), key=lambda c: c["iri"]),
        "axes": sorted(axes.values(), key=lambda a: a["iri"]),
        "metropolitan": sorted(metropolitan.values(), key=lambda m: m["iri"]),
        "kinds": sorted(kinds.values(), key=lambda k: k["iri"]),
        "projects": sorted(projects.values(), key=lambda p: (p["kind"], p["iri"], p["lat"])),
    }


def map_data() -> dict[str, Any]:
    """The map's layers, read once per application (the served build does not change)."""
    data = current_app.extensions.get(CACHE)
    if data is None:
        data = current_app.extensions[CACHE] = build_map_data()
    return data


def locator_map(point: tuple[float, float], lang: str, width: float = 320) -> dict[str, Any]:
    """A small map: the 30 cities as context and the place as a marker, in SVG coordinates."""
    cities = map_data()["cities"]
    longs = [c["long"] for c in cities] + [point[0]]
    lats = [c["lat"] for c in cities] + [point[1]]
    west, east, south, north = min(longs) - 0.5, max(longs) + 0.5, min(lats) - 0.5, max(lats) + 0.5
    squeeze = math.cos(math.radians((north + south) / 2))  # equirectangular, true at mid-latitude
    scale = width / ((east - west) * squeeze)
    height = (north - south) * scale

    def project(long: float, lat: float) -> tuple[float, float]:
        return round((long - west) * squeeze * scale, 1), round((north - lat) * scale, 1)

    return {
        "width": round(width),
        "height": round(height),
        "cities": [(*project(c["long"], c["lat"]), pick(c["label"], lang)) for c in cities],
        "marker": project(*point),
    }


@bp.get("/map")
def map_page() -> str:
    """The map page; the drawing is done by static/map.js from /map/data.json."""
    return render_template("pages/map.html")


@bp.get("/map/data.json")
def map_json() -> Response:
    """The map's layers as JSON."""
    return jsonify(map_data())
