"""The floor of isolation: the least any endpoint can do that evaluates in another process.

A bare WSGI app (no Flask, no policy, no time limit, no ETag, no log) that takes the query out
of a form body, sends it over a pipe to one of `EVALUATORS` processes holding the store in
Oxigraph, and sends back the JSON they serialise. It answers SELECT and ASK queries, as the
benchmark's ad-hoc scenarios send them, and nothing else. It exists to measure what isolation
itself costs per request, under the same WSGI server and settings as our endpoint: no endpoint
that evaluates out of process can beat it here.

The dataset comes from the environment (`ISOLATION_FLOOR_DATASET`), because granian imports
the app by name.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from typing import Any
from urllib.parse import parse_qs

import pyoxigraph

EVALUATORS = 2  # as many as our endpoint runs in the benchmark
JSON = pyoxigraph.QueryResultsFormat.JSON

_idle: queue.SimpleQueue[Connection] = queue.SimpleQueue()
_started = threading.Lock()
_processes: list[Any] = []


def _evaluate(dataset: str, connection: Connection) -> None:
    """An evaluator: load the store, then answer queries until the pipe closes."""
    store = pyoxigraph.Store()
    store.bulk_load(path=dataset, format=pyoxigraph.RdfFormat.N_QUADS)
    connection.send_bytes(b"ready")
    while True:
        try:
            query = connection.recv_bytes().decode()
        except EOFError:
            return
        try:
            results = store.query(query, use_default_graph_as_union=True)
            connection.send_bytes(results.serialize(format=JSON))
        except Exception as error:  # a bad query must not end the evaluator
            connection.send_bytes(b"!" + str(error).encode())


def _start() -> None:
    if _processes:
        return
    with _started:
        if _processes:
            return
        # spawn, not fork: granian's worker already runs threads.
        context = multiprocessing.get_context("spawn")
        dataset = os.environ["ISOLATION_FLOOR_DATASET"]
        for _ in range(EVALUATORS):
            ours, theirs = context.Pipe()
            process = context.Process(target=_evaluate, args=(dataset, theirs), daemon=True)
            process.start()
            ours.recv_bytes()  # "ready"
            _processes.append(process)
            _idle.put(ours)


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Answer a SPARQL query sent as a form (POST) or in the query string (GET)."""
    _start()
    if environ["REQUEST_METHOD"] == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = parse_qs(environ["wsgi.input"].read(length).decode())
    else:
        form = parse_qs(environ.get("QUERY_STRING", ""))
    connection = _idle.get()
    try:
        connection.send_bytes(form["query"][0].encode())
        body = connection.recv_bytes()
    finally:
        _idle.put(connection)
    if body.startswith(b"!"):
        start_response("400 Bad Request", [("Content-Type", "text/plain")])
        return [body[1:]]
    start_response(
        "200 OK",
        [("Content-Type", "application/sparql-results+json"), ("Content-Length", str(len(body)))],
    )
    return [body]
