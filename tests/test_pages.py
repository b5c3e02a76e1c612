"""Pages in a browser's eyes (Flask's client): home, resource pages, plan text, search, safety."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Literal
from rdflib.namespace import RDF, RDFS
from server_fixtures import ID

from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.namespaces import GRAPH_FACTS, ZY
from zhongyuan_kg.queries.catalog import load_catalog
from zhongyuan_kg.queries.local import DATASET_FILE
from zhongyuan_kg.server import create_app
from zhongyuan_kg.server.app import EXTENSION
from zhongyuan_kg.server.pages import COUNTED

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def app(built: BuildReport) -> Iterator[Flask]:
    """The app on the session's build of the real records."""
    application = create_app({"dataset": built.dist / DATASET_FILE, "evaluators": 1})
    yield application
    application.extensions[EXTENSION].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def text_of(html: str) -> str:
    """The visible text of a page, tags removed, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(html: str, element_id: str) -> str:
    """The markup of the element with the given id, up to its closing tag of the same name."""
    start = html.index(f'id="{element_id}"')
    tag = html.rfind("<", 0, start)
    name = re.match(r"<(\w+)", html[tag:]).group(1)
    return html[tag : html.index(f"</{name}>", start)]


def test_home_counts_classes_as_the_graph_does(client: FlaskClient, built: BuildReport):
    page = client.get("/", headers=HTML).get_data(as_text=True)
    store = ox.Store()
    store.bulk_load(path=str(built.dist / DATASET_FILE), format=ox.RdfFormat.N_QUADS)
    for name in COUNTED:
        query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s a <{ZY[name]}> }}"
        rows = list(store.query(query, use_default_graph_as_union=True))
        expected = int(rows[0]["n"].value)
        assert f'href="/ontology#{name}"' in page
        row = section(page, "class-counts").split(f'href="/ontology#{name}"')[1]
        assert re.search(r'class="n">(\d+)<', row).group(1) == str(expected), name
    counts = section(page, "class-counts")
    assert re.search(r'ontology#DevelopmentAxis">[^<]*</a></td><td class="n">4<', counts)


def test_home_lists_graphs_build_licence_queries_downloads(client: FlaskClient, built: BuildReport):
    page = client.get("/", headers=HTML).get_data(as_text=True)
    record = json.loads((built.dist / "build.json").read_text(encoding="utf-8"))
    graphs = section(page, "named-graphs")
    for graph, triples in record["triples"].items():
        assert f'<code>{graph}</code></td><td class="n">{triples}<' in graphs
    assert len(record["triples"]) == 4
    assert f'<time id="built">{record["built"]}</time>' in page
    assert 'href="https://spdx.org/licenses/MIT"' in page
    gallery = section(page, "saved-queries")
    assert set(re.findall(r'href="/query\?saved=([\w-]+)"', gallery)) == set(load_catalog())
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "graph.owl", "void.ttl"):
        assert f'href="/dist/{name}"' in page
    for link in ("/.well-known/void", "/sparql?format=ttl", "/openapi.json", "/ontology"):
        assert f'href="{link}"' in page


def test_city_page_shows_labels_province_quote_and_map(client: FlaskClient):
    page = client.get("/id/city/zhengzhou", headers=HTML).get_data(as_text=True)
    assert '<h1 id="label">郑州</h1>' in page
    assert '<span lang="en">Zhengzhou</span>' in page
    properties = section(page, "properties")
    assert '<a href="/id/province/henan">河南</a>' in properties
    assert '<a href="/ontology#inProvince"' in properties
    sources = section(page, "sources")
    assert '<mark class="quote">以河南省郑州市</mark>' in sources
    assert '<a href="/id/plan/preface">前言</a>' in sources
    incoming = section(page, "incoming")
    assert '<a href="/id/area/zhengzhou-metropolitan">郑州大都市区</a>' in incoming
    assert page.count('class="marker"') == 1
    assert page.count("<circle") == 31  # the 30 cities and the marker


def test_english_labels_follow_the_switch_and_stick(client: FlaskClient):
    page = client.get("/id/city/zhengzhou?lang=en", headers=HTML)
    assert '<h1 id="label">Zhengzhou</h1>' in page.get_data(as_text=True)
    assert "lang=en" in page.headers["Set-Cookie"]
    again = client.get("/id/city/zhengzhou", headers=HTML).get_data(as_text=True)
    assert '<a href="/id/province/henan">Henan Province</a>' in again
    assert 'id="lang-switch" class="lang" href="/id/city/zhengzhou?lang=zh"' in again


def test_section_page_reads_the_plan_and_links_what_it_gave(client: FlaskClient):
    page = client.get("/id/plan/ch03/s01", headers=HTML).get_data(as_text=True)
    assert "第一节 构建“一核四轴四区”网络化空间格局" in page
    text = section(page, "text")
    passages = re.findall(r'<a class="pid" href="/id/plan/ch03/s01/p(\d+)"', text)
    assert passages == sorted(passages) and passages[:3] == ["01", "02", "03"]
    first = text.split('id="p01"')[1].split('class="paragraph"')[0]
    assert "郑州大都市区。支持郑州建设国家中心城市" in first
    assert '<a href="/id/area/zhengzhou-metropolitan">郑州大都市区</a>' in first


def test_box_page_shows_its_heading_and_text(client: FlaskClient):
    page = client.get("/id/plan/box04", headers=HTML).get_data(as_text=True)
    assert '<h1 id="label">专栏 4：综合交通系统建设重点工程</h1>' in page
    text = section(page, "text")
    assert len(re.findall(r'<a class="pid" href="/id/plan/box04/p\d+"', text)) == 12
    assert 'href="/id/project/airport/zhengzhou-xinzheng-phase3"' in text


def test_search_finds_labels_and_escapes_the_query(client: FlaskClient):
    page = client.get("/search?q=郑州大都市区", headers=HTML).get_data(as_text=True)
    first = re.search(r'<li><a href="([^"]+)">', section(page, "search-results")).group(1)
    assert first == "/id/area/zhengzhou-metropolitan"
    hostile = client.get("/search?q=<script>alert(1)</script>", headers=HTML)
    body = hostile.get_data(as_text=True)
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body


def test_every_html_page_has_a_same_origin_policy(client: FlaskClient):
    for path in ("/", "/id/city/zhengzhou", "/search?q=x", "/id/city/atlantis", "/map"):
        response = client.get(path, headers=HTML)
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "unsafe-inline" not in policy, path
        assert "<script>" not in response.get_data(as_text=True)  # scripts only from files
    ontology = client.get("/ontology", headers=HTML).headers["Content-Security-Policy"]
    assert "style-src 'self' 'sha256-" in ontology and "script-src" not in ontology


def test_a_literal_script_shows_as_text(tmp_path: Path):
    """A label holding markup is text on the page (synthetic data: the plan has none)."""
    evil = ID["city/evil"]
    label = Literal("<script>alert(1)</script>", lang="zh")
    lines = [
        f"<{evil}> <{RDFS.label}> {label.n3()} <{GRAPH_FACTS}> .",
        f"<{evil}> <{RDF.type}> <{ZY.City}> <{GRAPH_FACTS}> .",
    ]
    dataset = tmp_path / "graph.nq"
    dataset.write_text("\n".join(lines) + "\n", encoding="utf-8")
    application = create_app({"dataset": dataset, "evaluators": 1})
    try:
        page = application.test_client().get("/id/city/evil", headers=HTML).get_data(as_text=True)
    finally:
        application.extensions[EXTENSION].close()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_map_data_is_the_plan_spatial_structure(client: FlaskClient):
    data = client.get("/map/data.json").get_json()
    areas = {city["iri"].rsplit("/", 1)[-1]: city["area"] for city in data["cities"]}
    core = "zhengzhou kaifeng luoyang pingdingshan xinxiang jiaozuo xuchang luohe jiyuan hebi"
    core += " shangqiu zhoukou jincheng bozhou"
    assert {slug for slug, area in areas.items() if area == "core"} == set(core.split())
    assert len(areas) == 30 and list(areas.values()).count("linked") == 16
    axes = {axis["iri"]: axis for axis in data["axes"]}
    longhai = [iri.rsplit("/", 1)[-1] for iri in axes[str(ID["axis/longhai"])]["nodes"]]
    # 沿陇海发展主轴 from 运城 in the west to 宿州 in the east, through 郑州, in order along
    # its longest span (菏泽 lies north of the line, a little west of 商丘).
    assert longhai == [
        "yuncheng",
        "sanmenxia",
        "luoyang",
        "zhengzhou",
        "kaifeng",
        "heze",
        "shangqiu",
        "huaibei",
        "suzhou-anhui",
    ]
    assert {iri for iri, axis in axes.items() if axis["main"]} == {
        str(ID["axis/longhai"]),
        str(ID["axis/jingguang"]),
    }
    assert len(axes) == 4
    (metropolitan,) = data["metropolitan"]
    assert metropolitan["label"]["zh"] == "郑州大都市区"
    assert {m.rsplit("/", 1)[-1] for m in metropolitan["members"]} == {
        "zhengzhou",
        "kaifeng",
        "xinxiang",
        "jiaozuo",
        "xuchang",
    }
    assert {p.rsplit("/", 1)[-1] for p in metropolitan["partners"]} == {
        "luoyang",
        "pingdingshan",
        "luohe",
        "jiyuan",
    }
    kinds = {kind["iri"].rsplit("#", 1)[-1] for kind in data["kinds"]}
    assert {"TransportProject", "EnergyProject", "WaterProject"} <= kinds
    assert {project["kind"] for project in data["projects"]} == {k["iri"] for k in data["kinds"]}


def test_query_page_and_saved_query_text(client: FlaskClient):
    page = client.get("/query", headers=HTML).get_data(as_text=True)
    assert 'id="editor-text"' in page and "query.js" in page
    text = client.get("/query/saved/metropolitan-area.rq")
    assert text.get_data(as_text=True) == load_catalog()["metropolitan-area"].sparql
    assert client.get("/query/saved/nothing.rq").status_code == 404
