"""A request body that can neither stall a request thread nor fill memory (granian's wsgi.input).

granian hands the app a streaming `wsgi.input` whose reads wait for the client without any time
limit, and whose `read()` without a size gathers the whole body. `BoundedInput` runs each read on
a reader thread, so the request thread stops waiting after the query time limit (TimeoutError,
which the app answers with 408), and refuses a body longer than `max_body` (413) however the
caller reads it.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Callable
from typing import Any

from .errors import ApiError

CHUNK = 64 * 1024  # what one read asks the server for
MAX_READERS = 256  # reader threads per worker; a read beyond them waits for a free one


class ReadAbandoned(TimeoutError):
    """A read that did not finish in time; `finished` is set once it ends (data or client gone)."""

    def __init__(self, seconds: float, finished: threading.Event) -> None:
        super().__init__(f"no request body data for {seconds:g} s")
        self.finished = finished


class BodyReaders:
    """Daemon threads that run blocking body reads, so that a request thread can stop waiting.

    A read the client never completes keeps its reader until the client goes away (granian
    cannot cancel it); threads are reused, and at most `limit` exist.
    """

    def __init__(self, limit: int = MAX_READERS) -> None:
        self.limit = limit
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = self._idle = self._queued = 0

    def run(self, read: Callable[[], bytes], seconds: float) -> bytes:
        """`read()` on a reader thread: its bytes, or ReadAbandoned if they take over `seconds`."""
        done = threading.Event()
        outcome: list[bytes | BaseException] = []

        def job() -> None:
            try:
                outcome.append(read())
            except BaseException as error:  # handed to the waiting request thread
                outcome.append(error)
            finally:
                done.set()

        self._submit(job)
        if not done.wait(seconds):
            raise ReadAbandoned(seconds, done)
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]

    def _submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            if self._idle:
                self._idle -= 1  # that idle reader takes this job
            elif self._threads < self.limit:
                self._threads += 1
                threading.Thread(target=self._serve, name="body-reader", daemon=True).start()
            else:
                self._queued += 1  # the next reader to finish takes it
        self._jobs.put(job)

    def _serve(self) -> None:
        while True:
            self._jobs.get()()
            with self._lock:
                if self._queued:
                    self._queued -= 1
                else:
                    self._idle += 1


class BoundedInput(io.RawIOBase):
    """`wsgi.input` with a time limit on each read and a cap on the bytes read in all."""

    def __init__(
        self,
        inner: Any,
        readers: BodyReaders,
        seconds: float,
        max_bytes: int,
        length: int | None = None,
    ) -> None:
        super().__init__()
        self.inner, self.readers = inner, readers
        self.seconds, self.max_bytes = seconds, max_bytes
        self.length = length  # the Content-Length, if given: its end needs no read (nor thread)
        self.total = 0
        self.abandoned: threading.Event | None = None  # set when a read left waiting ends

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        """Up to `size` bytes (all, if negative), each server read waiting at most `seconds`."""
        if size is None or size < 0:
            return self.readall()
        remaining = CHUNK if self.length is None else self.length - self.total
        if size == 0 or remaining <= 0:
            return b""
        wanted = min(size, CHUNK, remaining)
        try:
            data: bytes = self.readers.run(lambda: self.inner.read(wanted), self.seconds)
        except ReadAbandoned as error:
            self.abandoned = error.finished
            raise
        self.total += len(data)
        if self.total > self.max_bytes:
            raise ApiError(
                413, "body-too-large", f"request body larger than {self.max_bytes} bytes"
            )
        return data

    def readall(self) -> bytes:
        """The rest of the body, in chunks (the cap stops an endless one)."""
        chunks = []
        while chunk := self.read(CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)

    def readinto(self, buffer: Any) -> int:
        """Fill `buffer` from one read."""
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
