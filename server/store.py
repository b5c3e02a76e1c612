"""The one small interface every store offers: run a query on a dataset, serialise its result."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from rdflib.term import Identifier

# The store's own default graph (triples of the dataset file outside any named graph).
STORE_DEFAULT_GRAPH = ""

STORE_KINDS: dict[str, str] = {
    "oxigraph": "zhongyuan_kg.server.store_oxigraph:OxigraphStore",
    "rdflib": "zhongyuan_kg.server.store_rdflib:RdflibStore",
}
# `oxigraph-disk:DIR`: an on-disk Oxigraph database made by `zhongyuan-kg load` (store_disk.py).
DISK_PREFIX = "oxigraph-disk:"


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset of one query: graphs merged into its default graph, and its named graphs."""

    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...] | None = None  # None: every named graph of the store


class Term(NamedTuple):
    """An RDF term as SPARQL results carry it: kind uri, bnode, literal or triple."""

    kind: str
    value: Any  # str, or a (subject, predicate, object) tuple of Terms for kind triple
    datatype: str | None = None  # None for simple and language-tagged literals
    lang: str | None = None


class QuerySyntaxError(ValueError):
    """The engine's parser rejected the query; line and column when it says where."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class StoreFailure(Exception):
    """The store could not answer (a remote one down, slow or garbled): an HTTP status to send."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class Serialized:
    """A serialised result: body, media type, rows (or triples) written, and whether it was cut."""

    body: bytes
    media_type: str
    rows: int
    truncated: bool


@dataclass(frozen=True)
class StoreInfo:
    """What a loaded store holds: its named graphs with their sizes, and the total."""

    kind: str
    graphs: dict[str, int]
    triples: int


class Store(Protocol):
    """A SPARQL store the evaluators query; a remote endpoint can implement it too."""

    def info(self) -> StoreInfo:
        """The named graphs and sizes of the loaded data."""
        ...

    def query(
        self, query: str, dataset: Dataset, bindings: Mapping[str, Identifier] | None = None
    ) -> Any:
        """Run a query (already checked by the policy) and return the store's own result."""
        ...

    def serialize(self, result: Any, format_name: str, max_rows: int) -> Serialized:
        """Write at most max_rows rows or triples of a result in a format of `formats`."""
        ...


def open_store(kind: str, path: Path, *, base_iri: str, prefixes: Mapping[str, str]) -> Store:
    """Load a dataset file (N-Quads, TriG, Turtle, N-Triples) into a store of the given kind.

    A remote store and an on-disk one are not loaded here: the first already holds the data
    (`zhongyuan-kg load` put it there), the second was loaded by `zhongyuan-kg load` and must
    have been loaded from this dataset's build.
    """
    if kind.startswith(("http://", "https://")):  # a remote SPARQL endpoint (server/remote.py)
        from .remote import RemoteStore

        return RemoteStore(kind, base_iri=base_iri, prefixes=prefixes)
    if kind.startswith(DISK_PREFIX):  # the dataset file only tells which build it must hold
        from .store_disk import DiskStore

        directory = Path(kind[len(DISK_PREFIX) :])
        return DiskStore(directory, Path(path), base_iri=base_iri, prefixes=dict(prefixes))
    if kind not in STORE_KINDS:
        choices = ", ".join([*STORE_KINDS, DISK_PREFIX + "DIR"])
        raise ValueError(f"unknown store kind {kind!r}: choose one of {choices}")
    module, _, name = STORE_KINDS[kind].partition(":")
    store_class = getattr(importlib.import_module(module), name)
    return store_class(Path(path), base_iri=base_iri, prefixes=dict(prefixes))
