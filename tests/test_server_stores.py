"""The Oxigraph store and the rdflib reference store give the same answers to the same queries."""

from __future__ import annotations

import io
from collections import Counter

import pyoxigraph as ox
import pytest
import requests

pytest_plugins = ["server_fixtures"]

GRAPH = "https://w3id.org/zhongyuan-kg/graph/"
QUERIES = {
    "members": "SELECT ?city WHERE { ?city zy:memberOf <area/core> }",
    "labels": "SELECT ?c ?l WHERE { ?c a zy:City ; rdfs:label ?l FILTER(LANG(?l) = 'zh') }",
    "count-by-area": "SELECT ?area (COUNT(?c) AS ?n) WHERE { ?c zy:memberOf ?area } GROUP BY ?area",
    "optional": "SELECT ?s ?l WHERE { ?s a zy:Passage OPTIONAL { ?s rdfs:label ?l } }",
    "union": "SELECT ?x WHERE { { ?x a owl:Class } UNION { ?x a owl:ObjectProperty } }",
    "not-exists": "SELECT ?c { ?c a zy:City FILTER NOT EXISTS { ?c zy:memberOf <area/core> } }",
    "path": "SELECT ?super WHERE { zy:City rdfs:subClassOf* ?super }",
    "bind": "SELECT ?c ?s WHERE { ?c a zy:City BIND(CONCAT(STR(?c), '#') AS ?s) }",
    "values": "SELECT ?c ?l { VALUES ?c { <city/anyang> <city/kaifeng> } ?c rdfs:label ?l }",
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "ordered": "SELECT ?l { ?c rdfs:label ?l FILTER(LANG(?l) = 'en') } ORDER BY DESC(?l) LIMIT 3",
    "ask": "ASK { <city/nanyang> zy:memberOf <area/linked> }",
    "numbers": "SELECT (SUM(?n) AS ?total) (AVG(?n) AS ?mean) WHERE { VALUES ?n { 1 2 3 4 } }",
    "strings": "SELECT (STRLEN('核心发展区') AS ?n) (UCASE('zhengzhou') AS ?u) WHERE {}",
    "w3c-graph": f"SELECT ?s WHERE {{ GRAPH <{GRAPH}w3c/data2> {{ ?s ?p ?o }} }}",
}
CONSTRUCTS = {  # query, number of triples on the test dataset
    "construct": ("CONSTRUCT { ?c zy:inArea ?a } WHERE { ?c zy:memberOf ?a }", 6),
    "construct-where": ("CONSTRUCT WHERE { ?c zy:memberOf <area/linked> }", 2),
}


def solutions(server, query: str, **params) -> Counter | bool:
    response = requests.get(server.url, params={"query": query, **params}, timeout=30)
    assert response.status_code == 200, response.text
    body = response.json()
    if "boolean" in body:
        return body["boolean"]
    rows = body["results"]["bindings"]
    return Counter(
        tuple(sorted((k, tuple(sorted(v.items()))) for k, v in row.items())) for row in rows
    )


@pytest.mark.parametrize("name", list(QUERIES))
def test_same_solutions(server, rdflib_server, name):
    ours, reference = solutions(server, QUERIES[name]), solutions(rdflib_server, QUERIES[name])
    assert ours == reference
    assert ours  # every query of the set has an answer on the test dataset


@pytest.mark.parametrize("params", [{"inference": "false"}, {"default-graph-uri": GRAPH + "facts"}])
def test_same_dataset_choices(server, rdflib_server, params):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert solutions(server, query, **params) == solutions(rdflib_server, query, **params)


@pytest.mark.parametrize("name", list(CONSTRUCTS))
@pytest.mark.parametrize("format_name", ["nt", "ttl", "rdfxml", "jsonld"])
def test_same_graphs(server, rdflib_server, name, format_name):
    formats = {
        "nt": ox.RdfFormat.N_TRIPLES,
        "ttl": ox.RdfFormat.TURTLE,
        "rdfxml": ox.RdfFormat.RDF_XML,
        "jsonld": ox.RdfFormat.JSON_LD,
    }
    graphs = []
    for live in (server, rdflib_server):
        response = requests.get(
            live.url, params={"query": CONSTRUCTS[name][0], "format": format_name}, timeout=30
        )
        assert response.status_code == 200, response.text
        graphs.append(
            {str(t) for t in ox.parse(io.BytesIO(response.content), format=formats[format_name])}
        )
    assert graphs[0] == graphs[1]
    assert len(graphs[0]) == CONSTRUCTS[name][1]


def test_same_csv_and_tsv_bytes(server, rdflib_server):
    query = QUERIES["labels"] + " ORDER BY ?c ?l"
    for format_name in ("csv", "tsv", "xml"):
        ours, reference = (
            requests.get(s.url, params={"query": query, "format": format_name}, timeout=30).content
            for s in (server, rdflib_server)
        )
        assert ours == reference
