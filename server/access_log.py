"""The access log: one JSON line a request on stderr, written in batches by a writer thread.

A write to stderr is a system call, and Python releases the GIL around it: under load the
request thread then waits to take the GIL back, a cost measured as large as the rest of a cached
answer. So request threads only queue their line; one writer thread per process writes what has
gathered, in one call, a few milliseconds later (and at exit). Lines reach stderr whole and in
the order they were queued.
"""

from __future__ import annotations

import _thread
import atexit
import json
import logging
import multiprocessing.util
import os
import sys
import threading
import time
from typing import TextIO

ACCESS_LOG = "zhongyuan_kg.access"
GATHER_S = 0.01  # how long the writer lets lines gather once the first one is queued
MAX_QUEUED = 10_000  # lines queued while the writer is stuck; beyond it a request writes itself
PIPE_BUF = 4096  # Linux: a pipe write of at most this many bytes is atomic
_ascii_json = json.encoder.encode_basestring_ascii  # json.dumps's own string encoder


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (test runners replace it)."""

    @property
    def stream(self) -> TextIO:  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


_ACCESS = logging.getLogger(ACCESS_LOG)  # getLogger takes logging's module lock at each call


def access_logger() -> logging.Logger:
    """The access log: one JSON object a line on stderr (gunicorn or not)."""
    logger = _ACCESS
    if not logger.handlers:
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


class _Clock:
    """The log's UTC time stamp, formatted once a second rather than once a line."""

    def __init__(self) -> None:
        self._last: tuple[int, str] = (-1, "")  # one tuple: threads read it whole or not at all

    def now(self) -> str:
        """The current time as 2026-11-29T20:00:00Z."""
        second = int(time.time())
        last = self._last
        if last[0] == second:
            return last[1]
        text = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second))
        self._last = (second, text)
        return text


_CLOCK = _Clock()


def _json_text(value: str | None) -> str:
    return "null" if value is None else _ascii_json(value)


def access_line(
    request_id: str,
    client: str | None,
    method: str,
    path: str,
    status: int,
    duration: float,
    size: int | None,
    rows: str | None,
) -> str:
    """One access-log record: the text json.dumps gives for it (ASCII, same keys, same order)."""
    # Formatted here: json.dumps of a dict built per line cost three times as much.
    return (
        f'{{"time": "{_CLOCK.now()}", "request_id": {_json_text(request_id)}, '
        f'"client": {_json_text(client)}, "method": {_json_text(method)}, '
        f'"path": {_json_text(path)}, "status": {int(status)}, '
        f'"duration_ms": {round(duration * 1000, 2)!r}, '
        f'"bytes": {"null" if size is None else int(size)}, "rows": {_json_text(rows)}}}'
    )


def _chunks(lines: list[str], limit: int) -> list[str]:
    # Whole lines joined up to `limit` characters (one write each): a write of at most PIPE_BUF
    # bytes to a pipe is never interleaved with another process's (workers share stderr).
    chunks: list[str] = []
    start = size = 0
    for end, line in enumerate(lines):
        if size and size + len(line) > limit:
            chunks.append("".join(lines[start:end]))
            start, size = end, 0
        size += len(line)
    if size:
        chunks.append("".join(lines[start:]))
    return chunks


class LineWriter:
    """Lines for stderr, queued by any thread and written by one writer thread per process."""

    def __init__(self, gather: float = GATHER_S, max_queued: int = MAX_QUEUED) -> None:
        self.gather, self.max_queued = gather, max_queued
        self._reset()
        os.register_at_fork(after_in_child=self._reset)  # a child has no writer thread yet

    def _reset(self) -> None:
        self._lock = threading.Lock()  # guards the queue and whether the writer is awake
        self._writing = threading.Lock()  # held while a batch is written: batches stay in order
        self._queued: list[str] = []
        self._awake = False
        self._wake = _thread.allocate_lock()
        self._wake.acquire()  # released once per batch, by the line that starts it
        self._writer: threading.Thread | None = None

    def write(self, line: str) -> None:
        """Queue `line` (ASCII text ending in a newline) for stderr."""
        with self._lock:
            stuck = len(self._queued) >= self.max_queued
            if not stuck:
                self._queued.append(line)
                if self._awake:
                    return
                self._awake = True
        if stuck:  # the writer cannot write (a full pipe?): wait as a direct write would
            sys.stderr.write(line)
            return
        if self._writer is None:
            self._start()
        self._wake.release()

    def flush(self) -> None:
        """Write the lines queued now, on the calling thread."""
        self._write_queued(writer=False)

    def _start(self) -> None:
        self._writer = threading.Thread(target=self._run, name="access-log", daemon=True)
        # Lines still queued when the process ends are written then: atexit for a process that
        # exits normally, multiprocessing's finalizers for a granian worker (which skips atexit).
        atexit.register(self.flush)
        multiprocessing.util.Finalize(self, self.flush, exitpriority=0)
        self._writer.start()

    def _run(self) -> None:
        while True:
            self._wake.acquire()
            time.sleep(self.gather)
            self._write_queued(writer=True)

    def _write_queued(self, *, writer: bool) -> None:
        with self._writing:
            with self._lock:
                batch, self._queued = self._queued, []
                if writer:
                    self._awake = False  # the next line queued wakes the writer again
            for chunk in _chunks(batch, PIPE_BUF):
                try:
                    sys.stderr.write(chunk)
                    sys.stderr.flush()
                except (AttributeError, OSError, ValueError):  # no stderr, or closed
                    return


_WRITER = LineWriter()


def log_access(
    logger: logging.Logger,
    request_id: str,
    client: str | None,
    method: str,
    path: str,
    status: int,
    duration: float,
    size: int | None,
    rows: str | None,
) -> None:
    """Write one access-log record (a JSON line), unless the logger is off."""
    if not logger.isEnabledFor(logging.INFO):
        return  # nothing to format when nobody listens
    # ASCII JSON keeps each record one line, whatever a path holds.
    line = access_line(request_id, client, method, path, status, duration, size, rows)
    handler = logger.handlers[0] if len(logger.handlers) == 1 else None
    if type(handler) is _Stderr and not (logger.filters or handler.filters):
        # As access_logger() set it up: the line goes to stderr through the writer thread,
        # sparing logging's record and lock (15 µs) and the request thread's write call.
        _WRITER.write(line + "\n")
    else:
        logger.info(line)
