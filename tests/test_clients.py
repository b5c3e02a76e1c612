"""Real SPARQL clients against the live endpoint: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import csv
import io

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

pytest_plugins = ["server_fixtures"]

ID = "https://w3id.org/zhongyuan-kg/id/"
ZY = "https://w3id.org/zhongyuan-kg/ontology#"
CORE = [ID + f"city/{slug}" for slug in ("kaifeng", "luoyang", "xinxiang", "zhengzhou")]
SELECT_CORE = (
    f"SELECT ?city WHERE {{ ?city <{ZY}memberOf> <{ID}area/core> }} ORDER BY ?city"  # no prefixes
)
CONSTRUCT_LINKED = (
    f"CONSTRUCT {{ ?city <{ZY}memberOf> <{ID}area/linked> }} "
    f"WHERE {{ ?city <{ZY}memberOf> <{ID}area/linked> }}"
)
LINKED = {
    (URIRef(ID + f"city/{slug}"), URIRef(ZY + "memberOf"), URIRef(ID + "area/linked"))
    for slug in ("anyang", "nanyang")
}


def wrapper(server, query: str, return_format: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server.url)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    return client


def test_sparqlwrapper_select_json(server):
    result = wrapper(server, SELECT_CORE, JSON).queryAndConvert()
    assert [row["city"]["value"] for row in result["results"]["bindings"]] == CORE


def test_sparqlwrapper_select_xml(server):
    document = wrapper(server, SELECT_CORE, XML).queryAndConvert()
    assert [node.firstChild.data for node in document.getElementsByTagName("uri")] == CORE


@pytest.mark.parametrize(("return_format", "delimiter"), [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_select_csv_and_tsv(server, return_format, delimiter):
    body = wrapper(server, SELECT_CORE, return_format).queryAndConvert().decode()
    rows = list(csv.reader(io.StringIO(body), delimiter=delimiter))
    if return_format == CSV:
        assert rows == [["city"]] + [[city] for city in CORE]
    else:
        assert rows == [["?city"]] + [[f"<{city}>"] for city in CORE]


def test_sparqlwrapper_ask(server):
    ask = f"ASK {{ <{ID}city/anyang> <{ZY}memberOf> <{ID}area/linked> }}"
    assert wrapper(server, ask, JSON).queryAndConvert()["boolean"] is True


def test_sparqlwrapper_construct_turtle(server):
    body = wrapper(server, CONSTRUCT_LINKED, TURTLE).queryAndConvert()
    assert set(Graph().parse(data=body, format="turtle")) == LINKED


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_sparqlwrapper_construct_rdfxml(server):
    # SPARQLWrapper parses RDF/XML and JSON-LD into rdflib's deprecated ConjunctiveGraph.
    graph = wrapper(server, CONSTRUCT_LINKED, RDFXML).queryAndConvert()
    assert set(graph) == LINKED


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_sparqlwrapper_construct_jsonld(server):
    graph = wrapper(server, CONSTRUCT_LINKED, JSONLD).queryAndConvert()
    assert set(graph) == LINKED


def test_sparqlwrapper_post(server):
    client = wrapper(server, SELECT_CORE, JSON)
    client.setMethod("POST")
    result = client.queryAndConvert()
    assert [row["city"]["value"] for row in result["results"]["bindings"]] == CORE


def test_rdflib_sparqlstore_select_and_ask(server):
    graph = Graph(SPARQLStore(server.url, returnFormat="json"))
    rows = graph.query(SELECT_CORE)
    assert [str(row.city) for row in rows] == CORE
    labels = graph.query(f"SELECT ?l WHERE {{ <{ID}city/nanyang> ?p ?l FILTER(isLiteral(?l)) }}")
    assert {row.l for row in labels} == {Literal("南阳", lang="zh"), Literal("Nanyang", lang="en")}
    assert graph.query(f"ASK {{ <{ID}city/nanyang> ?p ?o }}").askAnswer is True
    graph.close()


def test_rdflib_sparqlstore_construct(server):
    graph = Graph(SPARQLStore(server.url, returnFormat="xml"))
    assert set(graph.query(CONSTRUCT_LINKED).graph) == LINKED
    graph.close()
