"""The endpoint in front of a real `oxigraph serve`: same answers as the embedded stores, 502/504.

A fixture starts `oxigraph serve` on a loopback port, `zhongyuan-kg load` puts the session's build
into it, and the Flask layer serves it with `--store http://…/query`.
"""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from test_saved_expectations import (
    CASE_IDS,
    CASES,
    Case,
    expected,
    normalise,
    rows_from_csv,
    rows_from_json,
)

from zhongyuan_kg.cli import main as cli
from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.namespaces import DEFAULT_BASE
from zhongyuan_kg.queries.catalog import load_catalog
from zhongyuan_kg.queries.local import DATASET_FILE
from zhongyuan_kg.server import create_app
from zhongyuan_kg.server.app import EXTENSION
from zhongyuan_kg.server.load import graph_store_url

JSON = "application/sparql-results+json"
CATALOG = load_catalog()
SEPARATORS = re.compile("、| … ")  # the saved queries' GROUP_CONCAT separators
GRAPH_SIZES = {"facts", "inferences", "ontology", "provenance"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OxigraphServer:
    """`oxigraph serve` on a loopback port, in memory; stop() and start() keep the port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/query"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("oxigraph")
        assert binary, "the oxigraph CLI (PyPI oxigraph, test extra) is not installed"
        self.process = subprocess.Popen(
            [binary, "serve", "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url, params={"query": "ASK {}"}, timeout=2).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("oxigraph serve did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(10)


@pytest.fixture(scope="module")
def oxigraph(built: BuildReport) -> Iterator[OxigraphServer]:
    """A running `oxigraph serve` holding the session's build, loaded by `zhongyuan-kg load`."""
    server = OxigraphServer()
    server.start()
    assert cli(["load", "--store", server.url, "--dataset", str(built.dist / DATASET_FILE)]) == 0
    yield server
    server.stop()


def make_app(dataset: Path, store: str, **settings: object):
    application = create_app(
        {"dataset": dataset, "store": store, "evaluators": 1, "isolate_network": False} | settings
    )
    application.config["TESTING"] = True
    return application


@pytest.fixture(scope="module")
def apps(built: BuildReport, oxigraph: OxigraphServer) -> Iterator[dict]:
    """Test clients of the same build on embedded Oxigraph and the remote store."""
    dataset = built.dist / DATASET_FILE
    made = {
        "oxigraph": make_app(dataset, "oxigraph", timeout=20),
        "remote": make_app(dataset, oxigraph.url, timeout=20),
    }
    yield {name: application.test_client() for name, application in made.items()}
    for application in made.values():
        application.extensions[EXTENSION].close()


def test_load_reports_every_graph(built: BuildReport, oxigraph: OxigraphServer, capsys):
    dataset = built.dist / DATASET_FILE
    capsys.readouterr()
    # Loading again replaces each graph (PUT): the store holds the same triples, not twice as many.
    assert cli(["load", "--store", oxigraph.url, "--dataset", str(dataset)]) == 0
    lines = capsys.readouterr().out.splitlines()
    graphs = {line.split()[-1].rsplit("/", 1)[-1] for line in lines[:-1]}
    assert graphs == GRAPH_SIZES
    total = sum(int(line.split()[0]) for line in lines[:-1])
    count = requests.post(
        oxigraph.url,
        data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "text/csv"},
        timeout=10,
    ).text.split()[1]
    assert int(count) == total == len(dataset.read_text(encoding="utf-8").splitlines())


def test_graph_store_url_follows_known_layouts():
    assert graph_store_url("http://h:7878/query") == "http://h:7878/store"
    assert graph_store_url("http://h:3030/ds/sparql") == "http://h:3030/ds/data"


@pytest.fixture(scope="module")
def rdflib_client(built: BuildReport) -> Iterator:
    """The rdflib reference store on the same build (minutes for some queries: slow tests only)."""
    application = make_app(built.dist / DATASET_FILE, "rdflib", timeout=600)
    yield application.test_client()
    application.extensions[EXTENSION].close()


def check_case(clients: dict, name: str, c: Case) -> None:
    """Every client answers the case with exactly the rows the plan gives."""
    for store, client in clients.items():
        as_json = client.get(f"/queries/{name}", query_string=c.params, headers={"Accept": JSON})
        assert as_json.status_code == 200, (store, as_json.text)
        assert normalise(c.columns, rows_from_json(as_json.data), DEFAULT_BASE) == expected(c), (
            store
        )


@pytest.mark.parametrize(("name", "c"), CASES, ids=CASE_IDS)
def test_saved_query_same_on_embedded_and_remote(apps: dict, name: str, c: Case):
    check_case(apps, name, c)
    as_csv = apps["remote"].get(f"/queries/{name}", query_string={**c.params, "format": "csv"})
    assert normalise(c.columns, rows_from_csv(as_csv.data), DEFAULT_BASE) == expected(c)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "c"), CASES, ids=CASE_IDS)
def test_saved_query_same_on_rdflib(rdflib_client, name: str, c: Case):
    # rdflib evaluates some saved queries (projects-by-kind) in over a minute on the real graph.
    check_case({"rdflib": rdflib_client}, name, c)


def concatenated(sparql: str) -> set[str]:
    """The variables a query binds to a GROUP_CONCAT."""
    return set(re.findall(r"GROUP_CONCAT\s*\(.*?\)\s+AS\s+\?(\w+)", sparql, flags=re.DOTALL))


def as_parts(value: str) -> list[str]:
    """A GROUP_CONCAT value as the sorted list of its parts."""
    return sorted(SEPARATORS.split(value))


def test_concatenated_columns_are_found():
    assert concatenated(CATALOG["opening-up-platforms"].sparql) == {"places_zh", "stages_zh"}


def test_every_saved_query_gives_identical_bytes_remote_and_embedded(apps: dict):
    # Defaults only: the same query text to both, and results.py writes both answers. The
    # order of a GROUP_CONCAT's parts is the engine's evaluation order, which SPARQL leaves
    # open and which differs between the embedded store's union default graph and the graphs
    # the remote store names one by one: those columns are compared as sets of parts.
    for name in CATALOG:
        parts = concatenated(CATALOG[name].sparql)
        answers = {
            store: apps[store].get(f"/queries/{name}", headers={"Accept": JSON})
            for store in ("oxigraph", "remote")
        }
        assert answers["remote"].status_code == answers["oxigraph"].status_code, name
        if answers["oxigraph"].status_code != 200:
            continue
        rows = {
            store: sorted(
                (
                    {key: as_parts(v) if key in parts else v for key, v in row.items()}
                    for row in rows_from_json(r.data)
                ),
                key=repr,
            )
            for store, r in answers.items()
        }
        assert rows["remote"] == rows["oxigraph"], name


def test_construct_and_ask_through_the_remote_store(apps: dict):
    construct = (
        "CONSTRUCT { <city/zhengzhou> rdfs:label ?l } WHERE { <city/zhengzhou> rdfs:label ?l }"
    )
    bodies = {}
    for store in ("oxigraph", "remote"):
        response = apps[store].get("/sparql", query_string={"query": construct, "format": "nt"})
        assert response.status_code == 200
        bodies[store] = sorted(response.data.decode().splitlines())
    assert bodies["remote"] == bodies["oxigraph"]
    assert any('"郑州"@zh' in line for line in bodies["remote"])
    ask = apps["remote"].get(
        "/sparql", query_string={"query": "ASK { <city/zhengzhou> a zy:City }", "format": "json"}
    )
    assert ask.get_json()["boolean"] is True


def test_a_syntax_error_of_the_remote_is_a_400(apps: dict):
    # The policy's own checks pass this (no SERVICE, no update); the remote parser refuses it.
    response = apps["remote"].get(
        "/sparql", query_string={"query": "SELECT ?x WHERE { ?x ?y }"}, headers={"Accept": JSON}
    )
    assert response.status_code == 400


def test_down_is_502_and_recovers_when_it_returns(built: BuildReport):
    server = OxigraphServer()
    server.start()
    dataset = built.dist / DATASET_FILE
    assert cli(["load", "--store", server.url, "--dataset", str(dataset)]) == 0
    # No response cache: each request must reach the store.
    application = make_app(dataset, server.url, timeout=10, cache_mb=0)
    client = application.test_client()
    query = {"query": "SELECT ?l WHERE { <city/zhengzhou> rdfs:label ?l }", "format": "csv"}
    try:
        assert sorted(client.get("/sparql", query_string=query).data.decode().split()) == [
            "Zhengzhou",
            "l",
            "郑州",
        ]
        server.stop()
        started = time.monotonic()
        down = client.get("/sparql", query_string=query)
        assert down.status_code == 502
        assert "unreachable" in down.data.decode()
        assert time.monotonic() - started < 5
        server.start()  # an empty in-memory store on the same port: load it again
        assert cli(["load", "--store", server.url, "--dataset", str(dataset)]) == 0
        back = client.get("/sparql", query_string=query)
        assert back.status_code == 200
        assert sorted(back.data.decode().split()) == ["Zhengzhou", "l", "郑州"]
    finally:
        application.extensions[EXTENSION].close()
        server.stop()


class _Stub:
    """A TCP server on loopback that accepts and then answers slowly or with garbage."""

    def __init__(self, reply: bytes | None) -> None:
        self.reply = reply
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/query"
        self.stopped = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                if self.reply is None:
                    self.stopped.wait(10)  # never answers
                else:
                    connection.sendall(self.reply)

    def close(self) -> None:
        self.stopped.set()
        self.socket.close()


@pytest.mark.parametrize(
    ("reply", "status", "words"),
    [
        (None, 504, "did not answer in time"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
            b"Content-Length: 9\r\nConnection: close\r\n\r\nnot json!",
            502,
            "malformed",
        ),
        (b"garbage, not HTTP at all\r\n\r\n", 502, "unreachable"),
        (b"HTTP/1.1 500 Oops\r\nContent-Length: 4\r\nConnection: close\r\n\r\nboom", 502, "500"),
    ],
    ids=["slow", "bad-json", "not-http", "server-error"],
)
def test_slow_or_garbled_remote_is_502_or_504_without_hanging(
    built: BuildReport, monkeypatch: pytest.MonkeyPatch, reply, status: int, words: str
):
    monkeypatch.setenv("ZHONGYUAN_KG_REMOTE_TIMEOUT", "1")  # read by the evaluator (a child)
    stub = _Stub(reply)
    application = make_app(built.dist / DATASET_FILE, stub.url, timeout=5)
    try:
        started = time.monotonic()
        response = application.test_client().get(
            "/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}
        )
        assert response.status_code == status, response.data
        assert words in response.data.decode()
        assert time.monotonic() - started < 4
    finally:
        application.extensions[EXTENSION].close()
        stub.close()
