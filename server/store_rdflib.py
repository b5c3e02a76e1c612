"""The reference store: rdflib's in-memory dataset and SPARQL engine, to cross-check Oxigraph."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pyparsing import ParseException
from rdflib import Dataset as RdfDataset
from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result
from rdflib.term import BNode, Identifier, Literal, URIRef

from .formats import media_type
from .results import write_boolean, write_solutions
from .rewrite import bind
from .store import STORE_DEFAULT_GRAPH, Dataset, QuerySyntaxError, Serialized, StoreInfo, Term

FILE_FORMATS = {".nq": "nquads", ".trig": "trig", ".ttl": "turtle", ".nt": "nt"}
# A CONSTRUCT result is one default graph: Turtle is TriG of it, N-Triples is N-Quads of it.
GRAPH_WRITERS = {
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "rdfxml": "xml",
    "trig": "turtle",
    "nq": "nt",
}
_PLAIN = {"http://www.w3.org/2001/XMLSchema#string"}
_VIEWS_KEPT = 4  # datasets built for protocol-chosen graphs, most recent first


def neutral(term: Identifier | None) -> Term | None:
    """An rdflib term as a neutral Term."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return Term("uri", str(term))
    if isinstance(term, BNode):
        return Term("bnode", str(term))
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else None
        return Term("literal", str(term), None if datatype in _PLAIN else datatype, term.language)
    raise TypeError(f"unexpected term {term!r}")


def _outbound(node: Any) -> bool:
    # Defence in depth behind the policy: rdflib would fetch SERVICE and FROM IRIs.
    if isinstance(node, CompValue):
        # CompValue.get() answers the key itself for a missing key: ask the dict directly.
        if node.name == "ServiceGraphPattern" or dict.get(node, "datasetClause"):
            return True
        return any(_outbound(value) for value in node.values())
    if isinstance(node, list | tuple):
        return any(_outbound(value) for value in node)
    return False


class RdflibStore:
    """An rdflib Dataset held in memory; each query runs on a dataset built for its graphs."""

    kind = "rdflib"

    def __init__(self, path: Path, *, base_iri: str, prefixes: dict[str, str]) -> None:
        self.base_iri, self.prefixes = base_iri, prefixes
        self.data = RdfDataset()
        # rdflib leaves a file it opened from a path name unclosed: hand it an open file.
        with path.open("rb") as source:
            self.data.parse(source, format=FILE_FORMATS[path.suffix])
        self.views: OrderedDict[Dataset, RdfDataset] = OrderedDict()

    def _named(self) -> list[URIRef]:
        return sorted(
            g.identifier
            for g in self.data.graphs()
            if g.identifier != DATASET_DEFAULT_GRAPH_ID and isinstance(g.identifier, URIRef)
        )

    def info(self) -> StoreInfo:
        """The named graphs and their sizes."""
        graphs = {str(name): len(self.data.graph(name)) for name in self._named()}
        return StoreInfo(self.kind, graphs, sum(1 for _ in self.data.quads()))

    def _graph(self, iri: str) -> Graph:
        return self.data.graph(
            DATASET_DEFAULT_GRAPH_ID if iri == STORE_DEFAULT_GRAPH else URIRef(iri)
        )

    def _view(self, dataset: Dataset) -> RdfDataset:
        if dataset in self.views:
            self.views.move_to_end(dataset)
            return self.views[dataset]
        view = RdfDataset()
        default = view.graph(DATASET_DEFAULT_GRAPH_ID)
        for iri in dataset.default_graphs:
            for triple in self._graph(iri):
                default.add(triple)
        names = self._named() if dataset.named_graphs is None else map(URIRef, dataset.named_graphs)
        for name in names:
            target = view.graph(name)
            for triple in self.data.graph(name):
                target.add(triple)
        self.views[dataset] = view
        if len(self.views) > _VIEWS_KEPT:
            self.views.popitem(last=False)
        return view

    def query(
        self, query: str, dataset: Dataset, bindings: Mapping[str, Identifier] | None = None
    ) -> Result:
        """Parse, refuse anything outbound, evaluate on a dataset of exactly the chosen graphs."""
        try:
            parsed = translateQuery(parseQuery(bind(query, bindings)), self.base_iri, self.prefixes)
        except ParseException as error:
            raise QuerySyntaxError(error.msg, error.lineno, error.col) from None
        if _outbound(parsed.algebra):
            raise QuerySyntaxError("SERVICE and FROM are not evaluated here")
        return self._view(dataset).query(parsed)

    def serialize(self, result: Result, format_name: str, max_rows: int) -> Serialized:
        """Write a result; SELECT and ASK through `results`, graphs through rdflib."""
        if result.type == "ASK":
            return write_boolean(bool(result.askAnswer), format_name)
        if result.type == "SELECT":
            names = [str(variable) for variable in result.vars or []]
            rows = ([neutral(term) for term in row] for row in result)
            return write_solutions(names, rows, format_name, max_rows)
        triples = list(_first(result.graph or Graph(), max_rows + 1))
        truncated = len(triples) > max_rows
        out = Graph()
        for triple in triples[:max_rows]:
            out.add(triple)
        for prefix, namespace in self.prefixes.items():
            out.bind(prefix, namespace)
        body = out.serialize(format=GRAPH_WRITERS[format_name], encoding="utf-8")
        return Serialized(body, media_type(format_name), min(len(triples), max_rows), truncated)


def _first(graph: Iterable[Any], count: int) -> Iterable[Any]:
    for index, triple in enumerate(graph):
        if index == count:
            return
        yield triple
