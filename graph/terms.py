"""The ontology's declared terms, as the records validator and the RDF writer need them."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDFS, XSD, Graph, URIRef

from zhongyuan_kg.namespaces import PREFIXES, ZY
from zhongyuan_kg.ontology.load import datatype_range, declared_terms, ontology_graph

PLACE = ZY.Place


class UnknownTerm(KeyError):
    """A name that is not a declared term, or whose prefix is not one of ours."""


@dataclass(frozen=True)
class Terms:
    """Classes, properties and named individuals the ontology declares, with data ranges."""

    classes: frozenset[URIRef]
    object_properties: frozenset[URIRef]
    data_properties: frozenset[URIRef]
    individuals: frozenset[URIRef]
    ranges: dict[URIRef, URIRef]
    place_classes: frozenset[URIRef]

    def datatype(self, prop: URIRef) -> URIRef:
        """The datatype a data property's values get (xsd:string when the range is unstated)."""
        return self.ranges.get(prop, XSD.string)


def expand(name: str) -> URIRef:
    """The IRI of a term written bare (a zy: term) or as prefix:local; raises UnknownTerm."""
    prefix, colon, local = name.partition(":")
    if not colon:
        return ZY[name]
    if prefix not in PREFIXES or not local:
        raise UnknownTerm(f"{name!r} has no known prefix (known: {', '.join(sorted(PREFIXES))})")
    return URIRef(PREFIXES[prefix] + local)


def from_graph(tbox: Graph) -> Terms:
    """The terms an ontology graph declares, sorted by what a record may do with them."""
    kinds = declared_terms(tbox)

    def of(*wanted: str) -> frozenset[URIRef]:
        return frozenset(term for term, kind in kinds.items() if kind in wanted)

    # Annotation properties (dcterms:title …) take literals like data properties do.
    literal_properties = of("datatype", "annotation")
    ranges = {
        prop: datatype
        for prop in literal_properties
        if (datatype := datatype_range(tbox, prop)) is not None
    }
    classes = of("class")
    places = frozenset(
        uri for uri in tbox.transitive_subjects(RDFS.subClassOf, PLACE) if uri in classes
    )
    return Terms(
        classes, of("object"), literal_properties, of("concept", "individual"), ranges, places
    )


def load_terms(tbox: Graph | None = None) -> Terms:
    """The terms of the project's ontology (or of the given TBox graph)."""
    return from_graph(tbox if tbox is not None else ontology_graph())
