"""Property-based fuzzing of the live endpoint: random query texts, bodies, headers and saved-query
parameters never get a 5xx other than the documented 503 (time limit, busy), and the server lives.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from server_fixtures import LiveServer

from zhongyuan_kg.queries.catalog import load_catalog

pytest_plugins = ["server_fixtures"]

NORMAL = "ASK { <city/zhengzhou> zy:memberOf <area/core> }"
# Pieces of SPARQL, so that random texts reach the parser's and the policy's deeper paths.
TOKENS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "[", "]", ".", ";",
    "?s", "?p", "?o", "*", "<city/zhengzhou>", "zy:City", "rdfs:label", '"郑州"@zh', "'x'",
    "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "SERVICE", "FROM", "NAMED", "VALUES",
    "BIND", "AS", "LIMIT", "OFFSET", "ORDER BY", "GROUP BY", "COUNT(*)", "REGEX", "\\u0053",
    "#", "\n", "<", ">", "+", "|", "/", "^", "!", "a", "1", "1.5e3", "INSERT", "DROP", "PREFIX",
    "x:", "<file:///etc/passwd>", "<http://127.0.0.1:9/>", "\x00", "\ufffd", "字",
    "BASE", "<http://[::1>", "<//[x>", "1e999999999", "1" * 5000,  # 500s found by hand once
]  # fmt: skip
# 503 is the documented answer to the time limit and to a full server.
ALLOWED = {200, 400, 403, 404, 405, 406, 413, 414, 415, 431, 503}
FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def fuzzed(test_dataset: Path) -> Iterator[LiveServer]:
    """A server with a 1 s time limit, so that random cartesian products end soon."""
    live = LiveServer(test_dataset, timeout=1, evaluators=2, max_concurrent=4)
    yield live
    live.stop()


sparqlish = st.lists(st.sampled_from(TOKENS) | st.text(max_size=8), max_size=30).map(" ".join)
# Numbers as people and programs write them, and longer than int() reads (4,300 digits).
numberish = st.from_regex(
    r"[+-]?[0-9]{0,6}(\.[0-9]{0,4})?([eE][+-]?[0-9]{1,20})?", fullmatch=True
) | st.integers(4000, 6000).map(lambda digits: "1" * digits)
# Printable ASCII without leading blanks: what an HTTP client can send as a header value.
header_text = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60
).map(str.lstrip)


def check(response: requests.Response) -> None:
    """A documented status; a 503 says why; never a trace."""
    assert response.status_code in ALLOWED, (response.status_code, response.text[:300])
    if response.status_code == 503:
        assert any(code in response.text for code in ("timeout", "busy", "unavailable"))
    assert "Traceback" not in response.text


def assert_alive(server) -> None:
    started = time.monotonic()
    answer = requests.get(server.url, params={"query": NORMAL}, timeout=10)
    assert answer.json()["boolean"] is True
    assert time.monotonic() - started < 1.0


@FUZZ
@given(query=sparqlish, method=st.sampled_from(["GET", "POST-form", "POST-direct"]))
def test_random_query_texts(fuzzed, query, method):
    if method == "GET":
        response = requests.get(fuzzed.url, params={"query": query}, timeout=30)
    elif method == "POST-form":
        response = requests.post(fuzzed.url, data={"query": query}, timeout=30)
    else:
        response = requests.post(
            fuzzed.url,
            data=query.encode("utf-8", "surrogatepass"),
            headers={"Content-Type": "application/sparql-query"},
            timeout=30,
        )
    check(response)


@FUZZ
@given(
    body=st.binary(max_size=300),
    content_type=st.sampled_from(
        [
            "application/sparql-query",
            "application/x-www-form-urlencoded",
            "application/sparql-update",
            "application/sparql-query; charset=latin-1",
            "multipart/form-data; boundary=x",
            "application/json",
            "",
        ]
    )
    | header_text,
)
def test_random_bodies_and_content_types(fuzzed, body, content_type):
    response = requests.post(
        fuzzed.url, data=body, headers={"Content-Type": content_type}, timeout=30
    )
    check(response)


@FUZZ
@given(
    accept=header_text,
    request_id=header_text,
    extra=st.dictionaries(
        st.from_regex(r"X-[A-Za-z]{1,10}", fullmatch=True), header_text, max_size=4
    ),
    params=st.dictionaries(
        st.sampled_from(
            ["format", "inference", "default-graph-uri", "named-graph-uri", "update", "x"]
        ),
        st.text(max_size=30),
        max_size=3,
    ),
)
def test_random_headers_and_parameters(fuzzed, accept, request_id, extra, params):
    headers = {"Accept": accept, "X-Request-Id": request_id, "If-None-Match": accept, **extra}
    response = requests.get(
        fuzzed.url, params={"query": NORMAL, **params}, headers=headers, timeout=30
    )
    check(response)
    if response.status_code == 200 and "json" in response.headers["Content-Type"]:
        assert response.json()["boolean"] is True


CATALOG = load_catalog()
PARAM_NAMES = sorted({param.name for query in CATALOG.values() for param in query.params})


@FUZZ
@given(
    name=st.sampled_from(sorted(CATALOG)),
    values=st.dictionaries(
        st.sampled_from([*PARAM_NAMES, "limit", "offset", "format"]),
        st.lists(sparqlish | st.text(max_size=20) | numberish, min_size=1, max_size=2),
        max_size=3,
    ),
)
def test_random_saved_query_parameters(fuzzed, name, values):
    response = requests.get(
        f"{fuzzed.root}/queries/{name}",
        params=values,
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    check(response)
    assert response.status_code not in (403, 405, 415)  # a parameter is never an operation


# Resource paths, already URL-encoded: real ones, extensions, and bytes that make no IRI.
PATH_PIECES = [
    "city/zhengzhou", "stage/jiancheng", "area/core", ".", ".ttl", ".jsonld", "/", "..", "%2F",
    "%00", "%FF", "%20", "%3E", "%7B", "%5C", "%60", "%EF%BF%BD", "%E9%83%91",
]  # fmt: skip
resource_path = st.lists(
    st.sampled_from(PATH_PIECES) | st.text(max_size=4).map(lambda text: quote(text, safe="")),
    max_size=6,
).map("".join)


@FUZZ
@given(
    root=st.sampled_from(["id", "vocab"]),
    path=resource_path,
    accept=st.sampled_from(["text/html", "text/turtle", "application/ld+json"]),
)
def test_random_resource_paths(fuzzed, root, path, accept):
    # A path names a resource or nothing: 200 or 404, whatever its characters.
    url = f"{fuzzed.root}/{root}/{path}"
    response = requests.get(url, headers={"Accept": accept}, timeout=30)
    assert response.status_code in (200, 404), (response.status_code, response.text[:300])


def test_the_server_is_alive_after_the_fuzzing(fuzzed):
    assert_alive(fuzzed)
    count = requests.get(
        fuzzed.url, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}, timeout=10
    )
    assert count.json()["results"]["bindings"][0]["n"]["value"] == "38"
