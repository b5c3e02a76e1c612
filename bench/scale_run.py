"""Latency, startup and memory of our endpoint against graph size (×1, ×10, ×100 plans).

    python -m bench.scale --factor 10 --out /tmp/x10 && python -m bench.scale --factor 100 ...
    python -m bench.scale_run dist/graph.nq /tmp/x10/graph.nq /tmp/x100/graph.nq
    python -m bench.scale_run --disk /tmp/stores dist/graph.nq /tmp/x10/graph.nq ...   # on disk

Each dataset is served by `zhongyuan-kg serve` (no response cache) from memory, or with `--disk`
from an on-disk store that `zhongyuan-kg load` makes first (the load column). Startup (time to
the first answer) and the peak resident memory of the store's processes are measured over
`--starts` starts, the sizes taking turns. Then every dataset is served at once and each saved
query is timed through `/queries/<name>` `--repeats` times, the sizes taking turns query by
query, so a busy moment of the shared machine hits every size alike. A query is *selective*
when it asks about one plan's things (`SELECTIVE`; its answer is checked to be the same at every
size); the issue's target is that those stay within 2× of their ×1 latency at ×100.
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench import servers
from zhongyuan_kg.queries.catalog import load_catalog

TARGET = 2.0  # selective saved queries: at most this times their ×1 latency at the largest size
WARMUPS = 3  # untimed runs first: each evaluator's first query touches the store's pages
# Parameters that pin a query to the first plan's own things (an axis, an area, a goal, a part
# of the plan): with them, a query whose defaults list everything of every plan becomes one
# that asks about one plan. Queries not named here run with their defaults.
PINNED: dict[str, dict[str, str]] = {
    "agglomeration-members": {"area": "area/core"},
    "axis-industries": {"axis": "axis/longhai"},
    "axis-nodes": {"axis": "axis/longhai"},
    "goal-targets": {"goal": "goal/2020"},
}
# The queries about one plan's things (pinned above, or by default: a part of the plan, an axis):
# their answer is the same at every size. Every other query lists or counts the things of every
# plan (projects by kind, designations of a shared city …), so its answer grows with the plans.
SELECTIVE = frozenset(
    {*PINNED, "axis-node-airports", "industry-clusters", "public-service-projects"}
    | {"regional-cooperation"}
)


@dataclass
class Timing:
    """One query's latencies (seconds) and row counts on one dataset."""

    seconds: list[float] = field(default_factory=list)
    rows: int | None = None
    answer: object = None  # the rows as a sorted list, to compare sizes
    error: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds and not self.error else math.nan


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


def count_quads(dataset: Path) -> int:
    """Quads of an N-Quads file (its non-empty lines)."""
    with dataset.open("rb") as lines:
        return sum(1 for line in lines if line.strip())


def query_url(root: str, name: str) -> str:
    """The saved query's URL, pinned to the first plan when PINNED says how."""
    params = PINNED.get(name)
    return f"{root}/queries/{name}" + (f"?{urllib.parse.urlencode(params)}" if params else "")


@dataclass
class Fetched:
    """One answer: seconds, body, or the error status and reason."""

    seconds: float
    body: bytes = b""
    error: str | None = None

    def rows(self) -> list[str]:
        """The result rows, sorted, each as canonical JSON."""
        bindings = json.loads(self.body)["results"]["bindings"]
        return sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in bindings)


def fetch(url: str) -> Fetched:
    """One answer of the saved query at url, timed."""
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        reason = f"{error.code} {error.read()[:200].decode(errors='replace')}"
        return Fetched(math.nan, error=reason)
    return Fetched(time.perf_counter() - started, body)


def start(dataset: Path, store: str, attempts: int = 3) -> servers.Server:
    """Our server on the dataset, tried again if it fails to start (see bench/README.md)."""
    for attempt in range(1, attempts + 1):
        try:
            return servers.ours(dataset, store)
        except RuntimeError as error:
            if attempt == attempts:
                raise
            print(f"  {dataset}: {str(error)[-200:]}; again", file=sys.stderr, flush=True)
    raise AssertionError("unreachable")


def load_disk_stores(datasets: Sequence[Path], folder: Path) -> tuple[dict[Path, str], dict]:
    """An on-disk store of each dataset under folder (`zhongyuan-kg load`), and its load time."""
    stores, seconds = {}, {}
    for number, dataset in enumerate(datasets):
        store = f"oxigraph-disk:{folder / f'{number}-{dataset.parent.name}'}"
        command = [sys.executable, "-m", "zhongyuan_kg.cli", "load", "--store", store]
        started = time.perf_counter()
        subprocess.run([*command, "--dataset", str(dataset)], check=True, capture_output=True)
        stores[dataset], seconds[dataset] = store, time.perf_counter() - started
    return stores, seconds


def measure_starts(
    datasets: Sequence[Path], stores: dict[Path, str], starts: int
) -> dict[Path, tuple[float, float]]:
    """Median time to the first answer and median peak memory (MB) of each dataset's server."""
    ready: dict[Path, list[float]] = {d: [] for d in datasets}
    memory: dict[Path, list[float]] = {d: [] for d in datasets}
    for _ in range(starts):
        for dataset in datasets:
            server = start(dataset, stores[dataset])
            try:
                ready[dataset].append(server.startup_s)
                memory[dataset].append(peak_memory_mb(server.process.pid))
            finally:
                server.stop()
    return {d: (statistics.median(ready[d]), statistics.median(memory[d])) for d in datasets}


def measure_queries(
    datasets: Sequence[Path], stores: dict[Path, str], names: Sequence[str], repeats: int
) -> tuple[dict[Path, dict[str, Timing]], dict[Path, float]]:
    """Each query's timings on every dataset (sizes in turn), and each server's peak memory."""
    running = {dataset: start(dataset, stores[dataset]) for dataset in datasets}
    timings = {dataset: {name: Timing() for name in names} for dataset in datasets}
    try:
        roots = {d: s.url.removesuffix("/sparql") for d, s in running.items()}
        for name in names:
            for dataset in datasets:  # warm up: the evaluators' first use, the candidates
                timing = timings[dataset][name]
                for _ in range(WARMUPS):
                    fetched = fetch(query_url(roots[dataset], name))
                    timing.error = fetched.error
                    if fetched.error:
                        break
                if timing.error is None:
                    timing.answer = fetched.rows()
                    timing.rows = len(timing.answer)
        for _ in range(repeats):
            for name in names:
                for dataset in datasets:
                    timing = timings[dataset][name]
                    if timing.error is None:
                        timing.seconds.append(fetch(query_url(roots[dataset], name)).seconds)
        peaks = {d: peak_memory_mb(s.process.pid) for d, s in running.items()}
    finally:
        for server in running.values():
            server.stop()
    return timings, peaks


def report(
    datasets: Sequence[Path],
    names: Sequence[str],
    timings: dict[Path, dict[str, Timing]],
) -> list[dict[str, object]]:
    """Print one line per query (rows and ms at each size, ratio last/first) and return them."""
    first, last = datasets[0], datasets[-1]
    header = "".join(f"{d.parent.name:>18}" for d in datasets)
    print(f"{'query':<34}{header}{'ratio':>9}  selective: within {TARGET:g}x?")
    lines = []
    for name in names:
        cells = [timings[d][name] for d in datasets]
        same = all(cell.error is None and cell.answer == cells[0].answer for cell in cells)
        selective = name in SELECTIVE
        ratio = cells[-1].median / cells[0].median
        if selective:
            verdict = ("ok" if ratio <= TARGET else "MISSED") + ("" if same else ", ANSWER DIFFERS")
        else:
            verdict = "no" + (", same answer" if same else "")
        text = "".join(
            f"{cell.median * 1000:>9.1f}ms {cell.rows if cell.rows is not None else '-':>6}"
            if cell.error is None
            else f"{cell.error.split()[0]:>18}"
            for cell in cells
        )
        print(f"{name:<34}{text}{ratio:>8.1f}x  {verdict}")
        lines.append(
            {
                "query": name,
                "params": PINNED.get(name, {}),
                "selective": selective,
                "same_answer": same,
                "ms": {str(d): c.median * 1000 for d, c in zip(datasets, cells, strict=True)},
                "rows": {str(d): c.rows for d, c in zip(datasets, cells, strict=True)},
                "errors": {
                    str(d): c.error for d, c in zip(datasets, cells, strict=True) if c.error
                },
                "ratio": ratio,
            }
        )
    for dataset in datasets:
        for name in names:
            if timings[dataset][name].error:
                print(f"  {dataset} {name}: {timings[dataset][name].error}", file=sys.stderr)
    print(f"({first.parent.name} → {last.parent.name}: ratio of medians; target ≤ {TARGET}x)")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each dataset named on the command line; print the tables."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale_run", description=__doc__)
    parser.add_argument("datasets", type=Path, nargs="+", help="N-Quads files, smallest first")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--starts", type=int, default=5, help="starts of each server")
    parser.add_argument("--queries", nargs="*", help="only these saved queries")
    parser.add_argument("--selective", action="store_true", help="only the selective queries")
    parser.add_argument("--json", type=Path, help="write the measures here")
    parser.add_argument(
        "--disk", type=Path, help="serve on-disk stores loaded into this folder, not in memory"
    )
    args = parser.parse_args(argv)
    # Stopped from outside, it still stops its servers (the finally blocks run on SystemExit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    names = args.queries or sorted(SELECTIVE if args.selective else load_catalog())
    quads = {dataset: count_quads(dataset) for dataset in args.datasets}
    stores, loaded = dict.fromkeys(args.datasets, "oxigraph"), {}
    if args.disk:
        stores, loaded = load_disk_stores(args.datasets, args.disk)
    started = measure_starts(args.datasets, stores, args.starts) if args.starts else {}
    timings, peaks = measure_queries(args.datasets, stores, names, args.repeats)
    print(f"{'dataset':<28}{'quads':>12}{'load s':>8}{'ready s':>9}{'peak MB':>9}{'after MB':>9}")
    for dataset in args.datasets:
        ready, memory = started.get(dataset, (math.nan, math.nan))
        print(
            f"{dataset!s:<28}{quads[dataset]:>12,}{loaded.get(dataset, math.nan):>8.1f}"
            f"{ready:>9.1f}{memory:>9.0f}{peaks[dataset]:>9.0f}"
        )
    lines = report(args.datasets, names, timings)
    if args.json:
        sizes = {
            str(d): {
                "quads": quads[d],
                "store": stores[d],
                "disk_load_s": loaded.get(d, math.nan),
                "ready_s": started.get(d, (math.nan,))[0],
                "peak_mb": started.get(d, (math.nan, math.nan))[1],
                "peak_after_queries_mb": peaks[d],
            }
            for d in args.datasets
        }
        args.json.write_text(json.dumps({"sizes": sizes, "queries": lines}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
