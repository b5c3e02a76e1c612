"""Hostile queries against live servers: time limit, crashes, outbound access, size caps."""

from __future__ import annotations

import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

pytest_plugins = ["server_fixtures"]

# An 8-way cartesian product of a 50-triple dataset: far beyond any time limit.
CARTESIAN = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
    "?m ?n1 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x }"
)
UPDATES = [
    "INSERT DATA { <a:s> <a:p> <a:o> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <https://w3id.org/zhongyuan-kg/graph/facts>",
    "CREATE GRAPH <a:g>",
    "ADD DEFAULT TO <a:g>",
    "MOVE DEFAULT TO <a:g>",
    "COPY DEFAULT TO <a:g>",
    "WITH <a:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } ; CLEAR ALL",
    "\\u0043LEAR ALL",
]


def ask(server, query: str, **kwargs) -> requests.Response:
    return requests.get(server.url, params={"query": query}, timeout=20, **kwargs)


def answered_quickly(server) -> float:
    started = time.monotonic()
    response = ask(server, "ASK { <city/zhengzhou> zy:memberOf <area/core> }")
    assert response.json()["boolean"] is True
    return time.monotonic() - started


def test_time_limit_stops_the_query_and_the_next_is_answered_at_once(strict_server):
    started = time.monotonic()
    response = ask(strict_server, CARTESIAN, headers={"Accept": "application/json"})
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "timeout"
    assert "1.5 s" in response.json()["error"]["message"]
    assert 1.5 <= elapsed < 4
    assert answered_quickly(strict_server) < 1.0
    assert answered_quickly(strict_server) < 1.0  # the killed evaluator was replaced too


def test_a_query_that_crashes_the_engine_costs_only_its_evaluator(strict_server):
    # 5,000 nested groups (10 KB) segfault pyoxigraph's parser; this server lets them through
    # its static checks on purpose (max_depth 100,000) to show the crash is contained.
    deep = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    response = requests.post(strict_server.url, data={"query": deep}, timeout=20)
    assert response.status_code == 400
    assert response.text.startswith("400 too-complex: query rejected: too complex")
    assert answered_quickly(strict_server) < 1.0


# A 10 KB string repeated over a 3-way product (38³ rows of the test dataset) and concatenated:
# some 550 MB, past the 128 MiB an evaluator may add to its address space after some 13,000 rows.
MEMORY_EATER = (
    'SELECT (STRLEN(GROUP_CONCAT(?x)) AS ?n) WHERE { VALUES ?x { "'
    + "A" * 10_000
    + '" } ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }'
)


def test_a_query_that_eats_memory_costs_only_its_evaluator(strict_server):
    response = requests.post(strict_server.url, data={"query": MEMORY_EATER}, timeout=20)
    assert response.status_code == 400
    assert response.text.startswith("400 too-complex: query rejected: too complex")
    assert answered_quickly(strict_server) < 1.0


def test_deep_nesting_is_rejected_before_evaluation(server):
    deep = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    response = requests.post(server.url, data={"query": deep}, timeout=20)
    assert response.status_code == 400
    assert "nesting depth: 5000, at most 48" in response.text


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("SELECT * WHERE { " + "BIND(1 AS?x)" * 5000 + "}", "BIND clauses: 5000, at most 256"),
        (
            "SELECT * WHERE { " + " UNION ".join(["{}"] * 3000) + " }",
            "UNION keywords: 2999, at most 1024",
        ),
        ("SELECT * WHERE { " + "VALUES ?x { 1 } " * 100 + "}", "VALUES blocks: 100, at most 64"),
        ("ASK { " + "?s ?p ?o . " * 7000 + "}", "characters, at most 65536"),
    ],
    ids=["binds", "unions", "values", "length"],
)
def test_static_limits(server, query, reason):
    response = requests.post(server.url, data={"query": query}, timeout=20)
    assert response.status_code == 400
    assert reason in response.text


def test_a_large_result_is_cut_with_a_header(server):
    digits = "VALUES ?d {0 1 2 3 4 5 6 7 8 9}"
    # 100,000 rows: five digit positions.
    query = (
        "SELECT ?a ?b ?c ?d ?e WHERE { "
        + " ".join(digits.replace("?d", "?" + name) for name in "abcde")
        + " }"
    )
    response = requests.post(server.url, data={"query": query}, timeout=20)
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 10_000
    assert response.headers["X-Result-Truncated"] == "true"
    assert response.headers["X-SPARQL-MaxRows"] == "10000"
    assert response.headers["X-Result-Rows"] == "10000"
    assert "X-Result-Truncated" in response.headers["Access-Control-Expose-Headers"]


class Listener:
    """A listening socket that records whether anybody connected to it."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> int:
        self.running = False
        self.thread.join()
        self.socket.close()
        return self.connections


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        "PREFIX r: <http://127.0.0.1:{port}/> SELECT * WHERE {{ service r: {{ ?s ?p ?o }} }}",
        # `<?p+'>` is less-than then a string to the engines, not an IRI: SERVICE is visible.
        "SELECT * {{ ?s ?p ?o FILTER(?s<?p+'>')SERVICE<http://127.0.0.1:{port}/>{{?a ?b ?c}} }}",
        # The engines read a keyword glued to a name as the keyword (SPARQL does not).
        "PREFIX : <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE:sparql {{ ?s ?p ?o }} }}",
        "PREFIX e: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICEe:x {{ ?s ?p ?o }} }}",
        "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <http://127.0.0.1:{port}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ],
)
@pytest.mark.parametrize("live", ["server", "rdflib_server"])
def test_no_outbound_connection_is_ever_made(live, template, request):
    server = request.getfixturevalue(live)
    listener = Listener()
    try:
        response = requests.post(
            server.url, data={"query": template.format(port=listener.port)}, timeout=20
        )
        time.sleep(0.3)
    finally:
        connections = listener.close()
    assert response.status_code == 400, response.text
    assert "outbound-refused" in response.text or "ambiguous-keyword" in response.text
    assert connections == 0


def test_from_a_local_file_is_never_read(server, tmp_path: Path):
    # A FIFO: whoever opens it for reading unblocks the writer below, so an open would show.
    fifo = tmp_path / "data.ttl"
    os.mkfifo(fifo)
    opened = threading.Event()

    def writer() -> None:
        with open(fifo, "w") as pipe:
            opened.set()
            pipe.write("<urn:a> <urn:b> <urn:c> .\n")

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    plain = tmp_path / "plain.ttl"
    plain.write_text("<urn:a> <urn:b> <urn:c> .\n")
    queries = [
        f"SELECT * FROM <{fifo.as_uri()}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{fifo.as_uri()}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{plain.as_uri()}> {{ ?s ?p ?o }} }}",
    ]
    for query in queries:
        response = requests.get(server.url, params={"query": query}, timeout=20)
        assert response.status_code == 400
        assert "outbound-refused" in response.text
    params = {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": fifo.as_uri()}
    assert requests.get(server.url, params=params, timeout=20).status_code == 400
    time.sleep(0.3)
    assert not opened.is_set()
    with open(fifo) as reader:  # let the writer finish
        assert reader.read() == "<urn:a> <urn:b> <urn:c> .\n"
    thread.join(5)


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_by_every_route(server, update):
    routes = [
        requests.get(server.url, params={"update": update}, timeout=10),
        requests.get(server.url, params={"query": update}, timeout=10),
        requests.post(server.url, data={"update": update}, timeout=10),
        requests.post(server.url, data={"query": update}, timeout=10),
        requests.post(
            server.url,
            data=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
            timeout=10,
        ),
        requests.post(
            server.url,
            data=update.encode(),
            headers={"Content-Type": "application/sparql-query"},
            timeout=10,
        ),
    ]
    assert [response.status_code for response in routes] == [403] * 6
    assert all("read-only" in response.text for response in routes)
    count = ask(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert count.json()["results"]["bindings"][0]["n"]["value"] == "38"


def test_a_chunked_body_over_the_limit_is_413(strict_server):
    def chunks():
        yield b"query="
        for _ in range(50):
            yield b"A" * 10_000  # 500 KB in all, over max_body 400,000

    response = requests.post(
        strict_server.url,
        data=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=20,
    )
    assert response.status_code == 413
    assert "larger than 400000 bytes" in response.text


def test_a_chunked_body_within_the_limit_is_answered(strict_server):
    def chunks():
        yield b"query=ASK%20%7B"
        yield b"%20%3Ccity%2Fkaifeng%3E%20zy%3AmemberOf%20%3Carea%2Fcore%3E%20%7D"

    response = requests.post(
        strict_server.url,
        data=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=20,
    )
    assert response.json()["boolean"] is True


def test_too_many_queries_at_once_get_503_with_retry_after(strict_server):
    with ThreadPoolExecutor(4) as workers:
        slow = [workers.submit(ask, strict_server, CARTESIAN) for _ in range(2)]
        time.sleep(0.8)  # both slots taken (each is held for the 1.5 s limit)
        busy = ask(strict_server, "ASK {}", headers={"Accept": "application/json"})
        statuses = [future.result().status_code for future in slow]
    assert busy.status_code == 503
    assert busy.json()["error"]["code"] == "busy"
    assert busy.headers["Retry-After"] == "1"
    assert statuses == [503, 503]  # the two slow ones hit the time limit
    assert answered_quickly(strict_server) < 1.0
