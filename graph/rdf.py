"""Turn the document structure and the validated records into RDF: the facts and the provenance."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from zhongyuan_kg.graph.records import Entity, Location
from zhongyuan_kg.graph.text import Document, Part, Passage
from zhongyuan_kg.namespaces import GEO, PREFIXES, PROV, WGS, ZY

RECONSTRUCTED_NOTE = {
    "en": "The heading of this box is missing from the extracted text; the label is reconstructed "
    "from the items the box lists.",
    "zh": "本专栏标题在文本中缺失，标签系根据所列事项重建。",
}


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def iri(base: str, path: str) -> URIRef:
    """The IRI of an id or a document path under the instance base."""
    return URIRef(base + path)


def document_graph(document: Document, base: str) -> Graph:
    """The plan's structure: parts with labels and order, passages with their text and line."""
    graph = new_graph()
    for part in document.parts:
        _add_part(graph, part, base)
    parts = {part.path: part for part in document.parts}
    for passage in document.passages:
        _add_passage(graph, passage, parts[passage.parent], base)
    return graph


def _add_part(graph: Graph, part: Part, base: str) -> None:
    node = iri(base, part.path)
    graph.add((node, RDF.type, ZY[part.kind]))
    graph.add((node, RDFS.label, Literal(part.label_zh, lang="zh")))
    graph.add((node, RDFS.label, Literal(part.label_en, lang="en")))
    if part.parent is not None:
        graph.add((node, ZY.ordinal, Literal(part.ordinal)))
        graph.add((node, DCTERMS.isPartOf, iri(base, part.parent)))
    if part.reconstructed:
        for language, note in RECONSTRUCTED_NOTE.items():
            graph.add((node, RDFS.comment, Literal(note, lang=language)))


def _add_passage(graph: Graph, passage: Passage, part: Part, base: str) -> None:
    node = iri(base, passage.path)
    graph.add((node, RDF.type, ZY.Passage))
    graph.add((node, RDFS.label, Literal(f"{part.short_zh} 第{passage.ordinal}段", lang="zh")))
    label_en = f"{part.short_en}, paragraph {passage.ordinal}"
    graph.add((node, RDFS.label, Literal(label_en, lang="en")))
    graph.add((node, ZY.text, Literal(passage.text)))
    graph.add((node, ZY.ordinal, Literal(passage.ordinal)))
    graph.add((node, ZY.sourceLine, Literal(passage.line)))
    graph.add((node, DCTERMS.isPartOf, iri(base, passage.parent)))


def citation_iri(base: str, record_id: str, passage: Passage, quote: str) -> URIRef:
    """A citation's IRI: stable for the same record, passage and quote, across builds."""
    digest = hashlib.sha1(f"{record_id}\n{passage.path}\n{quote}".encode()).hexdigest()
    return iri(base, f"citation/{digest[:12]}")


def facts_graph(entities: Iterable[Entity], base: str) -> Graph:
    """What the records state: classes, labels, properties and locations."""
    graph = new_graph()
    for entity in entities:
        node = iri(base, entity.id)
        for cls in entity.classes:
            graph.add((node, RDF.type, cls))
        for prop, literal in entity.literals:
            graph.add((node, prop, literal))
        for prop, target in entity.links:
            # A URIRef is a vocabulary term; a plain str is an entity id under the base.
            graph.add((node, prop, target if isinstance(target, URIRef) else iri(base, target)))
        if entity.location is not None:
            _add_location(graph, node, entity.location)
    return graph


def _add_location(graph: Graph, node: URIRef, location: Location) -> None:
    if location.adcode is not None:
        graph.add((node, ZY.adminCode, Literal(location.adcode)))
    graph.add((node, WGS.lat, Literal(location.latitude)))
    graph.add((node, WGS.long, Literal(location.longitude)))
    graph.add((node, ZY.coordinateSource, Literal(location.source)))
    geometry = URIRef(f"{node}/geometry")
    graph.add((node, GEO.hasGeometry, geometry))
    graph.add((geometry, RDF.type, GEO.Geometry))
    wkt = f"POINT({location.longitude} {location.latitude})"  # CRS84: longitude first
    graph.add((geometry, GEO.asWKT, Literal(wkt, datatype=GEO.wktLiteral)))


def citations_graph(entities: Iterable[Entity], base: str) -> Graph:
    """One zy:Citation per (record, quote), linked to its passage, plus prov:wasDerivedFrom."""
    graph = new_graph()
    for entity in entities:
        node = iri(base, entity.id)
        for passage, quote in entity.citations:
            citation = citation_iri(base, entity.id, passage, quote)
            source = iri(base, passage.path)
            graph.add((node, ZY.hasCitation, citation))
            graph.add((citation, RDF.type, ZY.Citation))
            graph.add((citation, ZY.citedPassage, source))
            graph.add((citation, ZY.quote, Literal(quote)))
            graph.add((node, PROV.wasDerivedFrom, source))
    return graph
