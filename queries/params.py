"""Validate saved-query parameters and bind them as RDF terms — never as text the user wrote."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from rdflib import XSD, Literal, URIRef

from zhongyuan_kg.namespaces import DEFAULT_BASE, PREFIXES
from zhongyuan_kg.queries.catalog import Param, SavedQuery, values_block

MAX_VALUE_LENGTH = 500  # no label or IRI in the graph is longer: longer input is a mistake
MAX_LIST_LENGTH = 100
_INTEGER = re.compile(r"[+-]?[0-9]+")  # what int() reads, in ASCII: not `+-5`, not `¹`
# xsd:decimal's lexical form, in ASCII. No exponent: rdflib writes a decimal out in full, so
# `1e999999999` would become a billion digits in the HTTP process (and `1e99…9` a MemoryError).
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


class ParamError(ValueError):
    """A parameter value that cannot be bound; the message says which and what is allowed."""

    def __init__(self, message: str, allowed: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.allowed = list(allowed)


@dataclass(frozen=True)
class Candidate:
    """One allowed value of an IRI parameter with the labels a user may type instead."""

    iri: str
    labels: tuple[str, ...]  # zh first, then en, then alternative labels

    @property
    def display(self) -> str:
        return f"{self.labels[0]} <{self.iri}>" if self.labels else f"<{self.iri}>"


class Choices(list[Candidate]):
    """The allowed values with lookups by IRI and by label, built once per list, not per request.

    A graph of a hundred plans has some 20,000 passages and places: scanning them for each
    request costs more than answering the query.
    """

    def __init__(self, candidates: Iterable[Candidate] = ()) -> None:
        super().__init__(candidates)
        self.by_iri = {c.iri: c for c in self}
        self.by_label: dict[str, list[Candidate]] = {}
        for candidate in self:
            for key in dict.fromkeys(normalise(label) for label in candidate.labels):
                self.by_label.setdefault(key, []).append(candidate)


class CandidateSource(Protocol):
    """Where the allowed values of an IRI parameter come from (the loaded graph)."""

    def candidates(self, param: Param) -> Sequence[Candidate]: ...


def expand(value: str, base: str) -> str:
    """A full IRI from an IRI, a prefixed name (stage:jiancheng) or an id path (axis/longhai)."""
    if value.startswith(("http://", "https://")):
        return value
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    return base + value


def normalise(label: str) -> str:
    """A label as matching compares it: spaces collapsed, case folded."""
    return " ".join(label.split()).casefold()


def _resolve_iri(param: Param, value: str, choices: Sequence[Candidate], base: str) -> URIRef:
    index = choices if isinstance(choices, Choices) else Choices(choices)
    iri = expand(value, base)
    if iri in index.by_iri:
        return URIRef(iri)
    matches = index.by_label.get(normalise(value), [])
    if len(matches) == 1:
        return URIRef(matches[0].iri)
    if len(matches) > 1:
        raise ParamError(
            f"parameter '{param.name}': {value!r} matches several values; give one of their IRIs",
            [c.display for c in matches],
        )
    every_label = {label: c for c in choices for label in c.labels}
    close = difflib.get_close_matches(value, list(every_label), n=5, cutoff=0.5)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise ParamError(
        f"parameter '{param.name}': {value!r} is not an allowed value{hint}",
        [c.display for c in choices],
    )


def _literal(param: Param, value: str) -> Literal:
    if param.type == "integer":
        if not _INTEGER.fullmatch(value.strip()):
            raise ParamError(f"parameter '{param.name}': {value!r} is not an integer")
        return Literal(int(value), datatype=XSD.integer)
    if param.type == "decimal":
        text = value.strip()
        if not _DECIMAL.fullmatch(text):
            raise ParamError(
                f"parameter '{param.name}': {value!r} is not a number written as a decimal "
                "(digits, an optional point; no exponent)"
            )
        return Literal(Decimal(text), datatype=XSD.decimal)
    return Literal(value)


def resolve(
    query: SavedQuery,
    given: Mapping[str, Sequence[str]],
    source: CandidateSource,
    base: str = DEFAULT_BASE,
) -> dict[str, list[URIRef | Literal]]:
    """Check every given parameter against the query's declaration and return typed terms."""
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        raise ParamError(
            f"unknown parameter(s) {', '.join(unknown)} for query '{query.name}'",
            [p.name for p in query.params],
        )
    bound: dict[str, list[URIRef | Literal]] = {}
    for param in query.params:
        values = [v for v in given.get(param.name, []) if v != ""] or list(param.default)
        if not values:
            if param.required:
                raise ParamError(f"parameter '{param.name}' is required", list(param.examples))
            bound[param.name] = []
            continue
        if len(values) > 1 and not param.many:
            raise ParamError(f"parameter '{param.name}' takes one value, got {len(values)}")
        if len(values) > MAX_LIST_LENGTH:
            raise ParamError(f"parameter '{param.name}' takes at most {MAX_LIST_LENGTH} values")
        if any(len(v) > MAX_VALUE_LENGTH or "\x00" in v for v in values):
            raise ParamError(f"parameter '{param.name}': value too long or not text")
        if param.type == "iri":
            choices = source.candidates(param)
            bound[param.name] = [_resolve_iri(param, v, choices, base) for v in values]
        else:
            bound[param.name] = [_literal(param, v) for v in values]
    return bound


def bind(query: SavedQuery, bound: Mapping[str, Sequence[URIRef | Literal]]) -> str:
    """The query text with each parameter's VALUES block holding the bound terms (UNDEF if none).

    Only terms serialised by rdflib go in (IRIs checked against the graph, literals escaped by
    rdflib's N3 writer): nothing the user typed reaches the query text.
    """
    text = query.sparql
    for param in query.params:
        terms = bound.get(param.name, [])
        data = " ".join(term.n3() for term in terms) if terms else "UNDEF"
        block = f"VALUES ?{param.name} {{ {data} }}"
        text = values_block(param.name).sub(lambda _match, block=block: block, text, count=1)
    return text


CANDIDATES_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?value ?label ?rank WHERE {
  %s
  OPTIONAL {
    { ?value rdfs:label ?label BIND (0 AS ?rank) }
    UNION { ?value skos:altLabel ?label BIND (1 AS ?rank) }
    UNION { ?value skos:prefLabel ?label BIND (2 AS ?rank) }
  }
}
"""
# Pages are ordered by every column, so consecutive pages neither repeat nor skip a row.
CANDIDATES_PAGE = "ORDER BY ?value ?rank STR(?label) LANG(?label) LIMIT %d OFFSET %d"
LANGUAGE_ORDER = {"zh": 0, "en": 1}


class SparqlCandidates:
    """Allowed values read from the graph with one SELECT per parameter class (cached).

    With a page size (the endpoint's row cap), the SELECT is read page by page until a page
    comes back short, so a large graph's values are all read, none cut off by the cap.
    """

    def __init__(
        self,
        select: Callable[[str], Iterable[Mapping[str, str]]],
        page_size: int | None = None,
    ) -> None:
        self._select = select
        self._page_size = page_size
        self._cache: dict[tuple[str | None, str | None, str | None], Choices] = {}

    def candidates(self, param: Param) -> Sequence[Candidate]:
        key = (param.cls, param.scheme, param.subclass_of)
        if key not in self._cache:
            self._cache[key] = self._read(*key)
        return self._cache[key]

    def _read(self, cls: str | None, scheme: str | None, subclass_of: str | None) -> Choices:
        # Class, scheme and superclass come from our own .rq metadata, never from a request.
        patterns = []
        if cls:
            patterns.append(f"?value a/rdfs:subClassOf* <{cls}> .")
        if scheme:
            patterns.append(f"?value skos:inScheme <{scheme}> .")
        if subclass_of:
            patterns.append(f"?value rdfs:subClassOf* <{subclass_of}> . FILTER (isIRI(?value))")
        labels: dict[str, list[tuple[int, int, str]]] = {}
        for row in self._rows(CANDIDATES_QUERY % "\n  ".join(patterns)):
            entry = labels.setdefault(str(row["value"]), [])
            label = row.get("label")
            if label is not None:
                language = getattr(label, "language", None) or ""
                rank = int(row.get("rank") or 0)
                entry.append((LANGUAGE_ORDER.get(language, 2), rank, str(label)))
        # zh first, then en, then others; within a language rdfs:label before alternatives.
        return Choices(
            Candidate(iri, tuple(dict.fromkeys(text for *_, text in sorted(found))))
            for iri, found in sorted(labels.items())
        )

    def _rows(self, query: str) -> Iterator[Mapping[str, str]]:
        if self._page_size is None:
            yield from self._select(query)
            return
        offset = 0
        while True:
            page = list(self._select(query + CANDIDATES_PAGE % (self._page_size, offset)))
            yield from page
            if len(page) < self._page_size:
                return
            offset += self._page_size
