"""The built graph in dist/, loaded into the embedded store, for the CLI and the tests."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib.term import Identifier

from zhongyuan_kg.graph import manifest
from zhongyuan_kg.namespaces import DEFAULT_BASE, NAMED_GRAPHS, PREFIXES
from zhongyuan_kg.paths import dist_dir
from zhongyuan_kg.queries.params import SparqlCandidates
from zhongyuan_kg.queries.select import json_rows
from zhongyuan_kg.server.store import Dataset, Serialized, Store, open_store

DATASET_FILE = "graph.nq"
# Queries see every named graph merged into their default graph, as /sparql does by default.
UNION = Dataset(default_graphs=tuple(str(graph) for graph in NAMED_GRAPHS))
NO_ROW_CAP = 10**9


@dataclass
class LocalGraph:
    """A loaded store, the dataset saved queries run on, and the allowed parameter values."""

    store: Store
    base: str = DEFAULT_BASE
    candidates: SparqlCandidates = field(init=False)

    def __post_init__(self) -> None:
        self.candidates = SparqlCandidates(self.select)

    def run(self, sparql: str, format_name: str, max_rows: int = NO_ROW_CAP) -> Serialized:
        """Evaluate a query and serialise its result in one of the server's formats."""
        return self.store.serialize(self.store.query(sparql, UNION), format_name, max_rows)

    def select(self, sparql: str) -> list[dict[str, Identifier]]:
        """The rows of a SELECT as rdflib terms."""
        return json_rows(self.run(sparql, "json").body)


def _to_stderr(line: str) -> None:
    # Build progress must not mix with results written to stdout.
    print(line, file=sys.stderr)


def ensure_built(dist: Path | None = None, log: Callable[[str], None] = _to_stderr) -> Path:
    """dist/ up to date with the sources: built first if missing or stale."""
    from zhongyuan_kg.graph import build  # the builder loads the reasoner: import on demand

    dist = dist or dist_dir()
    if build.is_stale(dist):
        build.build(dist, log=log)
    return dist


def load(dist: Path | None = None) -> LocalGraph:
    """The graph of dist/ (built if needed) in the embedded Oxigraph store, loaded once."""
    return _load((dist or dist_dir()).resolve())


@cache
def _load(dist: Path) -> LocalGraph:
    dist = ensure_built(dist)
    base = (manifest.read(dist) or {}).get("base", DEFAULT_BASE)
    store = open_store("oxigraph", dist / DATASET_FILE, base_iri=base, prefixes=PREFIXES)
    return LocalGraph(store, base)
