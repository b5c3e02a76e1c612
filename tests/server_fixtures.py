"""Fixtures of the endpoint tests: a small test dataset, live servers on loopback ports, app/client.

Test modules load it with `pytest_plugins = ["server_fixtures"]`; a module may also import
`LiveServer` from it. PYTEST_DONT_REWRITE: it holds no assertions, and the marker spares the
"already imported, cannot be rewritten" warning when an import comes before the plugin.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from zhongyuan_kg.namespaces import (
    GRAPH,
    GRAPH_FACTS,
    GRAPH_INFERENCES,
    GRAPH_ONTOLOGY,
    GRAPH_PROVENANCE,
    ZY,
)

W3C_DIR = Path(__file__).parent / "w3c" / "sparql11-protocol"
ID = Namespace("https://w3id.org/zhongyuan-kg/id/")
CORE = ("zhengzhou", "kaifeng", "luoyang", "xinxiang")
LINKED = ("anyang", "nanyang")
LABELS = {
    "zhengzhou": ("郑州", "Zhengzhou"),
    "kaifeng": ("开封", "Kaifeng"),
    "luoyang": ("洛阳", "Luoyang"),
    "xinxiang": ("新乡", "Xinxiang"),
    "anyang": ("安阳", "Anyang"),
    "nanyang": ("南阳", "Nanyang"),
}
W3C_GRAPHS = {f"data{n}": URIRef(f"{GRAPH}w3c/data{n}") for n in (1, 2, 3)}


def write_test_dataset(folder: Path) -> Path:
    """An N-Quads file like dist/graph.nq: the four project graphs and the W3C test graphs."""
    quads: list[tuple] = []

    def add(graph: URIRef, *triples: tuple) -> None:
        quads.extend((*triple, graph) for triple in triples)

    for slug, (zh, en) in LABELS.items():
        city = ID[f"city/{slug}"]
        area = ID["area/core"] if slug in CORE else ID["area/linked"]
        add(
            GRAPH_FACTS,
            (city, RDF.type, ZY.City),
            (city, RDFS.label, Literal(zh, lang="zh")),
            (city, RDFS.label, Literal(en, lang="en")),
            (city, ZY.memberOf, area),
        )
        add(GRAPH_INFERENCES, (city, RDF.type, ZY.Place))
    add(
        GRAPH_FACTS,
        (ID["area/core"], RDFS.label, Literal("核心发展区", lang="zh")),
        (ID["area/linked"], RDFS.label, Literal("联动辐射区", lang="zh")),
    )
    add(
        GRAPH_ONTOLOGY,
        (ZY.City, RDF.type, OWL.Class),
        (ZY.City, RDFS.subClassOf, ZY.Place),
        (ZY.memberOf, RDF.type, OWL.ObjectProperty),
    )
    passage = ID["plan/ch03/s01/p01"]
    add(
        GRAPH_PROVENANCE,
        (passage, RDF.type, ZY.Passage),
        (passage, ZY.text, Literal("核心发展区。包括郑州、开封、新乡、焦作、许昌五市。")),
        (ID["city/zhengzhou"], URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), passage),
    )
    for name, iri in W3C_GRAPHS.items():
        add(iri, *Graph().parse(W3C_DIR / f"{name}.nt", format="nt"))
    path = folder / "graph.nq"
    lines = sorted(" ".join(term.n3() for term in quad) + " .\n" for quad in quads)
    path.write_text("".join(lines), encoding="utf-8")
    (folder / "build.json").write_text(json.dumps({"built": "test"}), encoding="utf-8")
    (folder / "void.ttl").write_text(
        "<https://w3id.org/zhongyuan-kg/void> a <http://rdfs.org/ns/void#Dataset> .\n",
        encoding="utf-8",
    )
    return path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Which WSGI server the live servers run: granian (serve's default) or gunicorn.
WSGI = os.environ.get("ZHONGYUAN_KG_TEST_WSGI", "granian")


class LiveServer:
    """`zhongyuan-kg serve` in a subprocess on a loopback port (WSGI server, zygote, evaluators)."""

    def __init__(self, dataset: Path, wsgi: str = WSGI, **settings: object) -> None:
        self.port = free_port()
        self.wsgi = wsgi
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.root = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "zhongyuan_kg.cli", "serve", "--dataset", str(dataset)]
        command += ["--port", str(self.port), "--threads", "8", "--server", wsgi]
        for name, value in settings.items():
            command += ["--" + name.replace("_", "-"), str(value)]
        # A file, not a pipe, for its log: a full pipe would block the server.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  # closed by stop()
        # Its own process group, so that teardown can end gunicorn, zygote and evaluators.
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True
        )
        self._wait_ready()

    def _wait_ready(self, limit: float = 60.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.output()}")
            try:
                if requests.get(self.url, params={"query": "ASK {}"}, timeout=5).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start in time")

    def stop(self) -> None:
        """SIGTERM to the server (it stops its workers, whose pools stop their zygotes)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def output(self) -> str:
        """What the server wrote to stderr so far."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")


BODY_TIMEOUT_REFUSAL = b"408 body-timeout: the request body did not arrive: no data for 3 s"


def send_short_body(port: int, head: bytes, meanwhile=lambda: None) -> tuple[bytes, float]:
    """Send a request whose body stops short, read until the 408 comes: the answer and seconds.

    `meanwhile` runs while the request waits for the rest of its body.
    """
    slow = socket.create_connection(("127.0.0.1", port))
    slow.settimeout(15)
    started = time.monotonic()
    slow.sendall(head)
    meanwhile()
    answer = b""
    # gunicorn closes the connection after its 408; granian keeps it until the client leaves.
    while BODY_TIMEOUT_REFUSAL not in answer and (chunk := slow.recv(4096)):
        answer += chunk
    slow.close()
    return answer, time.monotonic() - started


@pytest.fixture
def unused_port() -> int:
    """A free TCP port on 127.0.0.1."""
    return free_port()


@pytest.fixture(scope="session")
def test_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test dataset file (N-Quads) with build.json and void.ttl beside it."""
    return write_test_dataset(tmp_path_factory.mktemp("dataset"))


@pytest.fixture(scope="session")
def server(test_dataset: Path) -> Iterator[LiveServer]:
    """The Oxigraph-backed endpoint with default limits and a 3 s time limit."""
    live = LiveServer(test_dataset, timeout=3, evaluators=2)
    yield live
    live.stop()


@pytest.fixture(scope="session")
def rdflib_server(test_dataset: Path) -> Iterator[LiveServer]:
    """The same dataset served by the rdflib reference store."""
    live = LiveServer(test_dataset, store="rdflib", timeout=10, evaluators=1)
    yield live
    live.stop()


@pytest.fixture(scope="session")
def strict_server(test_dataset: Path) -> Iterator[LiveServer]:
    """Hostile-input server: 1.5 s limit, 2 evaluators, 2 queries at once, 128 MiB per evaluator,
    static checks loose enough (max_depth, max_query_length) for a query to crash the engine."""
    live = LiveServer(
        test_dataset,
        timeout=1.5,
        evaluators=2,
        max_concurrent=2,
        max_depth=100_000,
        max_query_length=200_000,
        max_body=400_000,
        max_rows=500,
        evaluator_memory_mb=128,
    )
    yield live
    live.stop()


@pytest.fixture
def app(test_dataset: Path):
    """An in-process app on the test dataset; its evaluator pool is stopped afterwards."""
    from zhongyuan_kg.server import create_app
    from zhongyuan_kg.server.app import EXTENSION

    application = create_app({"dataset": test_dataset, "evaluators": 1, "timeout": 5})
    application.config["TESTING"] = True
    yield application
    application.extensions[EXTENSION].close()


@pytest.fixture
def client(app):
    """Flask's test client of the in-process app."""
    return app.test_client()
