"""A remote SPARQL 1.1 endpoint as a Store: the Flask layer (policy, saved queries) in front of it.

`--store http://host:port/query` makes the evaluators send each checked query to that endpoint
over HTTP (SPARQL 1.1 Protocol, POST form) and re-serialise its answer through `results.py`, so
clients get the same bytes as from the embedded stores. Every call has a timeout; an endpoint that
is down, slow or answers garbage raises `StoreFailure` (502 or 504), never hangs.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
from rdflib.term import Identifier

from .formats import RESULT_FORMATS, media_type
from .results import write_boolean, write_solutions
from .rewrite import bind
from .store import (
    STORE_DEFAULT_GRAPH,
    Dataset,
    QuerySyntaxError,
    Serialized,
    StoreFailure,
    StoreInfo,
    Term,
)
from .store_oxigraph import GRAPH_WRITERS

SCHEMES = ("http://", "https://")
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
CONNECT_TIMEOUT = 3.0  # seconds to open a connection: a stopped endpoint refuses at once
# Seconds to wait for an answer; below the endpoint's default query time limit (10 s) so that a
# slow remote gives 504 before the evaluator is killed for its time limit.
READ_TIMEOUT_ENV = "ZHONGYUAN_KG_REMOTE_TIMEOUT"
DEFAULT_READ_TIMEOUT = 8.0
_PLAIN = {
    "http://www.w3.org/2001/XMLSchema#string",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
}
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def is_remote(kind: str) -> bool:
    """Whether a --store value names a remote SPARQL endpoint rather than an embedded engine."""
    return kind.startswith(SCHEMES)


@dataclass(frozen=True)
class Pending:
    """A query to send once the wanted format (and so the Accept header) is known."""

    text: str
    dataset: Dataset


class RemoteStore:
    """A SPARQL 1.1 endpoint reached over HTTP; one keep-alive connection per process."""

    kind = "remote"
    needs_network = True  # the zygote must not put its evaluators in an empty network namespace

    def __init__(self, url: str, *, base_iri: str, prefixes: Mapping[str, str]) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) SPARQL endpoint URL: {url!r}")
        self.url, self.base_iri, self.prefixes = url, base_iri, dict(prefixes)
        self._parts = parts
        self._path = parts.path or "/"
        self._prologue = f"BASE <{base_iri}>\n" + "".join(
            f"PREFIX {name}: <{iri}>\n" for name, iri in self.prefixes.items()
        )
        read_timeout = os.environ.get(READ_TIMEOUT_ENV)
        self.read_timeout = float(read_timeout) if read_timeout else DEFAULT_READ_TIMEOUT
        self._connection: http.client.HTTPConnection | None = None
        self._owner = 0  # pid that opened the connection: forked evaluators open their own

    def info(self) -> StoreInfo:
        """Named graphs and sizes as the endpoint reports them; empty if it is not reachable now."""
        try:
            body = self._post(GRAPH_SIZES, Dataset(()), RESULTS_JSON)
            rows = json.loads(body)["results"]["bindings"]
            graphs = {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
        except (StoreFailure, QuerySyntaxError, ValueError, KeyError, TypeError):
            graphs = {}
        finally:
            self._close()  # the zygote forks evaluators next: they must not share its socket
        return StoreInfo(self.kind, dict(sorted(graphs.items())), sum(graphs.values()))

    def query(
        self, query: str, dataset: Dataset, bindings: Mapping[str, Identifier] | None = None
    ) -> Pending:
        """Bind the parameters now; the request goes out in `serialize`, with the right Accept."""
        return Pending(self._prologue + bind(query, bindings), dataset)

    def serialize(self, result: Pending, format_name: str, max_rows: int) -> Serialized:
        """Send the query and write its answer in our own serialisation of the format."""
        if format_name in RESULT_FORMATS:
            body = self._post(result.text, result.dataset, RESULTS_JSON)
            return _solutions(body, format_name, max_rows)
        body = self._post(result.text, result.dataset, N_TRIPLES)
        try:
            triples = [quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        except SyntaxError as error:
            raise StoreFailure(
                502, "bad-gateway", f"the store sent bad N-Triples: {error}"
            ) from None
        truncated = len(triples) > max_rows
        triples = triples[:max_rows]
        out = ox.serialize(triples, format=GRAPH_WRITERS[format_name], prefixes=self.prefixes)
        return Serialized(out, media_type(format_name), len(triples), truncated)

    def _post(self, query: str, dataset: Dataset, accept: str) -> bytes:
        form = [("query", query)]
        # The store's own default graph cannot be named in the protocol: an engine's default
        # graph is what it queries when no default-graph-uri is given.
        form += [
            ("default-graph-uri", g) for g in dataset.default_graphs if g != STORE_DEFAULT_GRAPH
        ]
        form += [("named-graph-uri", g) for g in dataset.named_graphs or ()]
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        payload = urlencode(form).encode()
        for attempt in (1, 2):
            try:
                connection = self._open()
                connection.request("POST", self._path, body=payload, headers=headers)
                response = connection.getresponse()
                body = response.read()
                break
            except TimeoutError:
                self._close()
                raise StoreFailure(
                    504, "gateway-timeout", f"the store at {self.url} did not answer in time"
                ) from None
            except (OSError, http.client.HTTPException) as error:
                self._close()
                # A kept-alive connection the server closed meanwhile: one fresh try.
                if attempt == 2 or isinstance(error, ConnectionRefusedError):
                    raise StoreFailure(
                        502, "bad-gateway", f"the store at {self.url} is unreachable: {error}"
                    ) from None
        if response.will_close:
            self._close()
        if response.status == 400:
            raise QuerySyntaxError(body.decode("utf-8", "replace").strip()[:2000])
        if response.status != 200:
            text = body.decode("utf-8", "replace").strip()[:500]
            raise StoreFailure(502, "bad-gateway", f"the store answered {response.status}: {text}")
        return body

    def _open(self) -> http.client.HTTPConnection:
        if self._connection is None or self._owner != os.getpid():
            factory = (
                http.client.HTTPSConnection
                if self._parts.scheme == "https"
                else http.client.HTTPConnection
            )
            self._connection = factory(
                self._parts.hostname, self._parts.port, timeout=CONNECT_TIMEOUT
            )
            self._connection.connect()
            assert self._connection.sock is not None
            self._connection.sock.settimeout(self.read_timeout)
            self._connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._owner = os.getpid()
        return self._connection

    def _close(self) -> None:
        if self._connection is not None and self._owner == os.getpid():
            self._connection.close()
        self._connection = None


def _solutions(body: bytes, format_name: str, max_rows: int) -> Serialized:
    try:
        document = json.loads(body)
        if "boolean" in document:
            return write_boolean(bool(document["boolean"]), format_name)
        names = document["head"]["vars"]
        rows = (
            [_term(row[name]) if name in row else None for name in names]
            for row in document["results"]["bindings"]
        )
        return write_solutions(names, rows, format_name, max_rows)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise StoreFailure(
            502, "bad-gateway", f"the store sent a malformed SPARQL JSON result: {error!r}"
        ) from None


def _term(value: dict[str, Any]) -> Term:
    kind = value["type"]
    if kind == "uri":
        return Term("uri", value["value"])
    if kind == "bnode":
        return Term("bnode", value["value"])
    if kind in ("literal", "typed-literal"):
        datatype = value.get("datatype")
        return Term(
            "literal",
            value["value"],
            None if datatype in _PLAIN else datatype,
            value.get("xml:lang"),
        )
    if kind == "triple":
        parts = value["value"]
        return Term(
            "triple", tuple(_term(parts[key]) for key in ("subject", "predicate", "object"))
        )
    raise ValueError(f"unknown term type {kind!r}")
