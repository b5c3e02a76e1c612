"""Latency tails per saved query: each query alone under load, p99 against p50, side by side.

`bench.run` loads a server with all 44 saved queries in turn, so its p99/p50 mixes a 0.2 ms
query with an 80 ms one and says more about the mix than about the server. Here wrk sends one
saved query at a time from `--clients` connections for `--duration` seconds, to our endpoint
(no response cache) and to `oxigraph serve` on the same data, and the table gives each query's
p50, p99 and p99/p50 on both.

    python -m bench.tails --duration 2 --clients 8
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

from bench import servers
from bench.run import drive
from bench.workload import local_graph, saved_queries


@dataclass(frozen=True)
class Tail:
    """One saved query on one server under load."""

    query: str
    server: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def ratio(self) -> float:
        """p99 as a multiple of p50."""
        return self.p99_ms / self.p50_ms if self.p50_ms else float("nan")


def measure_tails(
    server: servers.Server, queries: dict[str, str], folder: Path, duration: float, clients: int
) -> list[Tail]:
    """Each query alone, under wrk, on one server."""
    tails = []
    for name, text in queries.items():
        bodies = folder / f"{name}.bodies"
        bodies.write_text(urlencode({"query": text}) + "\n", encoding="utf-8")
        out = drive(server.url, bodies, duration, clients)
        seconds = out["duration_us"] / 1e6 or 1.0
        errors = out["wrong"] + out["connect"] + out["read"] + out["write"] + out["timeout"]
        if out["requests"] == 0:  # nothing answered in the whole run is a failure too
            errors += 1
        tails.append(
            Tail(
                name,
                server.name,
                out["requests"] / seconds,
                out["p50_us"] / 1000,
                out["p99_us"] / 1000,
                errors,
            )
        )
        # wrk hangs up on requests still queued; let the server finish them before the next.
        time.sleep(0.5 + min(5.0, clients * out["p99_us"] / 1e6))
    return tails


def report(tails: Sequence[Tail]) -> str:
    """The per-query table and, per server, the median and worst p99/p50."""
    by_query: dict[str, dict[str, Tail]] = {}
    for tail in tails:
        by_query.setdefault(tail.query, {})[tail.server] = tail
    names = sorted({tail.server for tail in tails})
    header = f"{'query':<34}" + "".join(
        f" {name + ' p50':>14} {'p99':>8} {'p99/p50':>7}" for name in names
    )
    lines = [header]
    for query, row in by_query.items():
        cells = "".join(
            f" {row[n].p50_ms:>14.2f} {row[n].p99_ms:>8.2f} {row[n].ratio:>7.1f}"
            if n in row
            else f" {'-':>14} {'-':>8} {'-':>7}"
            for n in names
        )
        lines.append(f"{query:<34}{cells}")
    lines.append("")
    for name in names:
        ratios = [t.ratio for t in tails if t.server == name]
        within = sum(ratio <= 3 for ratio in ratios)
        errors = sum(t.errors for t in tails if t.server == name)
        lines.append(
            f"{name}: p99/p50 median {statistics.median(ratios):.1f}, worst {max(ratios):.1f}; "
            f"{within} of {len(ratios)} queries within 3x; {errors} errors"
        )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    summary = __doc__.split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m bench.tails", description=summary)
    parser.add_argument("--dataset", type=Path, default=Path("dist/graph.nq"))
    parser.add_argument("--duration", type=int, default=2, help="whole seconds of load per query")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    parser.add_argument("--servers", default="ours,oxigraph", help="of ours,oxigraph")
    parser.add_argument("--only", help="comma-separated saved-query names (default: all)")
    parser.add_argument("--json", type=Path, help="also write the measures as JSON here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Start the servers, measure every saved query alone on each, print the table."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    queries = saved_queries(local_graph(args.dataset)).queries
    if args.only:
        wanted = args.only.split(",")
        unknown = sorted(set(wanted) - set(queries))
        if unknown:
            print(f"bench.tails: no saved query named {', '.join(unknown)}", file=sys.stderr)
            return 2
        queries = {name: queries[name] for name in wanted}
    starters = {
        "ours": lambda: servers.ours(args.dataset),
        "oxigraph": lambda: servers.oxigraph(args.dataset),
    }
    tails: list[Tail] = []
    with tempfile.TemporaryDirectory(prefix="zhongyuan-tails-") as folder:
        for name in args.servers.split(","):
            server = starters[name]()
            try:
                tails += measure_tails(server, queries, Path(folder), args.duration, args.clients)
            finally:
                server.stop()
    print(report(tails))
    if args.json:
        args.json.write_text(json.dumps([asdict(t) for t in tails], indent=1), encoding="utf-8")
    return 1 if any(t.errors for t in tails) else 0


if __name__ == "__main__":
    sys.exit(main())
