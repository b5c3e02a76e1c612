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
