"""`/openapi.json`: the OpenAPI 3.1 description of the saved queries, built from their files."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from ..queries.catalog import load_catalog
from ..queries.openapi_doc import document
from .formats import FORM_FORMATS, offered_types
from .saved_queries import base_iri, candidates

bp = Blueprint("openapi", __name__)


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """The document; allowed values come from the served graph, so it is made per application."""
    formats = FORM_FORMATS["SELECT"]
    body = document(
        load_catalog(),
        candidates(),
        base_iri(),
        formats,
        offered_types(formats),
        server_url=request.host_url.rstrip("/"),
    )
    return jsonify(body)
