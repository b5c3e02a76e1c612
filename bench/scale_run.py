"""Latency, startup and memory of our endpoint against graph size (×1, ×10, ×100 copies).

    python -m bench.scale --factor 10 --out /tmp/x10 && python -m bench.scale --factor 100 ...
    python -m bench.scale_run dist/graph.nq /tmp/x10/graph.nq /tmp/x100/graph.nq

For each dataset it starts `zhongyuan-kg serve` (no response cache), records the time to the first
answer and the peak resident memory of the process holding the store (the zygote), then times each
saved query (defaults bound) one at a time, and prints the median per query and its ratio to the
first dataset.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from bench import servers
from zhongyuan_kg.queries.catalog import load_catalog

REPEATS = 3


def peak_memory_mb(root: int) -> float:
    """Peak resident memory (VmHWM) of the largest process under `root` (the zygote)."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if "VmHWM" in fields and _descends(int(status.parent.name), root):
            peaks.append(int(fields["VmHWM"].split()[0]) / 1024)
    return max(peaks, default=0.0)


def _descends(pid: int, root: int) -> bool:
    while pid > 1:
        if pid == root:
            return True
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return False
    return False


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each dataset named on the command line; print one table."""
    datasets = [Path(name) for name in (argv if argv is not None else sys.argv[1:])]
    # Through /queries/<name>, which binds each query's default parameters.
    names = sorted(load_catalog())
    medians: dict[Path, dict[str, float]] = {}
    for dataset in datasets:
        server = servers.ours(dataset)
        try:
            root = server.url.rsplit(":", 1)[1].split("/")[0]
            memory = peak_memory_mb(server.process.pid)
            queries_url = server.url.removesuffix("/sparql") + "/queries/"
            medians[dataset] = {}
            for name in names:
                _get(queries_url + name)  # warm up (first use of the evaluator)
                medians[dataset][name] = statistics.median(
                    _get(queries_url + name) for _ in range(REPEATS)
                )
            memory = max(memory, peak_memory_mb(server.process.pid))
            print(
                f"{dataset}: ready in {server.startup_s:.1f} s, peak {memory:.0f} MB (port {root})",
                flush=True,
            )
        finally:
            server.stop()
    first = datasets[0]
    print(f"{'query':<34}" + "".join(f"{d.parent.name:>14}" for d in datasets))
    for name in names:
        cells = [f"{medians[first][name] * 1000:>12.1f}ms"]
        for dataset in datasets[1:]:
            value = medians[dataset][name]
            cells.append(f"{value * 1000:>7.1f} ({value / medians[first][name]:.1f}x)")
        print(f"{name:<34}" + "".join(f"{cell:>14}" for cell in cells))
    return 0


def _get(url: str) -> float:
    """Seconds for one answer; NaN (and the reason on stderr) for an error status."""
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
    except urllib.error.HTTPError as error:
        print(f"  {url}: {error.code} {error.read()[:300]!r}", file=sys.stderr, flush=True)
        return math.nan
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
