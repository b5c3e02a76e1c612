"""The fast path: repeats and plain queries answered before Flask, byte for byte as Flask does.

Three live servers on the same build: one with the response cache (repeats answered before
Flask), one without a cache (plain queries evaluated before Flask, `early_answer.py`), and one
where every request takes the Flask path (a rate limit turns the fast path off). Each request is
sent three times to the first two (a miss that Flask answers, then hits or early answers) and
once to the third; status, body and headers must agree, except `X-Request-Id` and `Date`.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
from server_fixtures import BODY_TIMEOUT_REFUSAL, LiveServer, send_short_body

from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.queries.local import DATASET_FILE
from zhongyuan_kg.server import create_app
from zhongyuan_kg.server.app import EXTENSION
from zhongyuan_kg.server.fast_path import MAX_FAST_BODY, FastPath

pytest_plugins = ["server_fixtures"]

JSON = "application/sparql-results+json"
CSV = "text/csv"
MEMBERS = (
    "SELECT ?c ?l WHERE { ?c zy:memberOf <area/core> ; rdfs:label ?l FILTER(LANG(?l)='zh') } "
    "ORDER BY ?c"
)
LABELS = "CONSTRUCT { <city/zhengzhou> rdfs:label ?l } WHERE { <city/zhengzhou> rdfs:label ?l }"
ALL_LABELS = "SELECT ?s ?l { ?s rdfs:label ?l } ORDER BY ?s ?l"  # more rows than MAX_ROWS
PER_REQUEST = {"x-request-id", "date"}
_EXPIRES = re.compile(r"Expires=[^;]*; ")
MAX_ROWS = 100
MAX_BODY = 20_000
SETTINGS = {"timeout": 3, "evaluators": 1, "max_rows": MAX_ROWS, "max_body": MAX_BODY}


@pytest.fixture(scope="module")
def fast(built: BuildReport) -> Iterator[LiveServer]:
    """The endpoint with its response cache, so with the fast path."""
    live = LiveServer(built.dist / DATASET_FILE, **SETTINGS)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def early(built: BuildReport) -> Iterator[LiveServer]:
    """The endpoint without a cache: plain queries are evaluated before Flask, all of them."""
    live = LiveServer(built.dist / DATASET_FILE, cache_mb=0, **SETTINGS)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def plain(built: BuildReport) -> Iterator[LiveServer]:
    """The endpoint where every answer comes from Flask: a rate limit (never met) turns the
    fast path off."""
    live = LiveServer(built.dist / DATASET_FILE, cache_mb=0, rate_limit=100_000, **SETTINGS)
    yield live
    live.stop()


def send(live: LiveServer, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(method, live.root + path, timeout=30, **kwargs)


def seen(live: LiveServer, response: requests.Response) -> tuple[int, bytes, list]:
    """What a client sees, less what differs by request (id, date, cookie expiry) or by port."""
    port = str(live.port)
    headers = [
        (name.lower(), _EXPIRES.sub("", value).replace(port, "PORT"))
        for name, value in response.raw.headers.items()
        if name.lower() not in PER_REQUEST
    ]
    # Flask lists allowed methods from a set, in an order that differs between processes.
    headers = [
        (name, ", ".join(sorted(value.split(", "))) if name == "allow" else value)
        for name, value in headers
    ]
    return response.status_code, response.content.replace(port.encode(), b"PORT"), sorted(headers)


def assert_same_thrice(fast: LiveServer, plain: LiveServer, method: str, path: str, **kwargs):
    """The first answer (a miss) and two repeats (hits) equal the Flask path's answer."""
    expected = seen(plain, send(plain, method, path, **kwargs))
    for attempt in range(3):
        assert seen(fast, send(fast, method, path, **kwargs)) == expected, attempt
    return expected


CASES = {
    "get-json": ("GET", "/sparql", {"params": {"query": MEMBERS}, "headers": {"Accept": JSON}}),
    "get-csv": ("GET", "/sparql", {"params": {"query": MEMBERS}, "headers": {"Accept": CSV}}),
    "get-format-tsv": ("GET", "/sparql", {"params": {"query": MEMBERS, "format": "tsv"}}),
    "get-xml": (
        "GET",
        "/sparql",
        {"params": {"query": MEMBERS}, "headers": {"Accept": "application/sparql-results+xml"}},
    ),
    "ask": ("GET", "/sparql", {"params": {"query": "ASK { <city/zhengzhou> ?p ?o }"}}),
    "construct-turtle": (
        "GET",
        "/sparql",
        {"params": {"query": LABELS}, "headers": {"Accept": "text/turtle"}},
    ),
    "truncated": (
        "GET",
        "/sparql",
        {"params": {"query": ALL_LABELS}, "headers": {"Accept": CSV}},
    ),
    "head": ("HEAD", "/sparql", {"params": {"query": MEMBERS}, "headers": {"Accept": CSV}}),
    "post-form": ("POST", "/sparql", {"data": {"query": MEMBERS}, "headers": {"Accept": CSV}}),
    "post-direct": (
        "POST",
        "/sparql",
        {
            "data": MEMBERS.encode(),
            "headers": {"Content-Type": "application/sparql-query", "Accept": JSON},
        },
    ),
    "saved-get": (
        "GET",
        "/queries/axis-nodes",
        {"params": {"axis": "沿陇海发展主轴"}, "headers": {"Accept": CSV}},
    ),
    "saved-post": (
        "POST",
        "/queries/axis-nodes",
        {"data": {"axis": "沿陇海发展主轴"}, "headers": {"Accept": JSON}},
    ),
    "saved-paged": (
        "GET",
        "/queries/inland-ports",
        {"params": {"per_page": "5", "page": "2"}, "headers": {"Accept": JSON}},
    ),
    "language-cookie-set": ("GET", "/sparql", {"params": {"query": MEMBERS, "lang": "en"}}),
    "language-cookie-kept": (
        "GET",
        "/sparql",
        {"params": {"query": MEMBERS, "lang": "en"}, "headers": {"Cookie": "lang=en"}},
    ),
    "syntax-error": ("GET", "/sparql", {"params": {"query": "SELECT ?x {"}}),
    "get-bad-escape": ("GET", "/sparql?query=ASK%FF%7B%7D", {"headers": {"Accept": JSON}}),
    "not-acceptable": (
        "GET",
        "/sparql",
        {"params": {"query": MEMBERS}, "headers": {"Accept": "image/png"}},
    ),
    "no-accept": ("POST", "/sparql", {"data": {"query": MEMBERS}, "headers": {"Accept": ""}}),
    "update-refused": ("POST", "/sparql", {"data": {"query": "CLEAR ALL"}}),
    "post-syntax-error": ("POST", "/sparql", {"data": {"query": "SELECT ?x {"}}),
    "unknown-saved-query": ("GET", "/queries/axis-node", {"headers": {"Accept": JSON}}),
    "preflight": (
        "OPTIONS",
        "/sparql",
        {
            "headers": {
                "Origin": "https://example.org",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "Content-Type",
            }
        },
    ),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("before_flask", ["fast", "early"])
def test_answers_equal_the_flask_path_byte_for_byte(request, plain, before_flask, case):
    method, path, kwargs = CASES[case]
    live = request.getfixturevalue(before_flask)
    status, body, headers = assert_same_thrice(live, plain, method, path, **kwargs)
    names = {name for name, _ in headers}
    if case == "truncated":
        assert status == 200
        assert {("x-result-truncated", "true"), ("x-sparql-maxrows", str(MAX_ROWS))} <= set(headers)
    elif case == "head":
        assert (status, body) == (200, b"")
        assert {"etag", "x-result-rows", "content-security-policy", "vary"} <= names
    elif case == "saved-paged":
        assert 'rel="prev"' in dict(headers)["link"]
    elif case == "language-cookie-set":
        assert dict(headers)["set-cookie"].startswith("lang=en")
    elif case in ("not-acceptable", "update-refused"):
        assert status == (406 if case == "not-acceptable" else 403)
    elif case == "preflight":
        assert ("access-control-allow-methods", "GET, POST, OPTIONS") in headers
    elif status == 200 and method != "OPTIONS":
        assert {"etag", "last-modified", "x-result-rows", "vary"} <= names
        assert {"access-control-allow-origin", "x-content-type-options"} <= names


def test_the_language_cookie_follows_each_request(fast, plain):
    # A kept answer without the cookie must not answer a request that gets one set.
    query = {"query": MEMBERS, "lang": "zh", "format": "csv"}
    assert_same_thrice(fast, plain, "GET", "/sparql", params=query, headers={"Cookie": "lang=zh"})
    status, _, headers = assert_same_thrice(fast, plain, "GET", "/sparql", params=query)
    assert status == 200 and dict(headers)["set-cookie"].startswith("lang=zh")


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_revalidation_is_304_as_flask_sends_it(fast, plain, method):
    query = {"query": MEMBERS, "format": "json"}
    first = send(plain, "GET", "/sparql", params=query)
    send(fast, "GET", "/sparql", params=query)  # kept
    for validators in (
        {"If-None-Match": first.headers["ETag"]},
        {"If-None-Match": f'"other", {first.headers["ETag"]}'},
        {"If-Modified-Since": first.headers["Last-Modified"]},
        {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"},
    ):
        status, body, headers = assert_same_thrice(
            fast, plain, method, "/sparql", params=query, headers=validators
        )
        assert (status, body) == (304, b"")
        assert ("etag", first.headers["ETag"]) in headers
    for stale in (
        {"If-None-Match": '"other"'},
        {"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"},
        {"If-None-Match": '"other"', "If-Modified-Since": first.headers["Last-Modified"]},
    ):
        status, _, _ = assert_same_thrice(
            fast, plain, method, "/sparql", params=query, headers=stale
        )
        assert status == 200
    # A POST is never 304, whatever its validators.
    status, _, _ = assert_same_thrice(
        fast, plain, "POST", "/sparql", data=query, headers={"If-None-Match": "*"}
    )
    assert status == 200


def test_a_repeat_has_its_own_request_id_and_log_line(fast):
    params = {"query": MEMBERS, "format": "csv"}
    first = send(fast, "GET", "/sparql", params=params)
    again = send(fast, "GET", "/sparql", params=params, headers={"X-Request-Id": "fp-repeat-1"})
    assert again.headers["X-Request-Id"] == "fp-repeat-1"
    forged = send(fast, "GET", "/sparql", params=params, headers={"X-Request-Id": 'a"} b' * 3})
    fresh = send(fast, "GET", "/sparql", params=params)
    assert len(forged.headers["X-Request-Id"]) == len(fresh.headers["X-Request-Id"]) == 32
    assert len({first.headers["X-Request-Id"], forged.headers["X-Request-Id"]}) == 2
    time.sleep(0.2)
    lines = [json.loads(line) for line in fast.output().splitlines() if "fp-repeat-1" in line]
    assert len(lines) == 1
    record = lines[0]
    assert {key: record[key] for key in ("client", "method", "path", "status", "rows")} == {
        "client": "127.0.0.1",
        "method": "GET",
        "path": "/sparql",
        "status": 200,
        "rows": first.headers["X-Result-Rows"],
    }
    assert record["bytes"] == len(first.content) and record["duration_ms"] >= 0
    assert set(record) == {
        "time", "request_id", "client", "method", "path", "status", "duration_ms", "bytes", "rows"
    }  # fmt: skip


@pytest.mark.parametrize("size", [MAX_FAST_BODY // 2, MAX_BODY + 1])
def test_large_and_chunked_bodies_are_answered_as_flask_answers_them(fast, plain, size):
    # A query padded with a comment: read ahead below the bound, streamed to Flask above it
    # (where max_body refuses it with 413), with or without Content-Length.
    query = MEMBERS + "\n#" + "x" * size
    status, _, _ = assert_same_thrice(
        fast, plain, "POST", "/sparql", data={"query": query}, headers={"Accept": CSV}
    )
    assert status == (200 if size < MAX_BODY else 413)
    body = urlencode({"query": query}).encode()
    chunked = {"Accept": CSV, "Content-Type": "application/x-www-form-urlencoded"}
    answers = [
        send(live, "POST", "/sparql", data=iter([body]), headers=chunked)  # iterator: chunked
        for live in (plain, fast, fast)
    ]
    assert [answer.status_code for answer in answers] == [status] * 3
    assert answers[0].content == answers[1].content == answers[2].content


def test_a_get_declaring_a_body_over_the_cap_is_413_as_flask_answers_it(fast, early, plain):
    # Flask refuses a declared excess before reading; answered early, the GET was a 200 once
    # its request shape was known (as after this first, ordinary GET).
    for live in (plain, fast, early):
        assert send(live, "GET", "/sparql", params={"query": MEMBERS}, headers={"Accept": CSV}).ok
    headers = {"Accept": CSV, "Content-Length": str(MAX_BODY + 1)}
    answers = [
        send(live, "GET", "/sparql", params={"query": MEMBERS}, headers=headers)
        for live in (plain, fast, fast, early, early)
    ]
    assert [answer.status_code for answer in answers] == [413] * 5
    assert {answer.content for answer in answers} == {
        f"413 body-too-large: request body larger than {MAX_BODY} bytes\n".encode()
    }


def test_a_slow_small_body_still_meets_the_read_timeout(fast):
    # A small body is read ahead of Flask: its wait is bounded as Flask's path bounds it.
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
        b"\r\nContent-Length: 100\r\n\r\nquery=ASK"
    )
    answer, seconds = send_short_body(fast.port, head)
    assert 2.5 < seconds < 8
    assert answer.startswith(b"HTTP/1.1 408")
    assert BODY_TIMEOUT_REFUSAL in answer
    assert requests.get(fast.url, params={"query": "ASK {}"}, timeout=10).status_code == 200


# --- in-process: the same middleware under Flask's test client ---------------------------------


def test_a_repeat_never_reaches_flask(test_dataset: Path):
    application = create_app({"dataset": test_dataset, "evaluators": 1, "timeout": 5})
    try:
        fast_path = application.wsgi_app
        assert isinstance(fast_path, FastPath)
        client = application.test_client()
        query = {"query": "SELECT ?l WHERE { <city/zhengzhou> rdfs:label ?l } ORDER BY ?l"}
        by_get = client.get("/sparql", query_string=query, headers={"Accept": CSV})
        by_post = client.post("/sparql", data=query, headers={"Accept": CSV})
        assert by_get.data == by_post.data
        assert by_get.data.decode().split() == ["l", "Zhengzhou", "郑州"]
        described = client.get("/sparql", headers={"Accept": "text/turtle"})
        assert described.status_code == 200  # the service description: not a query answer
        assert (fast_path.stored, fast_path.hits) == (2, 0)
        # Without evaluators and without Flask's hooks, only the fast path answers as before.
        application.extensions[EXTENSION].pool.close()
        application.before_request_funcs.clear()
        application.after_request_funcs.clear()
        again = [
            client.get("/sparql", query_string=query, headers={"Accept": CSV}),
            client.head("/sparql", query_string=query, headers={"Accept": CSV}),
            client.post("/sparql", data=query, headers={"Accept": CSV}),
        ]
        assert fast_path.hits == 3
        for response in again:
            assert response.status_code == 200
            assert response.headers["ETag"] == by_get.headers["ETag"]
            assert (
                response.headers["Content-Security-Policy"]
                == (by_get.headers["Content-Security-Policy"])
            )
        assert [response.data for response in again] == [by_get.data, b"", by_get.data]
        assert again[1].headers["Content-Length"] == str(len(by_get.data))
    finally:
        application.extensions[EXTENSION].close()


@pytest.mark.parametrize(
    ("settings", "installed"),
    [({}, True), ({"cache_mb": 0}, True), ({"rate_limit": 5}, False)],
)
def test_no_fast_path_with_a_rate_limit(test_dataset, settings, installed):
    # The rate limit counts requests in a Flask hook: answering before Flask would bypass it.
    application = create_app({"dataset": test_dataset, "evaluators": 1, **settings})
    try:
        assert isinstance(application.wsgi_app, FastPath) is installed
    finally:
        application.extensions[EXTENSION].close()


class Trickle:
    """A server's streaming `wsgi.input`: a few bytes a read, then (maybe) a failed read."""

    def __init__(self, data: bytes, step: int, error: Exception | None = None) -> None:
        self.data, self.step, self.error = data, step, error

    def read(self, size: int = -1) -> bytes:
        if not self.data and self.error is not None:
            raise self.error
        size = self.step if size < 0 else min(size, self.step)
        chunk, self.data = self.data[:size], self.data[size:]
        return chunk


def call(wsgi_app, body: bytes, stream: Trickle) -> tuple[str, bytes]:
    """One POST of a form through a WSGI app, as a server would make it."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/sparql",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": stream,
        "wsgi.input_terminated": True,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_ACCEPT": CSV,
        "REMOTE_ADDR": "127.0.0.1",
    }
    statuses: list[str] = []
    result = wsgi_app(environ, lambda status, headers, exc_info=None: statuses.append(status))
    answer = b"".join(result)
    getattr(result, "close", lambda: None)()
    return statuses[0], answer


def test_a_body_arriving_in_pieces_is_read_whole_or_handed_on_as_far_as_it_came(app):
    fast_path = app.wsgi_app
    body = urlencode({"query": MEMBERS}).encode()
    first = call(app, body, Trickle(body, 7))
    assert first[0] == "200 OK" and fast_path.stored == 1
    assert call(app, body, Trickle(body, 5)) == first
    assert fast_path.hits == 1
    # A read that fails part-way: Flask's path gets what came and then the same failure.
    for error in (TimeoutError("no data"), ConnectionResetError("gone")):
        cut = body[: len(body) // 2]
        through_fast_path = call(app, body, Trickle(cut, 9, error))
        through_flask = call(fast_path.inner, body, Trickle(cut, 9, error))
        assert through_fast_path == through_flask
        assert through_flask[0].startswith("500")  # no server read deadline here: unexpected


def labels_of(city: str) -> dict[str, str]:
    return {"query": f"SELECT ?l WHERE {{ <city/{city}> rdfs:label ?l }} ORDER BY ?l"}


def test_a_plain_query_of_a_known_shape_never_reaches_flask(test_dataset: Path):
    application = create_app(
        {"dataset": test_dataset, "evaluators": 1, "timeout": 5, "cache_mb": 0}
    )
    try:
        fast_path = application.wsgi_app
        assert isinstance(fast_path, FastPath)
        client = application.test_client()
        first = client.post("/sparql", data=labels_of("zhengzhou"), headers={"Accept": CSV})
        assert first.data.decode().split() == ["l", "Zhengzhou", "郑州"]
        assert fast_path.early_answers == 0  # Flask sent it: now its shape's headers are known
        # Without Flask's hooks, only an answer made before Flask still carries their headers.
        application.before_request_funcs.clear()
        application.after_request_funcs.clear()
        second = client.post("/sparql", data=labels_of("kaifeng"), headers={"Accept": CSV})
        assert second.data.decode().split() == ["l", "Kaifeng", "开封"]
        assert fast_path.early_answers == 1
        assert second.headers["X-Result-Rows"] == "2"
        assert second.headers["Content-Length"] == str(len(second.data))
        assert second.headers["ETag"] != first.headers["ETag"]
        for name in ("Content-Security-Policy", "Access-Control-Allow-Origin", "Last-Modified"):
            assert second.headers[name] == first.headers[name]
        # Another shape (JSON asked for) is sent by Flask, here without the hooks' headers.
        third = client.post("/sparql", data=labels_of("luoyang"), headers={"Accept": JSON})
        assert [row["l"]["value"] for row in third.json["results"]["bindings"]] == [
            "Luoyang",
            "洛阳",
        ]
        assert "Content-Security-Policy" not in third.headers
        assert (fast_path.early_answers, fast_path.stored, fast_path.hits) == (1, 0, 0)
    finally:
        application.extensions[EXTENSION].close()


def test_a_query_evaluated_before_flask_is_not_evaluated_again(test_dataset: Path):
    # The time limit's 503 comes after one evaluation, not after one early and one by Flask.
    application = create_app(
        {"dataset": test_dataset, "evaluators": 1, "timeout": 1.5, "cache_mb": 0}
    )
    try:
        client = application.test_client()
        cartesian = (
            "SELECT (COUNT(*) AS ?n) WHERE { "
            + " . ".join(f"?s{index} ?p{index} ?o{index}" for index in range(8))
            + " }"
        )  # 50 triples to the 8th power: far beyond the time limit
        started = time.monotonic()
        answer = client.post("/sparql", data={"query": cartesian}, headers={"Accept": JSON})
        elapsed = time.monotonic() - started
        assert answer.status_code == 503
        assert answer.json["error"]["code"] == "timeout"
        assert 1.5 <= elapsed < 2.9
        assert application.wsgi_app.early_answers == 0
    finally:
        application.extensions[EXTENSION].close()


def test_a_content_length_of_unicode_digits_is_left_to_flask(test_dataset: Path):
    # `¹` passes str.isdigit() but not int(): the fast path must not read such a length.
    application = create_app({"dataset": test_dataset, "evaluators": 1, "timeout": 5})
    try:
        client = application.test_client()
        answer = client.post(
            "/sparql",
            data=urlencode({"query": "ASK {}"}),
            content_type="application/x-www-form-urlencoded",
            environ_overrides={"CONTENT_LENGTH": "\xb9"},
        )
        # As without the fast path: Werkzeug reads no body of that length.
        assert (answer.status_code, answer.data.split(b":")[0]) == (400, b"400 no-query")
    finally:
        application.extensions[EXTENSION].close()
