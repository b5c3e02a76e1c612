"""The SPARQL 1.1 Protocol at /sparql over HTTP: operations, formats, dataset, caching, CORS."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
import requests
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.query import Result

pytest_plugins = ["server_fixtures"]

ID = "https://w3id.org/zhongyuan-kg/id/"
GRAPH = "https://w3id.org/zhongyuan-kg/graph/"
CORE_CITIES = [ID + f"city/{slug}" for slug in ("kaifeng", "luoyang", "xinxiang", "zhengzhou")]
CORE_QUERY = "SELECT ?city WHERE { ?city zy:memberOf <area/core> } ORDER BY ?city"
CONSTRUCT_CORE = (
    "CONSTRUCT { ?city zy:memberOf <area/core> } WHERE { ?city zy:memberOf <area/core> }"
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
FACTS, ONTOLOGY, INFERENCES = GRAPH + "facts", GRAPH + "ontology", GRAPH + "inferences"


def get(server, query: str | None = None, **params):
    headers = params.pop("headers", {})
    if query is not None:
        params["query"] = query
    return requests.get(server.url, params=params, headers=headers, timeout=10)


def count(response: requests.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def column(response: requests.Response, name: str) -> list[str]:
    assert response.status_code == 200, response.text
    return [row[name]["value"] for row in response.json()["results"]["bindings"]]


def parse_rdf(content: bytes, rdflib_format: str) -> set[tuple]:
    """The triples of a graph response as rdflib terms (JSON-LD, TriG, N-Quads read by pyoxigraph,
    since rdflib's own readers of those warn about its deprecated ConjunctiveGraph)."""
    if rdflib_format in ("turtle", "nt", "xml"):
        return set(Graph().parse(data=content, format=rdflib_format))
    formats = {
        "json-ld": ox.RdfFormat.JSON_LD,
        "trig": ox.RdfFormat.TRIG,
        "nquads": ox.RdfFormat.N_QUADS,
    }
    return {
        tuple(_rdflib_term(term) for term in (q.subject, q.predicate, q.object))
        for q in ox.parse(content, format=formats[rdflib_format])
    }


def _rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def core_triples() -> set:
    member = URIRef("https://w3id.org/zhongyuan-kg/ontology#memberOf")
    return {(URIRef(city), member, URIRef(ID + "area/core")) for city in CORE_CITIES}


def test_get_select_answers_with_the_plan_labels(server):
    query = "SELECT ?label WHERE { <city/zhengzhou> rdfs:label ?label }"
    response = get(server, query)
    assert response.headers["Content-Type"] == "application/sparql-results+json"
    labels = {
        (b["label"]["value"], b["label"]["xml:lang"])
        for b in response.json()["results"]["bindings"]
    }
    assert labels == {("郑州", "zh"), ("Zhengzhou", "en")}


def test_the_three_operations_give_the_same_answer(server):
    by_get = column(get(server, CORE_QUERY), "city")
    by_form = column(requests.post(server.url, data={"query": CORE_QUERY}, timeout=10), "city")
    direct = requests.post(
        server.url,
        data=CORE_QUERY.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=10,
    )
    assert by_get == by_form == column(direct, "city") == CORE_CITIES


@pytest.mark.parametrize(
    ("format_name", "media_type"),
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
    ],
)
def test_select_in_every_results_format(server, format_name, media_type):
    by_param = get(server, CORE_QUERY, format=format_name)
    by_accept = get(server, CORE_QUERY, headers={"Accept": media_type})
    for response in (by_param, by_accept):
        assert response.status_code == 200
        assert response.headers["Content-Type"].split(";")[0] == media_type
        if format_name == "csv":
            rows = list(csv.reader(io.StringIO(response.text)))
            assert rows == [["city"]] + [[city] for city in CORE_CITIES]
        else:
            result = Result.parse(io.BytesIO(response.content), format=format_name)
            assert [str(row[0]) for row in result] == CORE_CITIES


@pytest.mark.parametrize("format_name", ["json", "xml"])
def test_ask_answers_true_and_false(server, format_name):
    yes = get(server, "ASK { <city/zhengzhou> zy:memberOf <area/core> }", format=format_name)
    no = get(server, "ASK { <city/anyang> zy:memberOf <area/core> }", format=format_name)
    answers = [Result.parse(io.BytesIO(r.content), format=format_name).askAnswer for r in (yes, no)]
    assert answers == [True, False]


@pytest.mark.parametrize(
    ("format_name", "media_type", "rdflib_format"),
    [
        ("ttl", "text/turtle", "turtle"),
        ("nt", "application/n-triples", "nt"),
        ("jsonld", "application/ld+json", "json-ld"),
        ("rdfxml", "application/rdf+xml", "xml"),
        ("trig", "application/trig", "trig"),
        ("nq", "application/n-quads", "nquads"),
    ],
)
def test_construct_in_every_graph_format(server, format_name, media_type, rdflib_format):
    for response in (
        get(server, CONSTRUCT_CORE, format=format_name),
        get(server, CONSTRUCT_CORE, headers={"Accept": media_type}),
    ):
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"].split(";")[0] == media_type
        assert parse_rdf(response.content, rdflib_format) == core_triples()


def test_describe_gives_every_statement_about_the_resource(server):
    response = get(server, "DESCRIBE <city/zhengzhou>", format="nt")
    graph = Graph().parse(data=response.content, format="nt")
    zy = "https://w3id.org/zhongyuan-kg/ontology#"
    assert {(str(p), str(o)) for _, p, o in graph} == {
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", zy + "City"),
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", zy + "Place"),
        ("http://www.w3.org/2000/01/rdf-schema#label", "郑州"),
        ("http://www.w3.org/2000/01/rdf-schema#label", "Zhengzhou"),
        (zy + "memberOf", ID + "area/core"),
        ("http://www.w3.org/ns/prov#wasDerivedFrom", ID + "plan/ch03/s01/p01"),
    }


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/*", "text/csv"),
        ("application/json;q=0.2, text/tab-separated-values;q=0.9", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
        ("image/png, */*;q=0.1", "application/sparql-results+json"),
    ],
)
def test_accept_header_with_q_values_and_wildcards(server, accept, media_type):
    response = get(server, CORE_QUERY, headers={"Accept": accept})
    assert response.headers["Content-Type"].split(";")[0] == media_type


def test_json_accept_gives_json_ld_for_a_graph(server):
    response = get(server, CONSTRUCT_CORE, headers={"Accept": "application/json"})
    assert response.headers["Content-Type"] == "application/ld+json"
    assert parse_rdf(response.content, "json-ld") == core_triples()


def test_nothing_acceptable_is_406_listing_the_types(server):
    response = get(server, CORE_QUERY, headers={"Accept": "image/png"})
    assert response.status_code == 406
    for media_type in ("application/sparql-results+json", "text/csv", "text/tab-separated-values"):
        assert media_type in response.text
    assert get(server, "ASK {}", format="csv").status_code == 406


def test_default_graph_is_the_union_with_inferences_unless_turned_off(server):
    assert count(get(server, COUNT)) == 38  # facts 26 + ontology 3 + provenance 3 + inferences 6
    assert count(get(server, COUNT, inference="false")) == 32
    place = "ASK { <city/zhengzhou> a zy:Place }"
    assert get(server, place).json()["boolean"] is True
    assert get(server, place, inference="false").json()["boolean"] is False


def test_dataset_parameters_choose_the_graphs(server):
    assert count(get(server, COUNT, **{"default-graph-uri": FACTS})) == 26
    assert count(get(server, COUNT, **{"default-graph-uri": [FACTS, ONTOLOGY]})) == 29
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    assert column(get(server, graphs, **{"named-graph-uri": [FACTS, INFERENCES]}), "g") == [
        FACTS,
        INFERENCES,
    ]
    assert len(column(get(server, graphs), "g")) == 7  # the 4 project graphs and 3 W3C test graphs
    assert count(get(server, COUNT.replace("WHERE", f"FROM <{ONTOLOGY}> WHERE"))) == 3
    from_named = f"SELECT ?g FROM NAMED <{GRAPH}provenance> WHERE {{ GRAPH ?g {{}} }}"
    assert column(get(server, from_named), "g") == [GRAPH + "provenance"]


def test_a_dataset_iri_outside_the_project_is_refused(server):
    response = get(server, COUNT, **{"default-graph-uri": "http://example.org/g"})
    assert response.status_code == 400
    assert "default-graph-uri <http://example.org/g>" in response.text


def test_relative_iris_and_predeclared_prefixes(server):
    query = "SELECT ?zh WHERE { <city/luoyang> rdfs:label ?zh FILTER(LANG(?zh) = 'zh') }"
    assert column(get(server, query), "zh") == ["洛阳"]


def test_service_description_by_accept(server):
    sd = "http://www.w3.org/ns/sparql-service-description#"
    sizes_by_format = set()
    for media_type, rdflib_format in (
        ("text/turtle", "turtle"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
    ):
        response = get(server, headers={"Accept": media_type})
        assert response.headers["Content-Type"].split(";")[0] == media_type
        sizes_by_format.add(len(parse_rdf(response.content, rdflib_format)))
    graph = Graph().parse(data=get(server, format="ttl").content, format="turtle")
    assert sizes_by_format == {len(graph)}
    endpoint = URIRef(server.url)
    assert (endpoint, URIRef(sd + "endpoint"), endpoint) in graph
    names = {str(o) for o in graph.objects(None, URIRef(sd + "name"))}
    assert names == {GRAPH + n for n in ("facts", "ontology", "provenance", "inferences")} | {
        GRAPH + f"w3c/data{n}" for n in (1, 2, 3)
    }
    # The W3C test graphs are named graphs outside the default graph: no UnionDefaultGraph claim.
    assert (endpoint, URIRef(sd + "feature"), URIRef(sd + "UnionDefaultGraph")) not in graph
    formats = {str(o) for o in graph.objects(endpoint, URIRef(sd + "resultFormat"))}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_CSV" in formats
    assert len(formats) == 10
    sizes = {
        str(name): int(
            graph.value(
                graph.value(node, URIRef(sd + "graph")), URIRef("http://rdfs.org/ns/void#triples")
            )
        )
        for node, name in graph.subject_objects(URIRef(sd + "name"))
    }
    assert sizes[FACTS] == 26 and sizes[INFERENCES] == 6
    void = requests.get(server.root + "/.well-known/void", timeout=10)
    assert void.status_code == 200 and "void#Dataset" in void.text


def test_browser_gets_the_query_page_with_local_assets(server):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = get(server, headers={"Accept": browser})
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<textarea id="query" name="query"' in page.text
    assert "http" not in page.text.split("<body>")[0].replace(server.root, "")  # no CDN
    assert requests.get(server.root + "/static/sparql.css", timeout=10).status_code == 200


def test_cors_preflight_and_headers(server):
    preflight = requests.options(
        server.url,
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert set(preflight.headers["Access-Control-Allow-Methods"].split(", ")) == {
        "GET",
        "POST",
        "OPTIONS",
    }
    assert get(server, "ASK {}").headers["Access-Control-Allow-Origin"] == "*"


def test_etag_and_last_modified_give_304(server):
    first = get(server, CORE_QUERY)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('W/"')
    again = get(server, CORE_QUERY, headers={"If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["ETag"]) == (304, b"", etag)
    assert get(server, CORE_QUERY, headers={"If-Modified-Since": modified}).status_code == 304
    other = get(server, CORE_QUERY, format="csv", headers={"If-None-Match": etag})
    assert other.status_code == 200
    posted = requests.post(
        server.url, data={"query": CORE_QUERY}, headers={"If-None-Match": etag}, timeout=10
    )
    assert posted.status_code == 200


def test_syntax_error_has_the_parser_message_and_position(server):
    broken = "SELECT * WHERE {\n  ?s ?p\n}"
    as_json = get(server, broken, headers={"Accept": "application/json"})
    assert as_json.status_code == 400
    error = as_json.json()["error"]
    # Oxigraph reports where its parser gave up (column 2 here, just past the `}`).
    assert (error["code"], error["line"], error["column"]) == ("syntax-error", 3, 2)
    assert error["message"].startswith("expected ")
    as_text = get(server, broken)
    assert as_text.headers["Content-Type"].startswith("text/plain")
    assert as_text.text.startswith("400 syntax-error: ") and "(line 3, column 2)" in as_text.text
    assert "Traceback" not in as_text.text


def test_unknown_parameters_are_ignored(server):
    assert get(server, "ASK {}", foo="bar", timeout="1").json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({}, b"query=ASK%20%7B%7D", 415),
        ({"Content-Type": "text/plain"}, b"ASK {}", 415),
        (
            {"Content-Type": "application/sparql-query; charset=UTF-16"},
            "ASK {}".encode("utf-16"),
            415,
        ),
        ({"Content-Type": "application/sparql-query"}, b"ASK {\xff}", 400),
        (
            {"Content-Type": "application/x-www-form-urlencoded"},
            b"query=ASK%7B%7D&update=CLEAR%20ALL",
            400,
        ),
        ({"Content-Type": "application/x-www-form-urlencoded"}, b"update=CLEAR%20ALL", 403),
        ({"Content-Type": "application/sparql-update"}, b"CLEAR ALL", 403),
        ({"Content-Type": "application/x-www-form-urlencoded"}, b"query=ASK{}&query=ASK{}", 400),
        ({"Content-Type": "application/x-www-form-urlencoded"}, b"", 400),
    ],
)
def test_malformed_requests(server, headers, body, status):
    response = requests.post(server.url, data=body, headers=headers, timeout=10)
    assert response.status_code == status, response.text


def test_other_methods_are_405_in_the_error_shape(server):
    response = requests.put(
        server.url, data=b"ASK {}", headers={"Accept": "application/json"}, timeout=10
    )
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method-not-allowed"
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_literals_keep_datatype_and_language_in_every_format(server):
    query = 'SELECT ?n ?s ?l WHERE { BIND(3 AS ?n) BIND("a\\tb" AS ?s) BIND("郑州"@zh AS ?l) }'
    row = get(server, query).json()["results"]["bindings"][0]
    assert row["n"] == {
        "type": "literal",
        "value": "3",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }
    assert row["s"] == {"type": "literal", "value": "a\tb"}
    assert row["l"] == {"type": "literal", "value": "郑州", "xml:lang": "zh"}
    tsv = get(server, query, format="tsv").text.splitlines()
    assert tsv == [
        "?n\t?s\t?l",
        '"3"^^<http://www.w3.org/2001/XMLSchema#integer>\t"a\\tb"\t"郑州"@zh',
    ]
    xml = Result.parse(io.BytesIO(get(server, query, format="xml").content), format="xml")
    assert next(iter(xml)) == (Literal(3), Literal("a\tb"), Literal("郑州", lang="zh"))
    assert json.loads(get(server, query, format="json").text)["head"]["vars"] == ["n", "s", "l"]
