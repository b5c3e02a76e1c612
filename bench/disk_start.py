"""The on-disk store against the in-memory one: load time, size, start time, memory, latency.

    python -m bench.scale --factor 10 --out /tmp/x10 && python -m bench.scale --factor 100 ...
    python -m bench.disk_start dist/graph.nq /tmp/x10/graph.nq /tmp/x100/graph.nq

For each dataset it loads an on-disk store (`zhongyuan-kg load --store oxigraph-disk:DIR`, timed
in-process, into a temporary directory unless --store-root is given), then starts `zhongyuan-kg
serve` (no response cache) from memory and from disk in turn, REPEATS times each, timing start to
first answer; with one of each running it times a few saved queries (medians, the two servers asked
in turn so both see the same machine load) and sums the proportional set size (PSS: shared
pages counted once) of the zygote and its evaluators.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import servers
from zhongyuan_kg.server.store import DISK_PREFIX
from zhongyuan_kg.server.store_disk import load_directory

REPEATS = 3
QUERY_REPEATS = 7
# Selective saved queries (a few rows at every size) and two broader ones.
QUERIES = (
    "plan-overview",
    "strategic-positions",
    "development-paths",
    "industry-clusters",
    "area-city-counts",
    "agglomeration-members",
    "projects-by-kind",
)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def store_processes(master: int) -> list[int]:
    """The zygote and its evaluators under a `zhongyuan-kg serve` process (master → worker)."""
    zygotes = [z for worker in _children(master) for z in _children(worker)]
    return zygotes + [e for zygote in zygotes for e in _children(zygote)]


def pss_mb(pids: Sequence[int]) -> float:
    """The summed proportional set size of these processes, in MB."""
    total_kb = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def stop(server: servers.Server) -> None:
    """Stop a server and close the file holding its log."""
    server.stop()
    server.log.close()  # type: ignore[attr-defined]  # a TemporaryFile (bench/servers.py)


def seconds_for(url: str) -> float:
    """Seconds for one answer (an error status raises)."""
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=300) as response:
        response.read()
    return time.perf_counter() - started


def measure(
    dataset: Path,
    directory: Path,
    repeats: int = REPEATS,
    query_repeats: int = QUERY_REPEATS,
    queries: Sequence[str] = QUERIES,
) -> dict[str, Any]:
    """Every number of one dataset: load, size, start, memory and query latency."""
    shutil.rmtree(directory, ignore_errors=True)
    meta = load_directory(directory, dataset)
    disk = DISK_PREFIX + str(directory)
    starts: dict[str, list[float]] = {"memory": [], "disk": []}
    for _ in range(repeats):
        for kind, store in (("memory", "oxigraph"), ("disk", disk)):
            server = servers.ours(dataset, store=store)
            starts[kind].append(server.startup_s)
            stop(server)
    running: dict[str, servers.Server] = {}
    try:
        for kind, store in (("memory", "oxigraph"), ("disk", disk)):
            running[kind] = servers.ours(dataset, store=store)
        latency: dict[str, dict[str, float]] = {"memory": {}, "disk": {}}
        for name in queries:
            times: dict[str, list[float]] = {"memory": [], "disk": []}
            for server in running.values():
                seconds_for(server.url.removesuffix("/sparql") + f"/queries/{name}")  # warm-up
            for _ in range(query_repeats):
                for kind, server in running.items():
                    url = server.url.removesuffix("/sparql") + f"/queries/{name}"
                    times[kind].append(seconds_for(url))
            for kind in running:
                latency[kind][name] = statistics.median(times[kind])
        memory = {kind: pss_mb(store_processes(s.process.pid)) for kind, s in running.items()}
    finally:
        for server in running.values():
            stop(server)
    return {
        "quads": meta["triples"],
        "load_s": meta["load_seconds"],
        "disk_mb": meta["bytes"] / 1e6,
        "start_s": {kind: statistics.median(values) for kind, values in starts.items()},
        "pss_mb": memory,
        "latency_ms": {k: {n: v * 1000 for n, v in q.items()} for k, q in latency.items()},
    }


def report(results: dict[Path, dict]) -> None:
    """Print the two tables: sizes and starts, then query latency memory vs disk."""
    print("| size | quads | load (disk) | on disk | ready: memory | ready: disk "
          "| PSS zygote+evaluators: memory | disk |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for dataset, r in results.items():
        print(
            f"| {dataset.parent.name} | {r['quads']:,} | {r['load_s']:.1f} s | "
            f"{r['disk_mb']:.0f} MB | {r['start_s']['memory']:.2f} s | "
            f"{r['start_s']['disk']:.2f} s | {r['pss_mb']['memory']:.0f} MB | "
            f"{r['pss_mb']['disk']:.0f} MB |"
        )
    print()
    print(
        f"{'query (median ms, memory / disk)':<34}"
        + "".join(f"{d.parent.name:>22}" for d in results)
    )
    for name in next(iter(results.values()))["latency_ms"]["memory"]:
        cells = []
        for r in results.values():
            memory, disk = r["latency_ms"]["memory"][name], r["latency_ms"]["disk"][name]
            cells.append(f"{memory:.1f} / {disk:.1f} ({disk / memory:.2f}x)")
        print(f"{name:<34}" + "".join(f"{cell:>22}" for cell in cells))


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each dataset named on the command line; print the tables."""
    parser = argparse.ArgumentParser(prog="python -m bench.disk_start", description=__doc__)
    parser.add_argument("datasets", nargs="+", type=Path, help="N-Quads files (graph.nq)")
    parser.add_argument(
        "--store-root",
        type=Path,
        default=None,
        help="where the stores go (default: a temporary directory, removed at the end)",
    )
    args = parser.parse_args(argv)
    root = args.store_root or Path(tempfile.mkdtemp(prefix="zhongyuan-kg-disk-"))
    results: dict[Path, dict] = {}
    try:
        for index, dataset in enumerate(args.datasets):
            results[dataset] = measure(dataset, root / f"store-{index}")
            print(f"{dataset}: {results[dataset]}", file=sys.stderr, flush=True)
    finally:
        if args.store_root is None:
            shutil.rmtree(root, ignore_errors=True)
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
