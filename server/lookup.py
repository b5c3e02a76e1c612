"""Our own read queries over the served dataset, through the same pool, policy and limits."""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app
from rdflib import URIRef
from rdflib.term import Identifier

from ..queries.select import json_rows
from .app import endpoint

VOCABULARY_LABELS = "zhongyuan_kg.pages.vocabulary_labels"

# Labels of the ontology's classes and properties (and the SKOS concepts), read once per app.
_TERM_LABELS = """
SELECT ?term ?label WHERE {
  GRAPH <https://w3id.org/zhongyuan-kg/graph/ontology> { ?term rdfs:label ?label }
}"""


def select(
    query: str, bindings: Mapping[str, Identifier] | None = None
) -> list[dict[str, Identifier]]:
    """The solutions of a SELECT as dicts of rdflib terms."""
    policy = endpoint().policy
    return json_rows(policy.run(policy.prepare(query), "json", bindings).body)


def construct(
    query: str, format_name: str, bindings: Mapping[str, Identifier] | None = None
) -> tuple[bytes, int]:
    """A CONSTRUCT result in one of the graph formats (`ttl`, `nt` …) and its triple count."""
    policy = endpoint().policy
    answer = policy.run(policy.prepare(query), format_name, bindings)
    return answer.body, answer.rows


def term_labels() -> dict[URIRef, dict[str, str]]:
    """Labels by language of every ontology and vocabulary term, cached per application."""
    cached = current_app.extensions.get(VOCABULARY_LABELS)
    if cached is None:
        cached = {}
        for row in select(_TERM_LABELS):
            term, label = row["term"], row["label"]
            lang = getattr(label, "language", None) or ""
            cached.setdefault(term, {}).setdefault(lang, str(label))
        current_app.extensions[VOCABULARY_LABELS] = cached
    return cached
