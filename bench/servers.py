"""The four servers of the benchmark, each started on a loopback port and stopped afterwards."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from zhongyuan_kg.server.load import load

THREADS = 16  # gunicorn request threads: the same for our endpoint and the bare Flask route
EVALUATORS = 2  # our evaluator processes (one per core here)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A server process: its name, query URL, and how long it took to answer its first query."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    startup_s: float = 0.0
    log: object = field(default=None, repr=False)

    def stop(self) -> None:
        """Stop the whole process group (gunicorn, workers, zygote, evaluators)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _ask(url: str) -> bool:
    data = urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    request = urllib.request.Request(url, data=data, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _start(name: str, command: list[str], url: str, limit: float = 300.0) -> Server:
    log = tempfile.TemporaryFile()  # noqa: SIM115  # a file, not a pipe: a full pipe blocks
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
    )
    server = Server(name, url, process, log=log)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"{name} exited: {log.read().decode(errors='replace')[-2000:]}")
        if _ask(url):
            server.startup_s = time.perf_counter() - started
            return server
        time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"{name} did not answer within {limit:g} s")


def gunicorn_options(port: int) -> list[str]:
    """The WSGI server settings our endpoint and the bare route share."""
    return [
        "--worker-class", "gthread", "--workers", "1", "--threads", str(THREADS),
        "--bind", f"127.0.0.1:{port}", "--timeout", "60",
    ]  # fmt: skip


def ours(dataset: Path, store: str = "oxigraph", cache_mb: float = 0) -> Server:
    """`zhongyuan-kg serve` (gunicorn, one worker, evaluators forked from the loaded store)."""
    port = free_port()
    command = [
        sys.executable, "-m", "zhongyuan_kg.cli", "serve", "--dataset", str(dataset),
        "--port", str(port), "--workers", "1", "--threads", str(THREADS),
        "--evaluators", str(EVALUATORS), "--max-concurrent", "64", "--timeout", "30",
        "--store", store, "--cache-mb", str(cache_mb),
    ]  # fmt: skip
    if store.startswith("http"):
        command += ["--isolate-network", "false"]
    name = "ours-cached" if cache_mb else "ours"
    return _start(name, command, f"http://127.0.0.1:{port}/sparql")


def oxigraph(dataset: Path) -> Server:
    """`oxigraph serve` in memory, its default graph the union (as ours), loaded by PUT."""
    port = free_port()
    binary = shutil.which("oxigraph") or "oxigraph"
    command = [binary, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    server = _start("oxigraph", command, f"http://127.0.0.1:{port}/query")
    started = time.perf_counter()
    load(server.url, dataset)
    server.startup_s += time.perf_counter() - started
    return server


def rdflib_endpoint(dataset: Path) -> Server:
    """rdflib-endpoint (FastAPI under uvicorn) on the same dump; its default graph is the union."""
    port = free_port()
    binary = shutil.which("rdflib-endpoint") or "rdflib-endpoint"
    command = [binary, "serve", "--host", "127.0.0.1", "--port", str(port), str(dataset)]
    return _start("rdflib-endpoint", command, f"http://127.0.0.1:{port}/")


def trivial() -> Server:
    """The bare Flask route under the same gunicorn settings: the ceiling."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", *gunicorn_options(port), "bench.trivial:app"]
    return _start("flask-route", command, f"http://127.0.0.1:{port}/sparql")
