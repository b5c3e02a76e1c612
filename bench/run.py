"""The benchmark command: the same data and queries on four servers, side by side, under wrk.

    python -m bench.run --duration 10 --clients 8

Starts our endpoint, `oxigraph serve`, rdflib-endpoint and a bare Flask route on loopback (ours
and the bare route under the same WSGI server and settings, `--wsgi granian|gunicorn`), and on
request (`--servers …,isolation-floor`) the floor of isolation (`isolation_floor.py`); checks
every server's answers against embedded Oxigraph; then, for each scenario (saved queries, ad-hoc
lookups and label searches, one repeated query), drives each server with wrk for `--duration`
seconds at `--clients` connections and prints requests/s, p50, p99, errors and the ratios of ours
to the others.
"""

from __future__ import annotations

import argparse
import json
import platform
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

from bench import servers
from bench.workload import (
    Workload,
    adhoc_queries,
    adhoc_search,
    local_graph,
    repeated_get,
    repeated_query,
    result_set,
    saved_queries,
)

LUA = Path(__file__).with_name("post.lua")
WRK = "/usr/bin/wrk"
SCENARIOS = {
    "saved": saved_queries,
    "adhoc": adhoc_queries,
    "adhoc-search": adhoc_search,
    "repeated": repeated_query,
    "repeated-get": repeated_get,
}
PEERS = ("oxigraph", "rdflib-endpoint", "flask-route", "isolation-floor")
PACKAGES = ("pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "Flask", "gunicorn", "granian")
RESTARTED = ("rdflib-endpoint",)  # restarted after each scenario: it cannot cancel a query


@dataclass
class Measure:
    """One server under one scenario: throughput, latency, errors, answers checked."""

    scenario: str
    server: str
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    checked: int
    wrong_answers: list[str]


def check(server: servers.Server, workload: Workload, limit: int, timeout: float) -> list[str]:
    """Names of the workload's queries (the first `limit`) the server answers wrongly."""
    wrong = []
    for name in list(workload.queries)[:limit]:
        data = urlencode({"query": workload.queries[name]}).encode()
        headers = {"Accept": "application/sparql-results+json"}
        request = urllib.request.Request(server.url, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if result_set(response.read()) != workload.expected[name]:
                    wrong.append(name)
        except (urllib.error.URLError, OSError, ValueError) as error:
            wrong.append(f"{name} ({type(error).__name__})")
    return wrong


def drive(
    url: str, bodies: Path, duration: float, clients: int, method: str = "POST"
) -> dict[str, int]:
    """wrk at a fixed number of connections; its Lua script's summary as a dict."""
    command = [
        WRK, "-t", str(min(2, clients)), "-c", str(clients), "-d", f"{duration:g}s",
        "--timeout", "30s", "-s", str(LUA), url, "--", str(bodies), method,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def measure(
    server: servers.Server, workload: Workload, args: argparse.Namespace, folder: Path
) -> Measure:
    """Check the answers, then load the server with the workload."""
    checked = 0
    wrong: list[str] = []
    if server.name != "flask-route":  # its fixed body answers nothing
        # rdflib takes minutes over some saved queries: only its first few answers are checked.
        limit = args.check_limit
        if server.name == "rdflib-endpoint":
            limit = min(limit, args.rdflib_check_limit)
        checked = min(limit, len(workload.queries))
        wrong = check(server, workload, limit, args.check_timeout)
    bodies = folder / f"{workload.name}.bodies"
    bodies.write_text("\n".join(workload.bodies()) + "\n", encoding="utf-8")
    out = drive(server.url, bodies, args.duration, args.clients, workload.method)
    errors = out["wrong"] + out["connect"] + out["read"] + out["write"] + out["timeout"]
    seconds = out["duration_us"] / 1e6
    return Measure(
        workload.name,
        server.name,
        out["requests"],
        out["requests"] / seconds if seconds else 0.0,
        out["p50_us"] / 1000,
        out["p99_us"] / 1000,
        errors,
        checked,
        wrong,
    )


def report(results: Sequence[Measure]) -> str:
    """The table of every measure and, per scenario, ours as a multiple of each peer."""
    lines = [
        f"{'scenario':<12} {'server':<16} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} "
        f"{'p99/p50':>8} {'errors':>7} {'checked':>8} wrong"
    ]
    for m in results:
        ratio = m.p99_ms / m.p50_ms if m.p50_ms else float("nan")
        lines.append(
            f"{m.scenario:<12} {m.server:<16} {m.rps:>9.1f} {m.p50_ms:>9.2f} {m.p99_ms:>9.2f} "
            f"{ratio:>8.1f} {m.errors:>7} {m.checked:>8} {','.join(m.wrong_answers) or '-'}"
        )
    lines.append("")
    for scenario in dict.fromkeys(m.scenario for m in results):
        by_server = {m.server: m for m in results if m.scenario == scenario}
        # The floor is ours' peer and a measure of its own: how near any isolating endpoint gets.
        for variant in ("ours", "ours-cached", "isolation-floor"):
            if variant not in by_server:
                continue
            ours = by_server[variant].rps
            ratios = [
                f"{peer} {ours / by_server[peer].rps:.2f}x" if by_server[peer].rps else f"{peer} -"
                for peer in PEERS
                if peer in by_server and peer != variant
            ]
            lines.append(f"{scenario}: {variant} req/s ÷ " + ", ".join(ratios))
    return "\n".join(lines)


def environment() -> dict[str, str]:
    """Machine and versions, for the README."""
    from importlib.metadata import version

    wrk = subprocess.run([WRK, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return {
        "machine": f"{platform.machine()} {platform.processor() or ''} {_cores()} cores".strip(),
        "python": platform.python_version(),
        "versions": ", ".join(f"{name} {version(name)}" for name in PACKAGES),
        "wrk": wrk.strip(),
    }


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", type=Path, default=Path("dist/graph.nq"))
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per run")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    parser.add_argument(
        "--scenarios",
        default="saved,adhoc,adhoc-search,repeated",
        help="of " + ",".join(SCENARIOS),
    )
    parser.add_argument(
        "--servers",
        default="ours,ours-cached,oxigraph,flask-route,rdflib-endpoint",
        help="which to run",
    )
    parser.add_argument(
        "--check-limit",
        type=int,
        default=1000,
        help="answers checked per scenario",
    )
    parser.add_argument(
        "--rdflib-check-limit", type=int, default=5, help="answers of rdflib-endpoint checked"
    )
    parser.add_argument("--check-timeout", type=float, default=120.0, help="seconds per check")
    parser.add_argument("--json", type=Path, help="also write the measures as JSON here")
    parser.add_argument(
        "--wsgi",
        choices=servers.WSGI_SERVERS,
        default=servers.DEFAULT_SERVER,
        help="WSGI server of ours and the bare route (default: that of zhongyuan-kg serve)",
    )
    parser.add_argument("--workers", type=int, default=1, help="WSGI worker processes")
    parser.add_argument(
        "--threads", type=int, default=0, help="request threads per worker (0: serve's default)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Start the servers, run every scenario on each, print the table; 1 if anything was wrong."""
    args = parse_args(argv)
    # A plain `kill` must still stop the servers (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    wsgi = servers.Wsgi(args.wsgi, args.workers, args.threads)
    print(f"WSGI server (ours, ours-cached, flask-route): {wsgi.describe()}", flush=True)
    graph = local_graph(args.dataset)
    workloads = [SCENARIOS[name](graph) for name in args.scenarios.split(",")]
    starters = {
        # No response cache: every query evaluated.
        "ours": lambda: servers.ours(args.dataset, wsgi=wsgi),
        "ours-cached": lambda: servers.ours(args.dataset, cache_mb=64, wsgi=wsgi),
        "oxigraph": lambda: servers.oxigraph(args.dataset),
        "rdflib-endpoint": lambda: servers.rdflib_endpoint(args.dataset),
        "flask-route": lambda: servers.trivial(wsgi),
        "isolation-floor": lambda: servers.isolation_floor(args.dataset, wsgi),
    }
    running: list[servers.Server] = []
    results: list[Measure] = []
    try:
        for name in args.servers.split(","):
            running.append(starters[name]())
        for server in running:
            print(f"{server.name}: ready in {server.startup_s:.2f} s at {server.url}", flush=True)
        with tempfile.TemporaryDirectory(prefix="zhongyuan-bench-") as folder:
            for workload in workloads:
                for index, server in enumerate(running):
                    results.append(measure(server, workload, args, Path(folder)))
                    last = results[-1]
                    print(f"  {last.scenario} {last.server}: {last.rps:.1f} req/s", flush=True)
                    if server.name in RESTARTED:
                        # It goes on evaluating what timed-out clients left: a fresh process
                        # keeps that work from slowing the next server measured.
                        server.stop()
                        running[index] = starters[server.name]()
                    time.sleep(0.5)  # let the previous server's work drain
    finally:
        for server in running:
            server.stop()
    print(json.dumps(environment() | {"wsgi": wsgi.describe()}, ensure_ascii=False))
    print(report(results))
    if args.json:
        args.json.write_text(
            json.dumps([asdict(m) for m in results], ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return 1 if any(m.errors or m.wrong_answers for m in results) else 0


if __name__ == "__main__":
    sys.exit(main())
