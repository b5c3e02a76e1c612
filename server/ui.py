"""The query UI at `/query`: editor, saved-query gallery with parameter forms, results, map."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from ..namespaces import PREFIXES
from ..queries.catalog import load_catalog

bp = Blueprint("ui", __name__)

STARTER = """SELECT ?city ?label ?lat ?long WHERE {
  ?city zy:memberOf <area/core> ;
        rdfs:label ?label ;
        wgs:lat ?lat ;
        wgs:long ?long .
  FILTER(LANG(?label) = "zh")
}
ORDER BY ?city"""


@bp.get("/query")
def query_page() -> str:
    """The editor page; static/query.js reads `?query=` or `?saved=` (+ parameters) and runs it."""
    return render_template("pages/query.html", prefixes=PREFIXES, starter=STARTER)


@bp.get("/query/saved/<name>.rq")
def saved_text(name: str) -> Response:
    """The SPARQL text of a saved query, for the editor."""
    query = load_catalog().get(name)
    if query is None:
        abort(404, description=f"no saved query named {name}")
    return Response(query.sparql, content_type="application/sparql-query; charset=utf-8")
