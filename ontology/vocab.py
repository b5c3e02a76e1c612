"""Closed namespaces of the ontology's own terms, read from its Turtle: a typo raises."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import ClosedNamespace

from zhongyuan_kg.namespaces import KIND as _KIND
from zhongyuan_kg.namespaces import STAGE as _STAGE
from zhongyuan_kg.namespaces import ZY as _ZY
from zhongyuan_kg.ontology.load import declared_terms, ontology_graph

__all__ = ["KIND", "STAGE", "ZY", "closed"]


def closed(namespace: str, terms: dict[URIRef, str]) -> ClosedNamespace:
    """The declared terms under `namespace`, as a namespace that rejects any other name."""
    names = sorted(str(t)[len(namespace) :] for t in terms if str(t).startswith(namespace))
    return ClosedNamespace(namespace, names)


_TERMS = declared_terms(ontology_graph())
ZY = closed(str(_ZY), _TERMS)
STAGE = closed(str(_STAGE), _TERMS)
KIND = closed(str(_KIND), _TERMS)
