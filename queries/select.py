"""Rows of a SELECT as rdflib terms, read from SPARQL JSON results of whatever engine ran it."""

from __future__ import annotations

import json
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier


def _term(cell: dict[str, Any]) -> Identifier:
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    return Literal(value, lang=cell.get("xml:lang"), datatype=cell.get("datatype"))


def json_rows(body: bytes | str) -> list[dict[str, Identifier]]:
    """Each solution of an application/sparql-results+json document as a dict of terms."""
    document = json.loads(body)
    return [
        {name: _term(cell) for name, cell in binding.items()}
        for binding in document["results"]["bindings"]
    ]
