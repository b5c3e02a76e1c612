"""The home page, label search, and what every HTML page shares: language, links, CSP."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request
from rdflib import Literal, URIRef
from rdflib.term import Identifier

from ..namespaces import GRAPH_FACTS, ONTOLOGY_IRI, ZY
from ..queries.catalog import load_catalog
from .app import endpoint
from .i18n import current, remember, word
from .linked_data import DIST_FILES, dist_folder
from .links import display, href, pick, prefixed
from .lookup import select, term_labels

bp = Blueprint("pages", __name__)

POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
# The classes the home page counts (with inferences: a city is also a place).
COUNTED = (
    "Place",
    "City",
    "CountyLevelUnit",
    "PlanningArea",
    "DevelopmentAxis",
    "Project",
    "TransportProject",
    "EnergyProject",
    "WaterProject",
    "Designation",
    "PilotDesignation",
    "Industry",
    "Target",
    "GovernmentBody",
    "Passage",
    "Citation",
)
_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class
"""
_FACT_SUBJECTS = (
    f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{GRAPH_FACTS}> {{ ?s ?p ?o }} }}"
)
_LICENCE = f"SELECT ?licence WHERE {{ <{ONTOLOGY_IRI}> dcterms:license ?licence }}"
_SEARCH = """
SELECT ?s ?label WHERE {
  ?s rdfs:label ?label .
  FILTER(CONTAINS(LCASE(STR(?label)), LCASE(STR(?q))))
  FILTER NOT EXISTS { ?s a zy:Citation }
}
LIMIT 300"""


@bp.app_context_processor
def page_helpers() -> dict[str, Any]:
    """Language, words, links and labels for every template."""
    lang = current()
    base = endpoint().settings["base_iri"]
    other = "en" if lang == "zh" else "zh"
    args = {key: value for key, value in request.args.items(multi=True) if key != "lang"}
    switch = request.path + "?" + urlencode([*args.items(), ("lang", other)])
    return {
        "lang": lang,
        "w": lambda key: word(key, lang),
        "href": lambda iri: href(str(iri), base),
        "show": lambda term, labels=None: display(term, labels or {}, lang),
        "pick": lambda labels, fallback="": pick(labels, lang, fallback),
        "prefixed": lambda iri: prefixed(str(iri)),
        "is_literal": lambda term: isinstance(term, Literal),
        "switch_url": switch,
        "base_iri": base,
    }


@bp.after_app_request
def protect(response: Response) -> Response:
    """Every HTML page: same-origin only, no inline scripts; the language choice kept."""
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
    return remember(response)


def build_record() -> dict[str, Any]:
    """The build's `build.json`, as read once at start-up (empty when the dataset has none)."""
    return endpoint().build.record


def class_counts() -> list[tuple[URIRef, int]]:
    """How many instances each counted class has, in the order of COUNTED."""
    counts = {row["class"]: int(row["n"]) for row in select(_COUNTS)}
    return [(ZY[name], counts.get(ZY[name], 0)) for name in COUNTED]


def licence() -> str | None:
    """The licence the ontology declares."""
    rows = select(_LICENCE)
    return str(rows[0]["licence"]) if rows else None


@bp.get("/")
def home() -> str:
    """What the graph holds, the saved queries, downloads and machine-readable descriptions."""
    record = build_record()
    folder = dist_folder()
    return render_template(
        "pages/home.html",
        counts=class_counts(),
        labels=term_labels(),
        graphs=sorted((record.get("triples") or {}).items()),
        built=record.get("built"),
        engine=record.get("engine"),
        licence=licence(),
        queries=list(load_catalog().values()),
        downloads=[name for name in DIST_FILES if (folder / name).exists()],
    )


def search_results(text: str) -> list[tuple[Identifier, dict[str, str]]]:
    """Resources whose label contains `text`, exact matches first, then shorter labels."""
    found: dict[Identifier, dict[str, str]] = {}
    for row in select(_SEARCH, {"q": Literal(text)}):
        label = row["label"]
        found.setdefault(row["s"], {}).setdefault(
            getattr(label, "language", None) or "", str(label)
        )
    needle = text.lower()

    def rank(item: tuple[Identifier, dict[str, str]]) -> tuple[bool, int, str]:
        labels = item[1].values()
        exact = any(label.lower() == needle for label in labels)
        return (not exact, min(len(label) for label in labels), str(item[0]))

    return sorted(found.items(), key=rank)


@bp.get("/search")
def search() -> str:
    """Label search over the graph (zh or en, case-insensitive substring)."""
    text = request.args.get("q", "").strip()[:100]
    results = search_results(text) if text else []
    return render_template("pages/search.html", q=text, results=results)
