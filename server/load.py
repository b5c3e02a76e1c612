"""`zhongyuan-kg load`: put dist/graph.nq into a remote SPARQL store or an on-disk Oxigraph one.

`--store oxigraph-disk:DIR` bulk-loads the dataset into an Oxigraph database in DIR, which
`zhongyuan-kg serve --store oxigraph-disk:DIR` then serves without loading (server/store_disk.py).

Into a remote store, each named graph is sent with the SPARQL 1.1 Graph Store Protocol
(`PUT …?graph=IRI`, N-Triples), which replaces it: loading twice leaves the same data. The Graph
Store URL is derived from the query URL for Oxigraph (`…/query` → `…/store`) and Fuseki
(`…/sparql` → `…/data`), or given.
"""

from __future__ import annotations

import argparse
import http.client
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from ..paths import dist_dir
from .remote import is_remote
from .store import DISK_PREFIX

_DERIVED = {"/query": "/store", "/sparql": "/data"}  # Oxigraph's and Fuseki's layouts
TIMEOUT = 300.0  # seconds for one graph's upload: large graphs take a while to index


class LoadError(RuntimeError):
    """The store refused a graph or could not be reached."""


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """The options of `load`: the store's URL, its Graph Store URL, the dataset file."""
    parser.add_argument(
        "--store",
        required=True,
        help="SPARQL query URL of a remote store (http://host:port/query), or oxigraph-disk:DIR "
        "for an on-disk Oxigraph database in DIR (made anew, replacing an older one)",
    )
    parser.add_argument(
        "--graph-store",
        default=None,
        help="its Graph Store Protocol URL (default: …/query → …/store, …/sparql → …/data)",
    )
    parser.add_argument(
        "--dataset", type=Path, default=None, help="N-Quads file to load (default dist/graph.nq)"
    )


def graph_store_url(query_url: str) -> str:
    """The Graph Store Protocol URL beside a query URL, for the layouts we know."""
    for suffix, replacement in _DERIVED.items():
        if query_url.rstrip("/").endswith(suffix):
            return query_url.rstrip("/")[: -len(suffix)] + replacement
    raise LoadError(f"cannot tell the Graph Store URL of {query_url}: pass --graph-store")


def graphs_of(dataset: Path) -> dict[str, list[ox.Triple]]:
    """The triples of each named graph of an N-Quads file (the default graph under '')."""
    graphs: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in ox.parse(path=str(dataset), format=ox.RdfFormat.N_QUADS):
        name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        graphs[name].append(quad.triple)
    return dict(graphs)


def put_graph(store_url: str, graph: str, triples: list[ox.Triple]) -> None:
    """Replace one graph of the store with these triples (Graph Store Protocol PUT)."""
    parts = urlsplit(store_url)
    target = parts.path + ("?default" if graph == "" else "?graph=" + quote(graph, safe=""))
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    factory = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = factory(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        connection.request(
            "PUT", target, body=body, headers={"Content-Type": "application/n-triples"}
        )
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace").strip()
    except OSError as error:
        raise LoadError(f"{store_url} is unreachable: {error}") from None
    finally:
        connection.close()
    if response.status not in (200, 201, 204):
        raise LoadError(f"{store_url} refused graph {graph or 'default'}: {response.status} {text}")


def load(query_url: str, dataset: Path, graph_store: str | None = None) -> dict[str, int]:
    """Load every graph of the dataset into the store; return the triples sent per graph."""
    if not is_remote(query_url):
        raise LoadError(f"--store must be an http(s) URL, not {query_url!r}")
    store_url = graph_store or graph_store_url(query_url)
    sizes: dict[str, int] = {}
    for graph, triples in sorted(graphs_of(dataset).items()):
        put_graph(store_url, graph, triples)
        sizes[graph] = len(triples)
    return sizes


def run(args: argparse.Namespace) -> int:
    """Load the dataset and say what went where."""
    dataset = args.dataset or dist_dir() / "graph.nq"
    if not dataset.exists():
        print(f"zhongyuan-kg load: no dataset {dataset}: run zhongyuan-kg build", file=sys.stderr)
        return 2
    if args.store.startswith(DISK_PREFIX):
        return _load_disk(Path(args.store[len(DISK_PREFIX) :]).expanduser(), dataset)
    start = time.perf_counter()
    try:
        sizes = load(args.store, dataset, args.graph_store)
    except LoadError as error:
        print(f"zhongyuan-kg load: {error}", file=sys.stderr)
        return 1
    for graph, count in sizes.items():
        print(f"{count:>9} triples  {graph or '(default graph)'}")
    seconds = time.perf_counter() - start
    print(f"{sum(sizes.values())} triples in {len(sizes)} graphs loaded in {seconds:.1f} s")
    return 0


def _load_disk(directory: Path, dataset: Path) -> int:
    from .store_disk import StoreDirError, load_directory  # pyoxigraph's RocksDB only here

    try:
        meta = load_directory(directory, dataset)
    except (StoreDirError, OSError, SyntaxError) as error:  # SyntaxError: the parser's
        print(f"zhongyuan-kg load: {error}", file=sys.stderr)
        return 1
    for graph, count in meta["graphs"].items():
        print(f"{count:>9} triples  {graph}")
    print(
        f"{meta['triples']} triples in {len(meta['graphs'])} graphs loaded into {directory} "
        f"({meta['bytes'] / 2**20:.1f} MiB) in {meta['load_seconds']:.1f} s; serve it with "
        f"zhongyuan-kg serve --store oxigraph-disk:{directory} --dataset {dataset}"
    )
    return 0
