"""Describe the built dataset in VoID: sizes, class and property partitions, subsets and dumps."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from zhongyuan_kg.graph.rdf import new_graph
from zhongyuan_kg.namespaces import PREFIXES, SITE, VOID

DATASET = URIRef(SITE + "graph")
DUMP_BASE = SITE + "dist/"
SPARQL_ENDPOINT = URIRef(SITE + "sparql")
LICENSE = URIRef("https://opensource.org/licenses/MIT")
TITLE = {
    "en": "Central Plains Urban Agglomeration Development Plan (2016) as a knowledge graph",
    "zh": "中原城市群发展规划（2016）知识图谱",
}
GRAPH_TITLES = {
    "ontology": "The OWL 2 DL ontology (TBox) and its SKOS vocabularies",
    "facts": "What the plan states: entities, their kinds, links and locations",
    "provenance": "The plan's structure, its passages, and one citation per quoted sentence",
    "inferences": "What the reasoner entails beyond the asserted graphs",
}


def partition_iri(kind: str, term: URIRef) -> URIRef:
    """A readable, stable IRI for a class or property partition (no blank nodes)."""
    for prefix, namespace in PREFIXES.items():
        if term.startswith(namespace) and term[len(namespace) :].replace("-", "").isalnum():
            return URIRef(f"{DATASET}/void/{kind}/{prefix}-{term[len(namespace) :]}")
    return URIRef(f"{DATASET}/void/{kind}/{hashlib.sha1(term.encode()).hexdigest()[:12]}")


def describe(graphs: Mapping[URIRef, Graph], dumps: Iterable[str], base: str) -> Graph:
    """The VoID description of the named graphs and of their merge."""
    void = new_graph()
    everything = {triple for graph in graphs.values() for triple in graph}
    _sizes(void, DATASET, everything, base)
    void.add((DATASET, RDF.type, VOID.Dataset))
    for language, title in TITLE.items():
        void.add((DATASET, DCTERMS.title, Literal(title, lang=language)))
    void.add((DATASET, DCTERMS.license, LICENSE))
    void.add((DATASET, VOID.sparqlEndpoint, SPARQL_ENDPOINT))
    void.add((DATASET, VOID.uriSpace, Literal(base)))
    void.add((DATASET, VOID.rootResource, URIRef(base + "plan")))
    for name in sorted(dumps):
        void.add((DATASET, VOID.dataDump, URIRef(DUMP_BASE + name)))
    for namespace in ("zy", "stage", "kind", "skos", "prov", "geo", "wgs", "dcterms", "org"):
        void.add((DATASET, VOID.vocabulary, URIRef(PREFIXES[namespace])))
    classes = Counter(o for s, p, o in everything if p == RDF.type and isinstance(o, URIRef))
    for cls, count in sorted(classes.items()):
        node = partition_iri("class", cls)
        void.add((DATASET, VOID.classPartition, node))
        void.add((node, VOID["class"], cls))
        void.add((node, VOID.entities, Literal(count)))
    properties = Counter(p for _, p, _ in everything)
    for prop, count in sorted(properties.items()):
        node = partition_iri("property", prop)
        void.add((DATASET, VOID.propertyPartition, node))
        void.add((node, VOID.property, prop))
        void.add((node, VOID.triples, Literal(count)))
    for name, graph in sorted(graphs.items()):
        void.add((DATASET, VOID.subset, name))
        void.add((name, RDF.type, VOID.Dataset))
        title = GRAPH_TITLES.get(name.rsplit("/", 1)[-1])
        if title:
            void.add((name, RDFS.label, Literal(title, lang="en")))
        _sizes(void, name, set(graph), base)
    return void


def _sizes(void: Graph, node: URIRef, triples: set, base: str) -> None:
    subjects = {s for s, _, _ in triples}
    void.add((node, VOID.triples, Literal(len(triples))))
    void.add((node, VOID.entities, Literal(sum(1 for s in subjects if str(s).startswith(base)))))
    void.add((node, VOID.classes, Literal(len({o for _, p, o in triples if p == RDF.type}))))
    void.add((node, VOID.properties, Literal(len({p for _, p, _ in triples}))))
    void.add((node, VOID.distinctSubjects, Literal(len(subjects))))
    void.add((node, VOID.distinctObjects, Literal(len({o for _, _, o in triples}))))
