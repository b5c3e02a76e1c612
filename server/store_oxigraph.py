"""The default store: embedded Oxigraph (pyoxigraph), loaded in memory from the dataset file."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib.term import Identifier

from .formats import media_type
from .results import write_boolean, write_solutions
from .rewrite import bind
from .store import STORE_DEFAULT_GRAPH, Dataset, QuerySyntaxError, Serialized, StoreInfo, Term

FILE_FORMATS = {
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
}
GRAPH_WRITERS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}
_PLAIN = {
    "http://www.w3.org/2001/XMLSchema#string",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
}
_WHERE = re.compile(r"error at (\d+):(\d+): ")


def neutral(term: Any) -> Term | None:
    """A pyoxigraph term as a neutral Term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        return Term("literal", term.value, None if datatype in _PLAIN else datatype, term.language)
    parts = (term.subject, term.predicate, term.object)
    return Term("triple", tuple(neutral(part) for part in parts))


def _graph(iri: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if iri == STORE_DEFAULT_GRAPH else ox.NamedNode(iri)


def every_graph(store: ox.Store) -> frozenset[str] | None:
    """The IRIs of the named graphs, when the store's own default graph is empty.

    Oxigraph's union default graph is the union of the named graphs only: with triples in the
    store's default graph it is no longer "every graph", and None says so.
    """
    for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        return None
    return frozenset(graph.value for graph in store.named_graphs())


class OxigraphQueries:
    """Querying and serialising over a pyoxigraph store, shared by the in-memory and disk stores.

    A subclass provides `store` (a pyoxigraph Store), `base_iri`, `prefixes` and `_every_graph`
    (the named graphs when the store's own default graph is empty, else None).
    """

    store: ox.Store
    base_iri: str
    prefixes: dict[str, str]
    _every_graph: frozenset[str] | None

    def query(
        self, query: str, dataset: Dataset, bindings: Mapping[str, Identifier] | None = None
    ) -> Any:
        """Evaluate on exactly the given dataset; bindings come in as a leading VALUES block."""
        query = bind(query, bindings)
        named = (
            None
            if dataset.named_graphs is None
            else [ox.NamedNode(g) for g in dataset.named_graphs]
        )
        # A default graph listing every graph of the store is Oxigraph's union default graph,
        # which it evaluates about twice as fast as the same graphs given one by one (both
        # keep duplicates across graphs, so the answers are the same).
        if self._every_graph is not None and self._every_graph <= set(dataset.default_graphs):
            default: dict[str, Any] = {"use_default_graph_as_union": True}
        else:
            default = {"default_graph": [_graph(g) for g in dataset.default_graphs]}
        try:
            return self.store.query(
                query,
                base_iri=self.base_iri,
                prefixes=self.prefixes,
                named_graphs=named,
                **default,
            )
        except SyntaxError as error:
            message = str(error)
            where = _WHERE.match(message)
            if where is None:
                raise QuerySyntaxError(message) from None
            line, column = int(where[1]), int(where[2])
            raise QuerySyntaxError(message[where.end() :], line, column) from None

    def serialize(self, result: Any, format_name: str, max_rows: int) -> Serialized:
        """Write a result; SELECT and ASK through `results`, graphs through pyoxigraph."""
        if isinstance(result, ox.QueryBoolean):
            return write_boolean(bool(result), format_name)
        if isinstance(result, ox.QuerySolutions):
            names = [variable.value for variable in result.variables]
            rows = ([neutral(term) for term in solution] for solution in result)
            return write_solutions(names, rows, format_name, max_rows)
        triples = list(itertools.islice(result, max_rows + 1))
        truncated = len(triples) > max_rows
        triples = triples[:max_rows]
        body = ox.serialize(triples, format=GRAPH_WRITERS[format_name], prefixes=self.prefixes)
        return Serialized(body, media_type(format_name), len(triples), truncated)


class OxigraphStore(OxigraphQueries):
    """An in-memory pyoxigraph store."""

    kind = "oxigraph"

    def __init__(self, path: Path, *, base_iri: str, prefixes: dict[str, str]) -> None:
        self.base_iri, self.prefixes = base_iri, prefixes
        self.store = ox.Store()
        # load(), not bulk_load(): bulk loading starts worker threads, and evaluators are
        # forked from this process, which must stay single-threaded.
        self.store.load(path=str(path), format=FILE_FORMATS[path.suffix])
        self._every_graph = every_graph(self.store)

    def info(self) -> StoreInfo:
        """The named graphs and their sizes."""
        graphs = {
            graph.value: sum(1 for _ in self.store.quads_for_pattern(None, None, None, graph))
            for graph in self.store.named_graphs()
        }
        return StoreInfo(self.kind, dict(sorted(graphs.items())), len(self.store))
