"""Saved-query parameters against the built graph: examples, labels, ids, IRIs and refusals."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.queries.catalog import load_catalog
from zhongyuan_kg.queries.local import LocalGraph, load
from zhongyuan_kg.queries.params import ParamError, resolve

CATALOG = load_catalog()


@pytest.fixture(scope="module")
def graph(built: BuildReport) -> LocalGraph:
    """The session's build of the real records (tests/conftest.py) in the embedded store."""
    return load(built.dist)


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_every_example_and_default_is_an_allowed_value(graph: LocalGraph, name: str):
    query = CATALOG[name]
    for param in query.params:
        for value in (*param.examples, *param.default):
            bound = resolve(query, {param.name: [value]}, graph.candidates, graph.base)
            assert len(bound[param.name]) == 1, (param.name, value)


def test_a_label_in_zh_or_en_an_id_and_an_iri_select_the_same_value(graph: LocalGraph):
    query = CATALOG["axis-nodes"]
    expected = URIRef(graph.base + "axis/taiyuan-zhengzhou-hefei")
    for value in (
        "太原—郑州—合肥发展轴",
        "Taiyuan–Zhengzhou–Hefei Development Axis",
        "axis/taiyuan-zhengzhou-hefei",
        str(expected),
    ):
        assert resolve(query, {"axis": [value]}, graph.candidates, graph.base) == {
            "axis": [expected]
        }


def test_an_iri_of_the_wrong_class_is_refused_with_the_allowed_values(graph: LocalGraph):
    with pytest.raises(ParamError) as error:
        resolve(CATALOG["axis-nodes"], {"axis": ["city/zhengzhou"]}, graph.candidates, graph.base)
    assert len(error.value.allowed) == 4
    assert any("沿陇海发展主轴" in value for value in error.value.allowed)


STAGE_LABELS = """
SELECT ?concept ?label WHERE {
  ?concept skos:inScheme <https://w3id.org/zhongyuan-kg/vocab/stage> .
  { ?concept skos:prefLabel ?label } UNION { ?concept rdfs:label ?label }
}"""


def test_no_two_stage_concepts_share_a_label(graph: LocalGraph):
    # A shared label selects neither concept, so `stage=<label>` would be refused as ambiguous.
    owners: dict[tuple[str, str], set[str]] = {}
    for row in graph.select(STAGE_LABELS):
        key = (row["label"].language, str(row["label"]))
        owners.setdefault(key, set()).add(str(row["concept"]))
    assert {lang for lang, _ in owners} == {"zh", "en"}
    concepts = {concept for found in owners.values() for concept in found}
    assert len(concepts) == 72  # 66 verbs and the 6 groups
    assert {key: found for key, found in owners.items() if len(found) > 1} == {}


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("创建", "chuangjian"),
        ("strive to create", "chuangjian"),
        ("争取", "zhengqu"),
        ("strive for", "zhengqu"),
        ("扩容", "kuorong"),
        ("increase capacity", "kuorong"),
        ("expand capacity", "kuoneng-gaizao"),
        ("开发", "kaifa"),
        ("tap (resources)", "kaifa"),
        ("develop", "fazhan"),
    ],
)
def test_each_stage_label_selects_one_concept(graph: LocalGraph, label: str, slug: str):
    bound = resolve(CATALOG["projects-by-stage"], {"stage": [label]}, graph.candidates, graph.base)
    assert bound == {
        "stage": [URIRef("https://w3id.org/zhongyuan-kg/vocab/stage/" + slug)],
        "kind": [],
    }
