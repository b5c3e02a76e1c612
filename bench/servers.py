"""The servers of the benchmark, each started on a loopback port and stopped afterwards."""

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

from zhongyuan_kg.server.granian_server import HEADER_BUFFER
from zhongyuan_kg.server.load import load
from zhongyuan_kg.server.serve import DEFAULT_SERVER, DEFAULT_THREADS, SERVERS

WSGI_SERVERS = SERVERS  # granian, gunicorn: our endpoint and the bare route run under the same
EVALUATORS = 2  # our evaluator processes (one per core here)


@dataclass(frozen=True)
class Wsgi:
    """The WSGI server and settings shared by our endpoint and the bare Flask route."""

    server: str = DEFAULT_SERVER
    workers: int = 1
    threads: int = 0  # request threads per worker; 0: serve's default for that server

    @property
    def request_threads(self) -> int:
        """The threads actually used."""
        return self.threads or DEFAULT_THREADS[self.server]

    def describe(self) -> str:
        """One line for the report's header."""
        from importlib.metadata import version

        threads = "blocking threads" if self.server == "granian" else "threads (gthread)"
        return (
            f"{self.server} {version(self.server)}, {self.workers} worker(s), "
            f"{self.request_threads} {threads}"
        )


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


def _start(
    name: str,
    command: list[str],
    url: str,
    limit: float = 300.0,
    env: dict[str, str] | None = None,
) -> Server:
    log = tempfile.TemporaryFile()  # noqa: SIM115  # a file, not a pipe: a full pipe blocks
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True, env=env
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


def wsgi_command(wsgi: Wsgi, port: int, target: str) -> list[str]:
    """The command serving the WSGI app `target` with the settings of `zhongyuan-kg serve`."""
    if wsgi.server == "granian":
        return [
            sys.executable, "-m", "granian", "--interface", "wsgi", "--http", "1", "--no-ws",
            "--workers", str(wsgi.workers), "--blocking-threads", str(wsgi.request_threads),
            "--http1-buffer-size", str(HEADER_BUFFER), "--host", "127.0.0.1",
            "--port", str(port), target,
        ]  # fmt: skip
    return [
        sys.executable, "-m", "gunicorn", "--worker-class", "gthread",
        "--workers", str(wsgi.workers), "--threads", str(wsgi.request_threads),
        "--bind", f"127.0.0.1:{port}", "--timeout", "60", target,
    ]  # fmt: skip


def ours(
    dataset: Path, store: str = "oxigraph", cache_mb: float = 0, wsgi: Wsgi | None = None
) -> Server:
    """`zhongyuan-kg serve` (evaluators forked from the loaded store) under `wsgi`."""
    wsgi = wsgi or Wsgi()
    port = free_port()
    command = [
        sys.executable, "-m", "zhongyuan_kg.cli", "serve", "--dataset", str(dataset),
        "--port", str(port), "--server", wsgi.server, "--workers", str(wsgi.workers),
        "--threads", str(wsgi.request_threads), "--evaluators", str(EVALUATORS),
        "--max-concurrent", "64", "--timeout", "30", "--store", store, "--cache-mb", str(cache_mb),
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


def isolation_floor(dataset: Path, wsgi: Wsgi | None = None) -> Server:
    """A bare WSGI app relaying each query to evaluator processes: what isolation alone costs."""
    port = free_port()
    command = wsgi_command(wsgi or Wsgi(), port, "bench.isolation_floor:app")
    env = os.environ | {"ISOLATION_FLOOR_DATASET": str(dataset.resolve())}
    return _start("isolation-floor", command, f"http://127.0.0.1:{port}/sparql", env=env)


def trivial(wsgi: Wsgi | None = None) -> Server:
    """The bare Flask route under the same WSGI server and settings: the ceiling."""
    port = free_port()
    command = wsgi_command(wsgi or Wsgi(), port, "bench.trivial:app")
    return _start("flask-route", command, f"http://127.0.0.1:{port}/sparql")
