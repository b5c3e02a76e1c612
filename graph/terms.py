"""The ontology's declared terms, as the records validator and the RDF writer need them."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, URIRef

from zhongyuan_kg.namespaces import PREFIXES, ZY
from zhongyuan_kg.paths import ONTOLOGY_DIR

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
    # Read from the Turtle directly until zhongyuan_kg.ontology.load (declared_terms,
    # datatype_range) is committed; then this delegates to it.
    classes = _typed(tbox, OWL.Class)
    object_properties = _typed(tbox, OWL.ObjectProperty)
    literal_properties = _typed(tbox, OWL.DatatypeProperty) | _typed(tbox, OWL.AnnotationProperty)
    individuals = _typed(tbox, OWL.NamedIndividual) | _typed(tbox, SKOS.Concept)
    ranges = {
        prop: datatype
        for prop in literal_properties
        for datatype in tbox.objects(prop, RDFS.range)
        if isinstance(datatype, URIRef)
    }
    places = frozenset(
        uri for uri in tbox.transitive_subjects(RDFS.subClassOf, PLACE) if uri in classes
    )
    return Terms(classes, object_properties, literal_properties, individuals, ranges, places)


def _typed(tbox: Graph, rdf_type: URIRef) -> frozenset[URIRef]:
    return frozenset(s for s in tbox.subjects(RDF.type, rdf_type) if isinstance(s, URIRef))


def ontology_graph() -> Graph:
    """The ontology's Turtle modules merged into one graph."""
    graph = Graph()
    for path in sorted((ONTOLOGY_DIR / "src").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def load_terms(tbox: Graph | None = None) -> Terms:
    """The terms of the project's ontology (or of the given TBox graph)."""
    return from_graph(tbox if tbox is not None else ontology_graph())
