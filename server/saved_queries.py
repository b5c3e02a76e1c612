"""Saved queries over HTTP: `/queries` lists them, `/queries/<name>` answers one like `/sparql`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from ..queries.allowed import allowed_values
from ..queries.catalog import Param, SavedQuery, load_catalog
from ..queries.paging import link_header
from ..queries.params import ParamError, SparqlCandidates
from ..queries.prepare import UnknownQuery, find, prepare
from ..queries.select import json_rows
from .app import endpoint
from .catalog_page import render_catalog_page
from .errors import ApiError
from .protocol import sparql_response

bp = Blueprint("saved_queries", __name__)

CANDIDATES = "zhongyuan_kg.saved_queries.candidates"
SHOWN_ALLOWED = 30  # allowed values named in a plain-text error; JSON errors carry them all


class SavedQueryError(ApiError):
    """A refused saved-query request; its JSON body also lists the allowed values."""

    def __init__(self, status: int, code: str, message: str, allowed: list[str]) -> None:
        shown = "; ".join(allowed[:SHOWN_ALLOWED]) + (" …" if len(allowed) > SHOWN_ALLOWED else "")
        super().__init__(status, code, f"{message} (allowed: {shown})" if allowed else message)
        self.allowed = allowed

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "allowed": self.allowed}


def _select(text: str) -> list[dict[str, Any]]:
    # Our own query over the served dataset, through the same pool and limits as any other.
    policy = endpoint().policy
    return json_rows(policy.run(policy.prepare(text), "json").body)


def candidates() -> SparqlCandidates:
    """The allowed values of IRI parameters, read from the served graph once per application."""
    if CANDIDATES not in current_app.extensions:
        page = endpoint().settings["max_rows"]  # a page the row cap never cuts
        current_app.extensions[CANDIDATES] = SparqlCandidates(_select, page)
    return current_app.extensions[CANDIDATES]


def base_iri() -> str:
    """The instance base of the served graph, for id paths such as `axis/longhai`."""
    return endpoint().settings["base_iri"]


def describe_param(param: Param) -> dict[str, object]:
    """A parameter as the JSON listing shows it, with its allowed values when they are few."""
    out: dict[str, object] = {
        "name": param.name,
        "type": param.type,
        "list": param.many,
        "required": param.required,
        "default": list(param.default),
        "examples": list(param.examples),
        "description": param.description,
    }
    for key, value in (("class", param.cls), ("scheme", param.scheme)):
        if value:
            out[key] = value
    if param.subclass_of:
        out["subclassOf"] = param.subclass_of
    allowed = allowed_values(param, candidates(), base_iri())
    if allowed is not None:
        out["allowed"] = [value.as_dict() for value in allowed]
    return out


def describe(query: SavedQuery) -> dict[str, object]:
    """A saved query as the JSON listing shows it."""
    return {
        "name": query.name,
        "url": request.host_url.rstrip("/") + f"/queries/{query.name}",
        "title": query.title,
        "description": query.description,
        "covers": list(query.covers),
        "view": query.view,
        "parameters": [describe_param(param) for param in query.params],
    }


def _wants_html() -> bool:
    if request.args.get("format"):
        return request.args["format"] == "html"
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html"


@bp.get("/queries")
def catalog() -> Response | str:
    """The catalog: an HTML list for browsers, JSON for clients."""
    queries = list(load_catalog().values())
    if _wants_html():
        return render_catalog_page(queries, candidates(), base_iri())
    return jsonify({"queries": [describe(query) for query in queries]})


def _given() -> dict[str, list[str]]:
    given: dict[str, list[str]] = {}
    sources = [request.args] + ([request.form] if request.method == "POST" else [])
    for source in sources:
        for name, value in source.items(multi=True):
            given.setdefault(name, []).append(value)
    return given


@bp.route("/queries/<path:name>", methods=["GET", "POST"])
def saved(name: str) -> Response:
    """One saved query, its parameters bound as RDF terms, answered exactly like `/sparql`."""
    catalog_ = load_catalog()
    try:
        query = find(catalog_, name)
    except UnknownQuery as error:
        raise SavedQueryError(404, "unknown-query", str(error), error.close) from None
    given = _given()
    try:
        prepared = prepare(query, given, candidates(), base_iri())
    except ParamError as error:
        raise SavedQueryError(400, "bad-parameter", str(error), error.allowed) from None
    response = sparql_response(prepared.sparql)
    if prepared.page is not None and response.status_code == 200:
        rows = int(response.headers.get("X-Result-Rows", "0"))
        pairs = [(key, value) for key, values in given.items() for value in values]
        url = request.base_url
        response.headers["Link"] = link_header(
            url, pairs, prepared.page, rows >= prepared.page.limit
        )
    return response
