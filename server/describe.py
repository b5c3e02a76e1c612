"""What the graph says about one resource: statements both ways, citations, text of plan parts."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Identifier

from ..namespaces import GRAPH_INFERENCES, WGS, ZY
from .lookup import select

# Every statement about the resource and every statement pointing at it, with its graph so
# that the page can tell asserted from inferred; labels of the other end come along.
_STATEMENTS = """
SELECT ?dir ?p ?o ?g ?label WHERE {
  { GRAPH ?g { ?s ?p ?o } BIND("out" AS ?dir) }
  UNION
  { GRAPH ?g { ?o ?p ?s } BIND("in" AS ?dir) }
  OPTIONAL { ?o rdfs:label ?label }
}"""

# The quotes behind the resource, their passages and the parts of the plan holding them.
_CITATIONS = """
SELECT ?quote ?passage ?text ?line ?part ?partLabel WHERE {
  ?s zy:hasCitation ?c .
  ?c zy:quote ?quote ; zy:citedPassage ?passage .
  ?passage zy:text ?text .
  OPTIONAL { ?passage zy:sourceLine ?line }
  OPTIONAL { ?passage dcterms:isPartOf ?part . ?part rdfs:label ?partLabel }
}"""

# The passages of a part of the plan in reading order, with what each one gave the graph.
_PART_TEXT = """
SELECT ?passage ?line ?text ?parent ?parentLabel ?derived ?derivedLabel WHERE {
  ?passage dcterms:isPartOf ?s ; a zy:Passage ; zy:text ?text ; zy:sourceLine ?line .
  GRAPH <https://w3id.org/zhongyuan-kg/graph/provenance> { ?passage dcterms:isPartOf ?parent }
  OPTIONAL { ?parent rdfs:label ?parentLabel }
  OPTIONAL { ?derived prov:wasDerivedFrom ?passage . ?derived rdfs:label ?derivedLabel }
}"""

# The parts of the plan under a part (chapters, sections, boxes, figures), for its contents.
_CONTENTS = """
SELECT ?part ?label ?line WHERE {
  ?part dcterms:isPartOf ?s ; rdfs:label ?label .
  FILTER NOT EXISTS { ?part a zy:Passage }
  OPTIONAL {
    SELECT ?part (MIN(?l) AS ?line) WHERE { ?p dcterms:isPartOf ?part ; zy:sourceLine ?l }
    GROUP BY ?part
  }
}"""

DOCUMENT_TYPES = frozenset(
    ZY[name] for name in ("Plan", "Preface", "Chapter", "Section", "Box", "Figure")
)


@dataclass
class Link:
    """One statement seen from the resource: a property and the term at its other end."""

    predicate: URIRef
    value: Identifier
    labels: dict[str, str] = field(default_factory=dict)
    inferred: bool = True


@dataclass
class Citation:
    """A quote of the plan behind the resource, in its passage and the passage's parts."""

    quote: str
    passage: URIRef
    text: str
    line: int | None
    parts: list[tuple[URIRef, dict[str, str]]]

    def pieces(self) -> tuple[str, str, str]:
        """The passage text split around the first occurrence of the quote."""
        at = self.text.find(self.quote)
        if at < 0:
            return self.text, "", ""
        end = at + len(self.quote)
        return self.text[:at], self.text[at:end], self.text[end:]


@dataclass
class Description:
    """Everything a resource page shows about one IRI."""

    iri: URIRef
    outgoing: list[Link]
    incoming: list[Link]

    def values(self, predicate: URIRef) -> list[Identifier]:
        """The objects of one property of the resource."""
        return [link.value for link in self.outgoing if link.predicate == predicate]

    @property
    def labels(self) -> dict[str, str]:
        """Its rdfs:label by language."""
        found: dict[str, str] = {}
        for value in self.values(RDFS.label):
            if isinstance(value, Literal):
                found.setdefault(value.language or "", str(value))
        return found

    @property
    def types(self) -> list[Link]:
        """Its classes, asserted ones first."""
        kinds = [link for link in self.outgoing if link.predicate == RDF.type]
        return sorted(kinds, key=lambda link: (link.inferred, str(link.value)))

    @property
    def point(self) -> tuple[float, float] | None:
        """(longitude, latitude) when the resource has WGS84 coordinates."""
        lat, long = self.values(WGS.lat), self.values(WGS.long)
        if not lat or not long:
            return None
        return float(long[0]), float(lat[0])

    @property
    def is_document_part(self) -> bool:
        """Whether it is the plan or one of its chapters, sections, boxes or figures."""
        return any(link.value in DOCUMENT_TYPES for link in self.types)


def describe(iri: URIRef) -> Description | None:
    """The statements about `iri` and pointing to it, or None when the graph has none."""
    found: dict[tuple[str, URIRef, Identifier], Link] = {}
    for row in select(_STATEMENTS, {"s": iri}):
        key = (str(row["dir"]), row["p"], row["o"])
        link = found.setdefault(key, Link(row["p"], row["o"]))
        if row["g"] != GRAPH_INFERENCES:
            link.inferred = False
        label = row.get("label")
        if isinstance(label, Literal):
            link.labels.setdefault(label.language or "", str(label))
    if not found:
        return None
    order = sorted(found.items(), key=lambda item: (str(item[0][1]), str(item[0][2])))
    return Description(
        iri,
        [link for (way, _, _), link in order if way == "out"],
        [link for (way, _, _), link in order if way == "in"],
    )


def citations(iri: URIRef) -> list[Citation]:
    """The quotes behind `iri`, in the order of the plan's text."""
    found: dict[tuple[str, URIRef], Citation] = {}
    for row in select(_CITATIONS, {"s": iri}):
        key = (str(row["quote"]), row["passage"])
        line = row.get("line")
        citation = found.setdefault(
            key,
            Citation(key[0], row["passage"], str(row["text"]), int(line) if line else None, []),
        )
        part, label = row.get("part"), row.get("partLabel")
        if part is None or not isinstance(label, Literal):
            continue
        for known, labels in citation.parts:
            if known == part:
                labels.setdefault(label.language or "", str(label))
                break
        else:
            citation.parts.append((part, {label.language or "": str(label)}))
    for citation in found.values():
        # Outermost first: a part's IRI is a prefix of the IRIs of the parts inside it.
        citation.parts.sort(key=lambda item: len(str(item[0])))
    return sorted(found.values(), key=lambda c: (c.line or 0, c.quote))


@dataclass
class Paragraph:
    """One passage of a part of the plan and the resources derived from it."""

    passage: URIRef
    line: int
    text: str
    parent: URIRef
    parent_labels: dict[str, str] = field(default_factory=dict)
    derived: dict[URIRef, dict[str, str]] = field(default_factory=dict)


def part_text(iri: URIRef) -> list[Paragraph]:
    """The passages inside a part of the plan, in reading order."""
    found: dict[URIRef, Paragraph] = {}
    for row in select(_PART_TEXT, {"s": iri}):
        paragraph = found.setdefault(
            row["passage"],
            Paragraph(row["passage"], int(row["line"]), str(row["text"]), row["parent"]),
        )
        for key, target in (("parentLabel", paragraph.parent_labels),):
            value = row.get(key)
            if isinstance(value, Literal):
                target.setdefault(value.language or "", str(value))
        derived, label = row.get("derived"), row.get("derivedLabel")
        if isinstance(derived, URIRef) and isinstance(label, Literal):
            paragraph.derived.setdefault(derived, {}).setdefault(label.language or "", str(label))
    return sorted(found.values(), key=lambda p: p.line)


def contents(iri: URIRef) -> list[tuple[URIRef, dict[str, str]]]:
    """The chapters, sections, boxes and figures inside a part, in reading order."""
    found: dict[URIRef, tuple[float, dict[str, str]]] = {}
    for row in select(_CONTENTS, {"s": iri}):
        line = row.get("line")
        entry = found.setdefault(row["part"], (float(line) if line else float("inf"), {}))
        label = row["label"]
        if isinstance(label, Literal):
            entry[1].setdefault(label.language or "", str(label))
    return [(part, labels) for part, (_, labels) in sorted(found.items(), key=lambda i: i[1][0])]
