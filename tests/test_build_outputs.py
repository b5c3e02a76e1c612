"""The published dumps round-trip, carry no stray blank nodes, cite everything, and repeat."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib import OWL, RDF, BNode, Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from zhongyuan_kg.graph import manifest
from zhongyuan_kg.graph.build import build
from zhongyuan_kg.namespaces import (
    GRAPH_FACTS,
    GRAPH_INFERENCES,
    GRAPH_ONTOLOGY,
    GRAPH_PROVENANCE,
    NAMED_GRAPHS,
    ONTOLOGY_IRI,
    PREFIXES,
    VOID,
)
from zhongyuan_kg.paths import RECORDS_DIR

DATASET_FORMATS = {"graph.nq": "nquads", "graph.jsonld": "json-ld"}
MERGED_FORMATS = {"graph.nt": "nt", "graph.ttl": "turtle"}


def parse_dataset(path: Path, fmt: str) -> Dataset:
    """A dump parsed by rdflib's own parser (an independent check of pyoxigraph's writer)."""
    dataset = Dataset()
    with warnings.catch_warnings():
        # rdflib 7's TriG, N-Quads and JSON-LD parsers still call its own deprecated
        # ConjunctiveGraph/default_context API; that is not ours to fix.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="rdflib")
        dataset.parse(path, format=fmt)
    return dataset


@pytest.fixture(scope="module")
def trig(built) -> Dataset:
    return parse_dataset(built.dist / "graph.trig", "trig")


def merged(dataset: Dataset) -> Graph:
    graph = Graph()
    for name in NAMED_GRAPHS:
        graph += dataset.graph(name)
    return graph


@pytest.mark.parametrize("name", sorted(DATASET_FORMATS))
def test_each_named_graph_round_trips(built, trig, name):
    dataset = parse_dataset(built.dist / name, DATASET_FORMATS[name])
    for graph_name in NAMED_GRAPHS:
        assert isomorphic(dataset.graph(graph_name), trig.graph(graph_name)), graph_name


@pytest.mark.parametrize("name", sorted(MERGED_FORMATS))
def test_merged_dumps_round_trip(built, trig, name):
    graph = Graph().parse(built.dist / name, format=MERGED_FORMATS[name])
    assert isomorphic(graph, merged(trig))


def test_triple_counts_match_the_manifest(built, trig):
    assert {str(name): len(trig.graph(name)) for name in NAMED_GRAPHS} == built.triples


def test_nt_is_sorted_and_blank_nodes_only_in_the_ontology(built, trig):
    lines = (built.dist / "graph.nt").read_bytes().splitlines()
    assert lines == sorted(lines)
    for name in (GRAPH_FACTS, GRAPH_PROVENANCE, GRAPH_INFERENCES):
        assert not [t for t in trig.graph(name) if any(isinstance(n, BNode) for n in t)], name


def test_owl_document_imports_the_ontology_through_the_catalog(built, trig):
    owl = Graph().parse(built.dist / "graph.owl", format="xml")
    (header,) = owl.subjects(RDF.type, OWL.Ontology)
    assert set(owl.objects(header, OWL.imports)) == {URIRef(ONTOLOGY_IRI)}
    individuals = trig.graph(GRAPH_FACTS) + trig.graph(GRAPH_PROVENANCE)
    assert not {t for t in owl if t[0] != header} - set(individuals)
    catalog = (built.dist / "catalog-v001.xml").read_text(encoding="utf-8")
    mapped = dict(re.findall(r'<uri name="([^"]+)" uri="([^"]+)"/>', catalog))
    assert (built.dist / mapped[ONTOLOGY_IRI]).is_file()
    ontology = Graph().parse(built.dist / mapped[ONTOLOGY_IRI])
    assert (URIRef(ONTOLOGY_IRI), RDF.type, OWL.Ontology) in ontology


def test_void_counts_the_graphs(built, trig):
    void = Graph().parse(built.dist / "void.ttl", format="turtle")
    for name in NAMED_GRAPHS:
        assert void.value(name, VOID.triples).toPython() == len(trig.graph(name))
    (dataset,) = void.subjects(VOID.subset, GRAPH_FACTS)
    assert void.value(dataset, VOID.triples).toPython() == len(merged(trig))
    assert void.value(dataset, VOID.sparqlEndpoint).endswith("/sparql")
    assert set(void.objects(dataset, VOID.subset)) == set(NAMED_GRAPHS)
    assert not [t for t in void if any(isinstance(n, BNode) for n in t)]


def test_every_project_designation_and_named_place_is_cited(built):
    store = ox.Store()
    store.bulk_load(path=str(built.dist / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    uncited = {
        solution["thing"].value.split("/id/", 1)[1]
        for solution in store.query(
            prologue
            + f"""
            SELECT DISTINCT ?thing WHERE {{
              GRAPH <{GRAPH_FACTS}> {{ ?thing a ?class }}
              GRAPH <{GRAPH_ONTOLOGY}> {{
                ?class rdfs:subClassOf* ?top VALUES ?top {{ zy:Project zy:Designation zy:Place }}
              }}
              FILTER NOT EXISTS {{
                GRAPH <{GRAPH_PROVENANCE}> {{
                  ?thing zy:hasCitation ?citation .
                  ?citation zy:citedPassage ?passage ; zy:quote ?quote .
                  ?passage zy:text ?text .
                  FILTER(CONTAINS(?text, ?quote))
                }}
              }}
            }}"""
        )
    }
    # Only gazetteer places the plan never names (parents in the hierarchy) go without a quote.
    unquoted = {
        record["id"]
        for path in RECORDS_DIR.glob("*.yaml")
        for record in yaml.safe_load(path.read_text(encoding="utf-8"))["records"]
        if "quote" not in record and not record.get("extend")
    }
    assert uncited == unquoted
    assert all(thing.startswith(("province/", "place/", "county/", "region/")) for thing in uncited)


def test_two_builds_are_byte_identical(tmp_path):
    # Two builds back to back (not against the session's build: in a shared working tree the
    # inputs may change in between, and then the outputs rightly differ).
    first, second = (build(tmp_path / name, log=lambda _: None) for name in ("one", "two"))
    assert first.digest == second.digest, "an input changed between the two builds"
    ours = [*sorted(path.name for path in first.dist.glob("graph.*")), "void.ttl"]
    assert ours == [
        "graph.jsonld",
        "graph.nq",
        "graph.nt",
        "graph.owl",
        "graph.trig",
        "graph.ttl",
        "void.ttl",
    ]
    for name in ours:
        assert (first.dist / name).read_bytes() == (second.dist / name).read_bytes(), name
    assert first.triples == second.triples


def test_build_writes_every_output_and_its_manifest(built):
    names = {p.name for p in built.dist.iterdir()}
    assert {
        "graph.trig",
        "graph.nq",
        "graph.nt",
        "graph.ttl",
        "graph.jsonld",
        "graph.owl",
        "catalog-v001.xml",
        "void.ttl",
        "build.json",
    } <= names
    content = manifest.read(built.dist)
    assert content["digest"] == built.digest and re.fullmatch("[0-9a-f]{64}", built.digest)
    assert content["engine"] == built.engine != "none"
    assert set(content["triples"]) == {
        f"https://w3id.org/zhongyuan-kg/graph/{name}"
        for name in ("ontology", "facts", "provenance", "inferences")
    }
    assert all(count > 0 for count in content["triples"].values())


def test_stale_when_an_input_changes(records_copy, tmp_path):
    dist = build(tmp_path / "dist", records_dir=records_copy, reason=False, log=lambda _: None).dist
    assert not manifest.is_stale(dist, records_copy)
    assert manifest.is_stale(dist, records_copy, base="https://example.org/id/")
    places = records_copy / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert manifest.is_stale(dist, records_copy)
    assert manifest.is_stale(tmp_path / "missing", records_copy)
