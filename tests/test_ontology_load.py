"""The ontology modules load, pass the static checks, and declare every term of TERMS.md."""

import re

from rdflib import OWL, RDF, XSD, URIRef

from zhongyuan_kg.namespaces import KIND, STAGE, ZY
from zhongyuan_kg.ontology import load
from zhongyuan_kg.paths import ONTOLOGY_DIR

TERMS_MD = (ONTOLOGY_DIR / "TERMS.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = TERMS_MD.index(title)
    end = TERMS_MD.find("\n## ", start + 1)
    return TERMS_MD[start : end if end != -1 else None]


def test_module_files_lists_umbrella_first():
    names = [path.name for path in load.module_files()]
    assert names == [
        "zhongyuan.ttl",
        "designation.ttl",
        "disjointness.ttl",
        "document.ttl",
        "external.ttl",
        "geometry.ttl",
        "kind.ttl",
        "organisation.ttl",
        "place.ttl",
        "project.ttl",
        "stage.ttl",
        "strategy.ttl",
    ]


def test_check_passes_and_returns_the_merged_graph():
    graph = load.check()
    assert (URIRef("https://w3id.org/zhongyuan-kg/ontology"), RDF.type, OWL.Ontology) in graph
    assert len(graph) == len(load.ontology_graph())


def test_every_class_named_in_terms_md_is_declared():
    declared = load.declared_terms(load.ontology_graph())
    names = set(re.findall(r"`([A-Z][A-Za-z0-9]+)`", _section("## Classes")))
    assert len(names) >= 150
    assert {name for name in names if declared.get(ZY[name]) != "class"} == set()


def test_every_property_in_terms_md_tables_is_declared_with_its_kind():
    declared = load.declared_terms(load.ontology_graph())
    object_rows = re.findall(r"^\| `([^|]+)` \|", _section("## Object properties"), re.M)
    data_rows = re.findall(r"^\| `([^|]+)` \|", _section("## Data properties"), re.M)
    objects = {n for row in object_rows for n in re.findall(r"[a-zA-Z:]+", row)}
    data = {n for row in data_rows for n in re.findall(r"[a-zA-Z:]+", row)}

    def iri(name: str) -> URIRef:
        if ":" in name:
            prefix, local = name.split(":")
            return URIRef(
                {
                    "prov": "http://www.w3.org/ns/prov#",
                    "dcterms": "http://purl.org/dc/terms/",
                    "wgs": "http://www.w3.org/2003/01/geo/wgs84_pos#",
                    "geo": "http://www.opengis.net/ont/geosparql#",
                }[prefix]
                + local
            )
        return ZY[name]

    assert {n: declared.get(iri(n)) for n in objects if declared.get(iri(n)) != "object"} == {}
    # dcterms:issued and geo:asWKT carry non-OWL-2 datatypes, so they are annotation properties.
    unreasoned = {"dcterms:issued", "geo:asWKT"}
    assert {n for n in data - unreasoned if declared.get(iri(n)) != "datatype"} == set()
    assert {declared[iri(n)] for n in unreasoned} == {"annotation"}


def test_stage_and_kind_concepts_match_terms_md():
    declared = load.declared_terms(load.ontology_graph())
    verbs = re.findall(r"`([a-z-]+)` [\u4e00-\u9fff…]", _section("## SKOS vocabularies"))
    assert len(verbs) == 28
    groups = re.findall(r"`stage:(group-[a-z-]+)`", TERMS_MD)
    assert {declared.get(STAGE[v]) for v in verbs + groups} == {"concept"}
    kinds = set(re.findall(r"`kind:([a-z-]+)`", TERMS_MD))
    assert len(kinds) == 16  # 14 in the first version, 2 added
    assert {declared.get(KIND[k]) for k in kinds} == {"concept"}


def test_declared_terms_counts_by_kind():
    declared = load.declared_terms(load.ontology_graph())
    counts = {
        kind: sum(1 for k in declared.values() if k == kind) for kind in set(declared.values())
    }
    assert counts["concept"] == 88  # 6 stage groups, 66 verbs, 16 kind concepts
    assert counts["individual"] == 4  # the four concept schemes
    assert declared[URIRef("http://www.w3.org/2000/01/rdf-schema#label")] == "annotation"


def test_datatype_range():
    graph = load.ontology_graph()
    assert load.datatype_range(graph, ZY.targetValue) == XSD.decimal
    assert load.datatype_range(graph, ZY.sourceLine) == XSD.integer
    assert load.datatype_range(graph, URIRef("http://purl.org/dc/terms/issued")) == XSD.gYearMonth
    assert load.datatype_range(
        graph, URIRef("http://www.opengis.net/ont/geosparql#asWKT")
    ) == URIRef("http://www.opengis.net/ont/geosparql#wktLiteral")
    assert load.datatype_range(graph, ZY.locatedIn) is None
