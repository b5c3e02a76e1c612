"""Saved queries over HTTP on a real server: answers, formats, listing, paging, refusals."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
import requests
from server_fixtures import LiveServer
from test_saved_expectations import (
    CASE_IDS,
    CASES,
    Case,
    expected,
    normalise,
    rows_from_csv,
    rows_from_json,
)

from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.namespaces import DEFAULT_BASE
from zhongyuan_kg.queries.catalog import load_catalog
from zhongyuan_kg.queries.local import DATASET_FILE, load
from zhongyuan_kg.queries.openapi_doc import document
from zhongyuan_kg.server.formats import FORM_FORMATS, offered_types

JSON = "application/sparql-results+json"
CATALOG = load_catalog()


@pytest.fixture(scope="module")
def live(built: BuildReport) -> Iterator[LiveServer]:
    """`zhongyuan-kg serve` on the session's build of the real records (tests/conftest.py)."""
    server = LiveServer(built.dist / DATASET_FILE, timeout=20, evaluators=2)
    yield server
    server.stop()


def get(live: LiveServer, name: str, params=None, **headers: str) -> requests.Response:
    return requests.get(f"{live.root}/queries/{name}", params=params, headers=headers, timeout=30)


@pytest.mark.parametrize(("name", "c"), CASES, ids=CASE_IDS)
def test_answer_over_http_in_json_and_csv(live: LiveServer, name: str, c: Case):
    as_json = get(live, name, c.params, Accept=JSON)
    assert as_json.status_code == 200, as_json.text
    assert as_json.headers["Content-Type"].startswith(JSON)
    assert normalise(c.columns, rows_from_json(as_json.content), DEFAULT_BASE) == expected(c)
    as_csv = get(live, name, {**c.params, "format": "csv"})
    assert as_csv.headers["Content-Type"].startswith("text/csv")
    assert normalise(c.columns, rows_from_csv(as_csv.content), DEFAULT_BASE) == expected(c)


def test_post_takes_the_same_parameters_as_get(live: LiveServer):
    params = {"axis": ["沿陇海发展主轴", "axis/jingguang"]}
    by_get = get(live, "axis-nodes", params, Accept="text/csv")
    by_post = requests.post(
        f"{live.root}/queries/axis-nodes", data=params, headers={"Accept": "text/csv"}, timeout=30
    )
    assert by_post.status_code == 200
    assert by_post.text == by_get.text
    assert len(rows_from_csv(by_get.content)) == 18  # 9 nodes on each main axis


def first_examples(operation: dict) -> dict[str, object]:
    """Each parameter's first documented example, as a request sends it."""
    return {
        param["name"]: next(iter(param["examples"].values()))["value"]
        for param in operation["parameters"]
        if param.get("examples")
    }


def test_post_answers_what_get_answers_for_every_documented_operation(live: LiveServer):
    paths = requests.get(f"{live.root}/openapi.json", timeout=30).json()["paths"]
    compared = 0
    for name in sorted(CATALOG):
        path_item = paths[f"/queries/{name}"]
        assert set(path_item) == {"get", "post"}
        params = first_examples(path_item["get"])
        by_get = get(live, name, params, Accept="text/csv")
        by_post = requests.post(
            f"{live.root}/queries/{name}", data=params, headers={"Accept": "text/csv"}, timeout=30
        )
        assert by_get.status_code == by_post.status_code == 200, (name, by_post.text)
        assert by_post.content == by_get.content, name
        compared += 1
    assert compared == len(CATALOG) == 44


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv", "text/csv"),
        ("*/*", JSON),
    ],
)
def test_every_result_format_of_sparql_is_offered(live: LiveServer, accept: str, media_type: str):
    response = get(live, "transport-hubs", {"level": "全国性枢纽"}, Accept=accept)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(media_type)
    assert "洛阳" in response.text


def test_a_format_a_select_cannot_have_is_not_acceptable(live: LiveServer):
    assert get(live, "transport-hubs", Accept="text/turtle").status_code == 406


def test_the_catalog_as_json_lists_every_query_with_closed_sets_of_values(live: LiveServer):
    response = requests.get(f"{live.root}/queries", headers={"Accept": "application/json"})
    listed = {query["name"]: query for query in response.json()["queries"]}
    assert set(listed) == set(CATALOG)
    axis = listed["axis-nodes"]["parameters"][0]
    assert {value["id"] for value in axis["allowed"]} == {
        "axis/longhai",
        "axis/jingguang",
        "axis/jinan-zhengzhou-chongqing",
        "axis/taiyuan-zhengzhou-hefei",
    }
    place = listed["railways-through-place"]["parameters"][0]
    assert "allowed" not in place  # more than 200 places: an open set
    assert listed["passages-mentioning"]["parameters"][0]["type"] == "string"


class PageReader(HTMLParser):
    """The text of each saved query's section, every link, and every script element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, list[str]] = {}
        self.links: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self._section: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section" and "saved-query" in (found.get("class") or ""):
            self._section = found["id"]
            self.sections[self._section] = []
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        if tag == "script":
            self.scripts.append(found)

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._section = None

    def handle_data(self, data: str) -> None:
        if self._section is not None:
            self.sections[self._section].append(data)

    def text(self, name: str) -> str:
        return " ".join(" ".join(self.sections[name]).split())


def read_page(live: LiveServer, lang: str) -> tuple[requests.Response, PageReader]:
    response = requests.get(
        f"{live.root}/queries", params={"lang": lang}, headers={"Accept": "text/html"}, timeout=30
    )
    reader = PageReader()
    reader.feed(response.text)
    return response, reader


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_catalog_for_a_browser_is_a_page_in_its_language(live: LiveServer, lang: str):
    response, page = read_page(live, lang)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert all(script.get("src") for script in page.scripts)  # no inline script
    assert list(page.sections) == list(CATALOG)
    for name, query in CATALOG.items():
        text = page.text(name)
        assert text.startswith(" ".join(query.title[lang].split())), name
        assert " ".join(query.description[lang].split()) in text, name
        for param in query.params:
            assert param.name in text
            assert " ".join(param.description[lang].split()) in text, (name, param.name)
        assert f"/query?saved={name}" in page.links
        for format_name in ("csv", "json", "tsv", "xml"):
            assert f"/queries/{name}?format={format_name}" in page.links
    # Texts are escaped: the apostrophe of "plan's" is an entity in the HTML, text in the page.
    if lang == "en":
        assert "with the plan's words" in page.text("axis-industries")
        assert "with the plan's words" not in response.text


def test_the_page_lists_closed_sets_of_values_in_the_page_language(live: LiveServer):
    _, zh = read_page(live, "zh")
    _, en = read_page(live, "en")
    axes = {
        "axis/longhai": ("沿陇海发展主轴", "Longhai Main Development Axis"),
        "axis/jingguang": ("沿京广发展主轴", "Beijing–Guangzhou Main Development Axis"),
        "axis/jinan-zhengzhou-chongqing": (
            "济南—郑州—重庆发展轴",
            "Jinan–Zhengzhou–Chongqing Development Axis",
        ),
        "axis/taiyuan-zhengzhou-hefei": (
            "太原—郑州—合肥发展轴",
            "Taiyuan–Zhengzhou–Hefei Development Axis",
        ),
    }
    for short, (label_zh, label_en) in axes.items():
        assert f"{label_zh} {short}" in zh.text("axis-nodes")
        assert label_en in en.text("axis-nodes") and short in en.text("axis-nodes")
    assert "allowed values (4)" in en.text("axis-nodes")
    assert "可选值 (4)" in zh.text("transport-hubs")
    assert "allowed values (72)" in en.text("projects-by-stage")  # the stage scheme's concepts
    # More than 200 places: an open set, described instead of listed.
    assert "Too many to list" in en.text("railways-through-place")
    assert "allowed values" not in en.text("railways-through-place")
    assert "No parameters." in en.text("plan-overview")


def test_the_page_links_run_the_query(live: LiveServer):
    _, page = read_page(live, "en")
    csv = requests.get(f"{live.root}/queries/transport-hubs?format=csv", timeout=30)
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert "洛阳" in csv.text  # a national hub (全国性枢纽)
    assert "/queries/transport-hubs?format=csv" in page.links
    editor = requests.get(f"{live.root}/query?saved=transport-hubs", timeout=30)
    assert editor.status_code == 200 and 'id="editor-text"' in editor.text


def test_paging_walks_the_result_with_link_headers(live: LiveServer):
    seen, url, pages = [], f"{live.root}/queries/inland-ports?per_page=5", 0
    while url:
        response = requests.get(url, headers={"Accept": JSON}, timeout=30)
        assert response.status_code == 200
        seen += [row["port_zh"] for row in rows_from_json(response.content)]
        assert 'rel="first"' in response.headers["Link"]
        url = response.links.get("next", {}).get("url")
        pages += 1
    assert pages == 4  # 5 + 5 + 5 + 1 of the 16 ports
    assert len(seen) == len(set(seen)) == 16


def test_unknown_query_is_404_with_the_closest_names(live: LiveServer):
    response = get(live, "axis-node", Accept="application/json")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "unknown-query"
    assert "axis-nodes" in error["allowed"]


@pytest.mark.parametrize(
    "name",
    ["..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "axis-nodes%00", "AXIS-NODES"],
)
def test_names_are_looked_up_never_used_as_paths(live: LiveServer, name: str):
    response = requests.get(f"{live.root}/queries/{name}", timeout=30)
    assert response.status_code == 404
    assert "root:" not in response.text


@pytest.mark.parametrize(
    ("name", "params", "says"),
    [
        ("axis-nodes", {"city": "郑州"}, "unknown parameter"),
        ("axis-nodes", {"axis": "city/zhengzhou"}, "not an allowed value"),
        ("axis-nodes", {"axis": "沿陇海"}, "not an allowed value"),
        ("railways-through-place", {"place": "河南"}, "matches several values"),
        ("energy-capacities", {"min_capacity": "much"}, "not a number"),
        ("energy-capacities", {"min_capacity": "1e999999999999999999"}, "not a number"),
        ("agglomeration-members", {"limit": "1" * 5000}, "not an integer"),
        ("expressways", {"code": ["G59", "G45"]}, "takes one value"),
        ("inland-ports", {"limit": "0"}, "limit"),
        ("axis-nodes", {"axis": "> . ?s ?p ?o . <"}, "not an allowed value"),
        ("axis-nodes", {"axis": '郑州" } ; DROP ALL #'}, "not an allowed value"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(live: LiveServer, name, params, says):
    response = get(live, name, params, Accept="application/json")
    assert response.status_code == 400
    assert says in response.json()["error"]["message"]


def test_a_refused_iri_comes_with_the_allowed_values(live: LiveServer):
    response = get(live, "transport-hubs", {"level": "city/zhengzhou"}, Accept="application/json")
    allowed = response.json()["error"]["allowed"]
    assert len(allowed) == 4 and any("区域性枢纽" in value for value in allowed)


@pytest.mark.parametrize(
    "attack", ['郑州" } ; DROP ALL #', "x\\u0022 } ?s ?p ?o", "> . ?s ?p ?o . <"]
)
def test_injection_in_a_string_parameter_is_just_text(live: LiveServer, attack: str):
    response = get(live, "passages-mentioning", {"text": attack}, Accept=JSON)
    assert response.status_code == 200
    assert rows_from_json(response.content) == []
    # The graph is intact afterwards.
    after = get(live, "passages-mentioning", {"text": "中欧班列"}, Accept=JSON)
    assert len(rows_from_json(after.content)) == 2


def test_openapi_json_is_the_document_of_the_files(built: BuildReport, live: LiveServer):
    served = requests.get(f"{live.root}/openapi.json", timeout=30).json()
    graph = load(built.dist)
    formats = FORM_FORMATS["SELECT"]
    offline = document(
        CATALOG, graph.candidates, graph.base, formats, offered_types(formats), live.root
    )
    assert served == offline
