"""The supervised pool of evaluator processes, as the HTTP process sees it.

The pool starts a zygote process (`zygote.py`) that loads the store and forks evaluators; each
evaluator connects back over an authenticated Unix socket and waits for jobs. A job that outlives
its time limit gets its evaluator killed (the zygote forks a replacement at once); a job whose
evaluator dies on it was too much for the engine.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, Listener
from pathlib import Path
from typing import Any

from .evaluate import Answer, Failure, Job
from .store import StoreInfo

log = logging.getLogger(__name__)
_HELLO_WAIT = 10.0  # seconds a new connection has to say who it is


def _readable(connection: Connection, timeout: float) -> bool:
    """Whether the connection has data within timeout seconds (Connection.poll, but cheaper)."""
    # Connection.poll builds a selector per call; one poll object is a third of its cost.
    watcher = select.poll()
    watcher.register(connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
    # A hang-up counts as readable, as with poll(): recv() then reports the dead evaluator.
    return bool(watcher.poll(timeout * 1000))  # retried on signals with the rest (PEP 475)


class PoolError(Exception):
    """A job the pool could not run to completion."""


class Busy(PoolError):
    """Every query slot is taken, or no evaluator came free in time."""


class TimedOut(PoolError):
    """The job hit its time limit; its evaluator was killed."""


class Crashed(PoolError):
    """The evaluator died while running the job."""


class Unavailable(PoolError):
    """The store could not be loaded or the zygote is gone."""


@dataclass
class _Evaluator:
    pid: int
    zygote: int  # the pid of the zygote that forked it
    connection: Connection


@dataclass(frozen=True)
class PoolConfig:
    """What the zygote needs to load the store and how many evaluators to keep."""

    store: str
    dataset: Path
    base_iri: str
    prefixes: dict[str, str]
    evaluators: int
    max_concurrent: int
    memory_mb: int
    isolate_network: bool
    startup_timeout: float


class EvaluatorPool:
    """Runs jobs in evaluator processes with a time limit and a concurrency cap."""

    def __init__(self, config: PoolConfig) -> None:
        self.config = config
        self.info: StoreInfo | None = None
        self.isolated = False
        self._slots = threading.BoundedSemaphore(config.max_concurrent)
        # SimpleQueue: its get and put are C, without Queue's Condition (a lock allocated per wait).
        self._idle: queue.SimpleQueue[_Evaluator] = queue.SimpleQueue()
        self._lock = threading.Lock()  # start/stop, and every send to the zygote
        self._ready = threading.Event()
        self._closing = False
        self._failure: str | None = None
        self._zygote: subprocess.Popen[bytes] | None = None
        self._zygote_connection: Connection | None = None
        self._listener: Listener | None = None
        self._directory = ""
        self._authkey = os.urandom(32)

    @property
    def started(self) -> bool:
        """Whether the store is loaded and evaluators are being served."""
        return self.info is not None

    def start(self) -> StoreInfo:
        """Start the zygote and wait until the store is loaded; later calls return at once."""
        info = self.info  # read once, without the lock: every query calls this
        if info is not None:
            return info
        with self._lock:
            if self.info is not None:
                return self.info
            if self._closing:
                raise Unavailable("the evaluator pool is closed")
            if self._failure:
                raise Unavailable(self._failure)
            if self._listener is None:
                self._directory = tempfile.mkdtemp(prefix="zhongyuan-kg-pool-")
                address = str(Path(self._directory) / "pool.sock")
                self._listener = Listener(address, family="AF_UNIX", authkey=self._authkey)
                threading.Thread(target=self._accept, name="pool-accept", daemon=True).start()
            if self._zygote is None:
                self._spawn_zygote()
        if not self._ready.wait(self.config.startup_timeout) or self.info is None:
            raise Unavailable(self._failure or "the store did not load in time")
        return self.info

    def _spawn_zygote(self) -> None:
        assert self._listener is not None
        config = {
            "address": self._listener.address,
            "authkey": self._authkey.hex(),
            "store": self.config.store,
            "dataset": str(self.config.dataset),
            "base_iri": self.config.base_iri,
            "prefixes": self.config.prefixes,
            "evaluators": self.config.evaluators,
            "memory_mb": self.config.memory_mb,
            "isolate_network": self.config.isolate_network,
        }
        self._ready.clear()
        # Python ≥ 3.12 warns when fork() meets threads ("This process … is multi-threaded");
        # the zygote makes that warning an error, so a thread there could never go unnoticed.
        command = [sys.executable, "-W", "error:This process:DeprecationWarning"]
        self._zygote = subprocess.Popen(
            [*command, "-m", "zhongyuan_kg.server.zygote"], stdin=subprocess.PIPE
        )
        assert self._zygote.stdin is not None
        with self._zygote.stdin as stdin:
            stdin.write(json.dumps(config).encode() + b"\n")
        threading.Thread(target=self._watch_exit, args=(self._zygote,), daemon=True).start()

    def _watch_exit(self, process: subprocess.Popen[bytes]) -> None:
        code = process.wait()
        # Under the lock: a zygote that dies after its greeting is replaced by _listen_zygote
        # (which holds the lock while it does); only one that never greeted is a failure.
        with self._lock:
            if process is self._zygote and self.info is None and not self._closing:
                self._failure = self._failure or f"the store loader exited with status {code}"
                self._ready.set()

    def _accept(self) -> None:
        assert self._listener is not None
        while not self._closing:
            try:
                # accept() also runs the authentication handshake, which raises EOFError or
                # AuthenticationError when the other side goes away: none may end this thread.
                connection = self._listener.accept()
            except Exception as error:
                if not self._closing:
                    log.warning("evaluator pool: a connection failed: %r", error)
                continue
            try:
                hello = connection.recv() if connection.poll(_HELLO_WAIT) else ("silent",)
            except (OSError, EOFError):
                hello = ("gone",)
            role = hello[0]
            if role == "evaluator":
                self._idle.put(_Evaluator(hello[1], hello[2], connection))
            elif role == "zygote":
                self._zygote_connection = connection
                _, _, self.info, self.isolated = hello
                self._ready.set()
                threading.Thread(
                    target=self._listen_zygote, args=(connection,), daemon=True
                ).start()
            elif role == "failed":
                self._failure = hello[1]
                self._ready.set()
                connection.close()
            else:
                connection.close()

    def _listen_zygote(self, connection: Connection) -> None:
        while True:
            try:
                event, pid, status = connection.recv()
            except (EOFError, OSError):
                break
            if event == "exited" and os.WIFSIGNALED(status):
                log.info("evaluator %d ended by signal %d", pid, os.WTERMSIG(status))
        with self._lock:
            if self._closing or self._zygote_connection is not connection:
                return
            log.error("evaluator pool: the zygote died; starting a new one")
            self.info, self._zygote_connection = None, None
            connection.close()
            self._spawn_zygote()

    def _tell_zygote(self, *message: Any) -> None:
        with self._lock:
            if self._zygote_connection is not None:
                with contextlib.suppress(OSError):
                    self._zygote_connection.send(message)

    def _take(self, deadline: float) -> _Evaluator:
        while True:
            try:
                evaluator = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise Busy("no evaluator came free in time") from None
            zygote = self._zygote
            if zygote is not None and evaluator.zygote == zygote.pid:
                return evaluator
            evaluator.connection.close()  # forked by a zygote that has died since

    def run(self, job: Job, timeout: float) -> Answer | Failure:
        """Run a job in an idle evaluator within timeout seconds of evaluation."""
        if not self._slots.acquire(blocking=False):
            raise Busy("too many queries at once")
        try:
            self.start()
            deadline = time.monotonic() + timeout
            while True:
                evaluator = self._take(deadline)
                try:
                    evaluator.connection.send(job)
                    break
                except OSError:  # it died while idle: its replacement will connect
                    evaluator.connection.close()
            return self._await(evaluator, timeout)
        finally:
            self._slots.release()

    def _await(self, evaluator: _Evaluator, timeout: float) -> Answer | Failure:
        connection = evaluator.connection
        if not _readable(connection, timeout):
            connection.close()
            self._tell_zygote("kill", evaluator.pid)
            raise TimedOut(f"the query ran longer than {timeout:g} s and was stopped")
        try:
            outcome: Answer | Failure = connection.recv()
        except (EOFError, OSError):
            connection.close()
            raise Crashed("the evaluator died on this query") from None
        self._idle.put(evaluator)
        return outcome

    def close(self) -> None:
        """Stop the zygote and its evaluators, and remove the socket."""
        with self._lock:
            if self._closing:
                return
            self._closing = True
            if self._zygote_connection is not None:
                with contextlib.suppress(OSError):
                    self._zygote_connection.send(("stop",))
        if self._zygote is not None:
            try:
                self._zygote.wait(10)
            except subprocess.TimeoutExpired:
                self._zygote.kill()
                self._zygote.wait()
        while not self._idle.empty():
            self._idle.get_nowait().connection.close()
        if self._listener is not None:
            # accept() does not notice close(): a bare connection wakes it to see _closing
            # (its handshake fails at once, without waiting on anybody).
            with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as wake:
                wake.connect(self._listener.address)
            self._listener.close()
        if self._zygote_connection is not None:
            self._zygote_connection.close()
        if self._directory:
            shutil.rmtree(self._directory, ignore_errors=True)
