"""Where an IRI of the graph lives on this server, and how to name a term for people."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from ..namespaces import ONTOLOGY_IRI, PREFIXES, SITE, ZY

VOCAB = SITE + "vocab/"


def local_path(iri: str, base: str) -> str | None:
    """The path on this server that dereferences `iri`, or None for an IRI from elsewhere."""
    if iri.startswith(base) and len(iri) > len(base):
        return "/id/" + iri[len(base) :]
    if iri.startswith(VOCAB) and len(iri) > len(VOCAB):
        return "/vocab/" + iri[len(VOCAB) :]
    if iri.startswith(str(ZY)):
        return "/ontology#" + iri[len(str(ZY)) :]
    if iri == ONTOLOGY_IRI:
        return "/ontology"
    return None


def href(iri: str, base: str) -> str | None:
    """A link target for an IRI: its local path, an outside http(s) IRI as is, else nothing."""
    local = local_path(iri, base)
    if local is not None:
        return local
    return iri if iri.startswith(("http://", "https://")) else None


def prefixed(iri: str) -> str:
    """A short name for an IRI (`zy:City`), or the IRI itself when no prefix fits."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def labels_by_language(values: Iterable[Identifier]) -> dict[str, str]:
    """The first label in each language among literals (untagged ones under '')."""
    found: dict[str, str] = {}
    for value in values:
        if isinstance(value, Literal):
            found.setdefault(value.language or "", str(value))
    return found


def pick(labels: Mapping[str, str], lang: str, fallback: str = "") -> str:
    """The label in the page's language, else in the other one, else untagged, else fallback."""
    for key in (lang, "zh" if lang == "en" else "en", ""):
        if labels.get(key):
            return labels[key]
    return next(iter(labels.values()), fallback)


def display(term: Identifier, labels: Mapping[str, str], lang: str) -> str:
    """What a page shows for a term: its label, else its short name."""
    return pick(labels, lang, prefixed(str(term)) if isinstance(term, URIRef) else str(term))
