"""graph.owl: the individuals as an OWL document that imports the ontology (resolved locally)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from zhongyuan_kg.graph.publish import write_graph
from zhongyuan_kg.graph.rdf import new_graph
from zhongyuan_kg.namespaces import GRAPH_FACTS, GRAPH_PROVENANCE, ONTOLOGY_IRI, SITE

DATA_ONTOLOGY = URIRef(SITE + "graph")
CATALOG = "catalog-v001.xml"
INDIVIDUALS = "graph.owl"
Triple = tuple[Node, Node, Node]


def individuals(
    graphs: Mapping[URIRef, Graph], keep: Callable[[Triple], bool] | None = None
) -> Graph:
    """The asserted facts and provenance under an ontology header that imports the TBox."""
    document = new_graph()
    document.add((DATA_ONTOLOGY, RDF.type, OWL.Ontology))
    document.add((DATA_ONTOLOGY, OWL.imports, URIRef(ONTOLOGY_IRI)))
    title = "中原城市群发展规划知识图谱：个体", "Central Plains plan knowledge graph: individuals"
    document.add((DATA_ONTOLOGY, RDFS.label, Literal(title[0], lang="zh")))
    document.add((DATA_ONTOLOGY, RDFS.label, Literal(title[1], lang="en")))
    for name in (GRAPH_FACTS, GRAPH_PROVENANCE):
        for triple in graphs[name]:
            if keep is None or keep(triple):
                document.add(triple)
    return document


def write_individuals(
    graphs: Mapping[URIRef, Graph],
    directory: Path,
    keep: Callable[[Triple], bool] | None = None,
) -> dict[str, Path]:
    """Write graph.owl (RDF/XML); the ontology's catalog beside it resolves its import."""
    catalog = directory / CATALOG
    if ONTOLOGY_IRI not in catalog.read_text(encoding="utf-8"):
        raise FileNotFoundError(f"{catalog} does not map {ONTOLOGY_IRI} to a local file")
    path = write_graph(individuals(graphs, keep), directory / INDIVIDUALS, ox.RdfFormat.RDF_XML)
    return {INDIVIDUALS: path}
