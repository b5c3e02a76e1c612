"""Dereferencing over plain HTTP: every media type parsed back into triples about the plan."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from server_fixtures import LiveServer

from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.namespaces import GRAPH_FACTS, STAGE, ZY
from zhongyuan_kg.queries.local import DATASET_FILE
from zhongyuan_kg.server import create_app
from zhongyuan_kg.server.app import EXTENSION

ID = Namespace("https://w3id.org/zhongyuan-kg/id/")
ZHENGZHOU = ID["city/zhengzhou"]
# Media type → (rdflib parser, extension of the URL that names that representation).
MEDIA = {
    "text/turtle": ("turtle", "ttl"),
    "application/n-triples": ("nt", "nt"),
    "application/ld+json": ("json-ld", "jsonld"),
    "application/rdf+xml": ("xml", "rdf"),
}


@pytest.fixture(scope="module")
def live(built: BuildReport) -> Iterator[LiveServer]:
    """`zhongyuan-kg serve` on the session's build of the real records."""
    server = LiveServer(built.dist / DATASET_FILE, timeout=20, evaluators=2)
    yield server
    server.stop()


def get(live: LiveServer, path: str, accept: str | None = None) -> requests.Response:
    headers = {"Accept": accept} if accept else {}
    return requests.get(live.root + path, headers=headers, timeout=30, allow_redirects=False)


def parsed(response: requests.Response, parser: str) -> Graph:
    """The response read back by rdflib's own parser (independent of the server's writer)."""
    graph = Graph()
    if parser != "json-ld":
        return graph.parse(data=response.content, format=parser)
    with warnings.catch_warnings():
        # rdflib 7's JSON-LD parser still goes through its own deprecated ConjunctiveGraph.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="rdflib")
        dataset = Dataset().parse(data=response.content, format="json-ld")
        for triple in dataset.triples((None, None, None)):
            graph.add(triple)
    return graph


def assert_zhengzhou(graph: Graph) -> None:
    """郑州 as the plan states it: its labels, its province (with its label), its area."""
    assert set(graph.objects(ZHENGZHOU, RDFS.label)) == {
        Literal("郑州", lang="zh"),
        Literal("Zhengzhou", lang="en"),
    }
    assert set(graph.objects(ZHENGZHOU, ZY.inProvince)) == {ID["province/henan"]}
    assert Literal("河南", lang="zh") in set(graph.objects(ID["province/henan"], RDFS.label))
    # Incoming links belong to the description too: the metropolitan area lists it as a member.
    assert (ID["area/zhengzhou-metropolitan"], ZY.hasMember, ZHENGZHOU) in graph
    assert (ZHENGZHOU, ZY.memberOf, ID["area/core"]) in graph


@pytest.mark.parametrize("media_type", list(MEDIA))
def test_resource_by_accept(live: LiveServer, media_type: str):
    parser, extension = MEDIA[media_type]
    response = get(live, "/id/city/zhengzhou", media_type)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in response.headers["Vary"]
    assert response.headers["Content-Location"] == f"/id/city/zhengzhou.{extension}"
    assert_zhengzhou(parsed(response, parser))


@pytest.mark.parametrize("media_type", list(MEDIA))
def test_resource_by_extension(live: LiveServer, media_type: str):
    parser, extension = MEDIA[media_type]
    response = get(live, f"/id/city/zhengzhou.{extension}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert_zhengzhou(parsed(response, parser))


def test_browsers_get_the_page_with_alternates(live: LiveServer):
    response = get(live, "/id/city/zhengzhou", "text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["Content-Location"] == "/id/city/zhengzhou.html"
    alternates = response.headers["Link"]
    for _, extension in MEDIA.values():
        assert f"</id/city/zhengzhou.{extension}>" in alternates
    assert "以河南省郑州市" in response.text  # the source quote


def test_unknown_iri_is_404_in_every_representation(live: LiveServer):
    page = get(live, "/id/city/atlantis", "text/html")
    assert page.status_code == 404
    assert 'action="/search"' in page.text
    for media_type in MEDIA:
        assert get(live, "/id/city/atlantis", media_type).status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/id/city/zhengzhou.%00", "/id/city/zheng%20zhou", "/id/city/zhengzhou%3E", "/vocab/%FF%FF"],
)
def test_a_path_that_makes_no_iri_is_404_in_every_representation(live: LiveServer, path: str):
    # It was a 400 naming a syntax error in a query the client never wrote.
    page = get(live, path, "text/html")
    assert page.status_code == 404
    assert "<title>未找到" in page.text
    response = get(live, path, "text/turtle")
    assert response.status_code == 404
    assert response.text.startswith("404 not-found: the graph holds nothing about <")


def test_vocabulary_concept(live: LiveServer):
    graph = parsed(get(live, "/vocab/stage/jiancheng", "text/turtle"), "turtle")
    concept = STAGE["jiancheng"]
    assert set(graph.objects(concept, SKOS.prefLabel)) == {
        Literal("建成", lang="zh"),
        Literal("complete", lang="en"),
    }
    assert set(graph.objects(concept, SKOS.broader)) == {STAGE["group-build"]}
    # The projects the plan says will be completed (建成) point to it, e.g. 郑徐高铁.
    assert (ID["project/hsr/zhengzhou-xuzhou"], ZY.hasStage, concept) in graph


def test_ontology_by_accept(live: LiveServer):
    html = get(live, "/ontology", "text/html")
    assert html.status_code == 200
    assert 'id="City"' in html.text and 'id="hasNodeCity"' in html.text
    for media_type, (parser, _) in MEDIA.items():
        response = get(live, "/ontology", media_type)
        assert response.status_code == 200, media_type
        graph = parsed(response, parser)
        assert (ZY.City, RDF.type, OWL.Class) in graph
        assert Literal("城市", lang="zh") in set(graph.objects(ZY.City, RDFS.label))


def test_downloads_come_from_the_whitelist_only(live: LiveServer, built: BuildReport):
    response = get(live, "/dist/graph.nt")
    assert response.status_code == 200
    assert response.content == (built.dist / "graph.nt").read_bytes()
    for path in ("/dist/nothing.ttl", "/dist/..%2Fpyproject.toml", "/dist/ontology"):
        assert get(live, path).status_code == 404


def test_another_base_maps_to_this_server_too(tmp_path: Path):
    """With `base_iri` set to another base, `/id/…` resolves IRIs under that base."""
    base = "https://example.org/kg/"
    city = URIRef(base + "city/zhengzhou")
    label = Literal("郑州", lang="zh")
    dataset = tmp_path / "graph.nq"
    dataset.write_text(f"<{city}> <{RDFS.label}> {label.n3()} <{GRAPH_FACTS}> .\n", "utf-8")
    application = create_app({"dataset": dataset, "evaluators": 1, "base_iri": base})
    try:
        client = application.test_client()
        response = client.get("/id/city/zhengzhou.nt")
        assert response.status_code == 200
        graph = Graph().parse(data=response.data, format="nt")
        assert set(graph) == {(city, RDFS.label, label)}
        assert client.get("/id/city/kaifeng.nt").status_code == 404
    finally:
        application.extensions[EXTENSION].close()
