"""Soak test: several clients mix normal and hostile requests for a while; report failures among
the normal ones, their latency percentiles, the memory (RSS) curve of every server process, and
whether the same workers are alive at the end.

    python bench/soak.py --duration 120 --clients 6               # serves dist/graph.nq itself
    python bench/soak.py --url http://127.0.0.1:8000 --server-pid PID --duration 60

Writes a JSON report (`--json FILE`, default bench/results/soak.json) and exits 1 when a normal
request failed, the p99 bound was passed, memory grew past the bound, or a process was lost.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import requests

ASK = "ASK { <city/zhengzhou> zy:memberOf <area/core> }"
# Normal traffic: what any client of the endpoint sends, valid on any build of the graph.
NORMAL: list[tuple[str, dict[str, str]]] = [
    ("/sparql", {"query": ASK}),
    ("/sparql", {"query": "SELECT ?c ?l WHERE { ?c a zy:City ; rdfs:label ?l } LIMIT 50"}),
    ("/sparql", {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}),
    ("/sparql", {"query": "CONSTRUCT { ?c ?p ?o } WHERE { ?c a zy:City ; ?p ?o } LIMIT 100"}),
    ("/queries", {"format": "json"}),
]
# Hostile traffic: each must be refused with its status, never disturb the normal traffic.
HOSTILE: list[tuple[str, dict[str, str], tuple[int, ...]]] = [
    ("/sparql", {"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}, (400,)),
    ("/sparql", {"update": "DROP ALL"}, (403,)),
    ("/sparql", {"query": "CLEAR ALL"}, (403,)),
    ("/sparql", {"query": "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }"}, (400,)),
    ("/sparql", {"query": "SELECT * WHERE " + "{" * 3000 + "}" * 3000}, (400,)),
    ("/sparql", {"query": "SELECT ?x WHERE { ?x ?y"}, (400,)),
    (
        "/sparql",
        {"query": "SELECT (COUNT(*) AS ?n) { " + "?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"},
        (503, 400, 200),  # the time limit, the memory limit or (large machines) an answer
    ),
    ("/queries/..%2f..%2fetc%2fpasswd", {}, (404,)),
    ("/queries/passages-mentioning", {"text": '郑州" } ; DROP ALL #'}, (200, 400)),
    ("/sparql", {"query": "<script>alert(1)</script>"}, (400,)),
]
BUSY = 503  # a full server refuses with Retry-After; the client waits and asks again


@dataclass
class SoakReport:
    """What a soak run measured."""

    duration_s: float
    clients: int
    normal: int = 0
    normal_failures: list[str] = field(default_factory=list)
    busy_retries: int = 0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    hostile: dict[str, int] = field(default_factory=dict)
    hostile_unexpected: list[str] = field(default_factory=list)
    rss_mb: list[dict[str, float]] = field(default_factory=list)  # one sample a second, by role
    processes_start: dict[str, list[int]] = field(default_factory=dict)
    processes_end: dict[str, list[int]] = field(default_factory=dict)
    alive_after: bool = False


def children(pid: int) -> list[int]:
    """Direct children of a process, from /proc."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of one process in MiB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def process_roles(server_pid: int) -> dict[str, list[int]]:
    """The server's processes by role: gunicorn master, workers, zygotes, evaluators."""
    roles: dict[str, list[int]] = {"master": [server_pid], "worker": [], "zygote": []}
    roles["evaluator"] = []
    for worker in children(server_pid):
        roles["worker"].append(worker)
        for zygote in children(worker):
            roles["zygote"].append(zygote)
            roles["evaluator"] += children(zygote)
    return roles


def percentile(values: list[float], share: float) -> float:
    """The value under which `share` of the values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _client(root: str, deadline: float, hostile_share: float, seed: int, out: dict) -> None:
    chooser = random.Random(seed)
    session = requests.Session()
    while time.monotonic() < deadline:
        if chooser.random() < hostile_share:
            path, params, expected = chooser.choice(HOSTILE)
            try:
                response = session.post(root + path, data=params, timeout=60)
                status = response.status_code
            except requests.RequestException as error:
                status = -1
                out["hostile_unexpected"].append(f"{path}: {error}")
            out["hostile"][str(status)] += 1
            if status not in expected and status != BUSY:
                out["hostile_unexpected"].append(f"{path} {params}: {status}")
            continue
        path, params = chooser.choice(NORMAL)
        started = time.monotonic()
        try:
            response = session.get(root + path, params=params, timeout=60)
            while response.status_code == BUSY and "busy" in response.text:
                out["busy"] += 1
                time.sleep(0.05)
                response = session.get(root + path, params=params, timeout=60)
            ok = response.status_code == 200
            reason = f"{path} {params}: {response.status_code} {response.text[:200]}"
        except requests.RequestException as error:
            ok, reason = False, f"{path} {params}: {error}"
        out["latencies"].append(time.monotonic() - started)
        if not ok:
            out["failures"].append(reason)


def _sample(server_pid: int, stop: threading.Event, curve: list[dict[str, float]]) -> None:
    started = time.monotonic()
    while not stop.is_set():
        roles = process_roles(server_pid)
        sample = {"t": round(time.monotonic() - started, 1)}
        for role, pids in roles.items():
            sample[role] = round(sum(rss_mb(pid) for pid in pids), 1)
        curve.append(sample)
        stop.wait(1.0)


def soak(
    root: str, server_pid: int, duration: float, clients: int, hostile_share: float = 0.3
) -> SoakReport:
    """Run the mixed load against a running server and measure it."""
    report = SoakReport(duration_s=duration, clients=clients)
    report.processes_start = process_roles(server_pid)
    shared: dict = {"latencies": [], "failures": [], "busy": 0}
    shared["hostile"], shared["hostile_unexpected"] = Counter(), []
    stop = threading.Event()
    sampler = threading.Thread(target=_sample, args=(server_pid, stop, report.rss_mb))
    sampler.start()
    deadline = time.monotonic() + duration
    threads = [
        threading.Thread(target=_client, args=(root, deadline, hostile_share, seed, shared))
        for seed in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    sampler.join()
    latencies = [seconds * 1000 for seconds in shared["latencies"]]
    report.normal, report.normal_failures = len(latencies), shared["failures"]
    report.busy_retries = shared["busy"]
    if latencies:
        report.p50_ms = round(statistics.median(latencies), 1)
        report.p99_ms = round(percentile(latencies, 0.99), 1)
        report.max_ms = round(max(latencies), 1)
    report.hostile = dict(shared["hostile"])
    report.hostile_unexpected = shared["hostile_unexpected"]
    time.sleep(0.5)  # a replacement evaluator forked at the very end settles
    report.processes_end = process_roles(server_pid)
    answer = requests.get(root + "/sparql", params={"query": ASK}, timeout=5)
    report.alive_after = answer.ok and answer.json().get("boolean") is True
    return report


def memory_growth_mb(report: SoakReport, role: str = "worker") -> float:
    """Growth of a role's RSS from the first third of the run to the last third (medians)."""
    values = [sample[role] for sample in report.rss_mb]
    third = max(1, len(values) // 3)
    return statistics.median(values[-third:]) - statistics.median(values[:third])


def problems(report: SoakReport, p99_bound_ms: float, growth_bound_mb: float) -> list[str]:
    """Everything that makes the run a failure, in words."""
    found = [f"normal request failed: {reason}" for reason in report.normal_failures[:10]]
    found += [f"hostile request answered oddly: {text}" for text in report.hostile_unexpected[:10]]
    if report.p99_ms > p99_bound_ms:
        found.append(f"p99 of normal requests {report.p99_ms} ms > {p99_bound_ms} ms")
    for role in ("worker", "zygote"):
        growth = memory_growth_mb(report, role)
        if growth > growth_bound_mb:
            found.append(f"{role} RSS grew {growth:.1f} MiB > {growth_bound_mb} MiB")
    for role in ("master", "worker", "zygote"):
        if report.processes_start[role] != report.processes_end[role]:
            found.append(
                f"{role} processes changed: {report.processes_start[role]} → "
                f"{report.processes_end[role]}"
            )
    if len(report.processes_end["evaluator"]) != len(report.processes_start["evaluator"]):
        found.append("evaluators missing at the end")
    if not report.alive_after:
        found.append("the server did not answer after the run")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_server(dataset: Path, evaluators: int, timeout: float) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    command = [sys.executable, "-m", "zhongyuan_kg.cli", "serve", "--dataset", str(dataset)]
    command += ["--port", str(port), "--evaluators", str(evaluators), "--timeout", str(timeout)]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL, start_new_session=True)
    root = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if requests.get(root + "/sparql", params={"query": "ASK {}"}, timeout=5).ok:
                return process, root
        except requests.ConnectionError:
            time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError("the server did not start")


def main(argv: list[str] | None = None) -> int:
    """Run a soak from the command line; exit 1 on any problem."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="root of a running server (else one is started)")
    parser.add_argument("--server-pid", type=int, help="gunicorn master pid of --url")
    parser.add_argument("--dataset", type=Path, default=Path("dist/graph.nq"))
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of load")
    parser.add_argument("--clients", type=int, default=6, help="concurrent clients")
    parser.add_argument("--hostile-share", type=float, default=0.3)
    parser.add_argument("--evaluators", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=2.0, help="query time limit (own server)")
    parser.add_argument("--p99-ms", type=float, default=2000.0, help="bound of the normal p99")
    parser.add_argument("--growth-mb", type=float, default=20.0, help="bound of RSS growth")
    parser.add_argument("--json", type=Path, default=Path("bench/results/soak.json"))
    args = parser.parse_args(argv)
    process = None
    if args.url:
        if args.server_pid is None:
            parser.error("--url needs --server-pid (its processes are measured)")
        root, pid = args.url.rstrip("/"), args.server_pid
    else:
        process, root = _start_server(args.dataset, args.evaluators, args.timeout)
        pid = process.pid
    try:
        report = soak(root, pid, args.duration, args.clients, args.hostile_share)
    finally:
        if process is not None:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
    found = problems(report, args.p99_ms, args.growth_mb)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({**asdict(report), "problems": found}, indent=1) + "\n")
    curve = " ".join(f"{s['worker'] + s['zygote'] + s['evaluator']:.0f}" for s in report.rss_mb)
    print(
        f"normal {report.normal} (failures {len(report.normal_failures)}, busy retries "
        f"{report.busy_retries}), p50 {report.p50_ms} ms, p99 {report.p99_ms} ms, "
        f"hostile {report.hostile}\nRSS MiB (worker+zygote+evaluators) each second: {curve}"
    )
    for problem in found:
        print("PROBLEM:", problem)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
