"""The endpoint serving the real graph, built from the plan's records (the `built` fixture)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from rdflib import Graph, URIRef
from server_fixtures import LiveServer

pytest_plugins = ["server_fixtures"]

ID = "https://w3id.org/zhongyuan-kg/id/"
GRAPH = "https://w3id.org/zhongyuan-kg/graph/"
CORE = [
    "zhengzhou",
    "kaifeng",
    "luoyang",
    "pingdingshan",
    "xinxiang",
    "jiaozuo",
    "xuchang",
    "luohe",
    "jiyuan",
    "hebi",
    "shangqiu",
    "zhoukou",
    "jincheng",
    "bozhou",
]


@pytest.fixture(scope="module")
def real(built) -> Iterator[LiveServer]:
    """`zhongyuan-kg serve` on the session's build of the real records."""
    live = LiveServer(built.dist / "graph.nq", timeout=20, evaluators=1)
    yield live
    live.stop()


def select(live: LiveServer, query: str, name: str) -> list[str]:
    response = requests.get(live.url, params={"query": query}, timeout=30)
    assert response.status_code == 200, response.text
    return [row[name]["value"] for row in response.json()["results"]["bindings"]]


def test_zhengzhou_is_a_member_of_the_core_area(real):
    query = "ASK { <https://w3id.org/zhongyuan-kg/id/city/zhengzhou> zy:memberOf <area/core> }"
    response = requests.get(real.url, params={"query": query}, timeout=30)
    assert response.json()["boolean"] is True


def test_the_core_area_has_its_fourteen_cities(real):
    cities = select(real, "SELECT ?c WHERE { ?c zy:memberOf <area/core> ; a zy:City }", "c")
    assert sorted(cities) == sorted(ID + f"city/{slug}" for slug in CORE)


def test_labels_are_the_plan_words(real):
    query = "SELECT ?l WHERE { <city/zhengzhou> rdfs:label ?l FILTER(LANG(?l) = 'zh') }"
    assert select(real, query, "l") == ["郑州"]


def test_the_description_names_the_four_graphs(real):
    response = requests.get(real.url, headers={"Accept": "text/turtle"}, timeout=30)
    graph = Graph().parse(data=response.content, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    names = {str(o) for o in graph.objects(None, URIRef(sd + "name"))}
    assert names == {GRAPH + name for name in ("facts", "ontology", "provenance", "inferences")}
    assert (URIRef(real.url), URIRef(sd + "feature"), URIRef(sd + "UnionDefaultGraph")) in graph
