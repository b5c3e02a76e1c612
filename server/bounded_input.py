"""A request body that can neither stall a request thread nor fill memory (granian's wsgi.input).

granian hands the app a streaming `wsgi.input` whose reads wait for the client without any time
limit, and whose `read()` without a size gathers the whole body. `BoundedInput` runs each read on
a reader thread, so the request thread stops waiting after the query time limit (TimeoutError,
which the app answers with 408), and refuses a body longer than `max_body` (413) however the
caller reads it.
"""

from __future__ import annotations

import _thread
import io
import queue
import sys
import threading
from collections.abc import Callable
from typing import Any

from .errors import body_too_large

CHUNK = 64 * 1024  # what one read asks the server for
MAX_READERS = 256  # reader threads per worker; a read beyond them waits for a free one


def declared_length(environ: dict[str, Any]) -> int | None:
    """The body's length as its Content-Length declares it; None if chunked, absent or not digits.

    A length of more digits than any body could have counts as `sys.maxsize`: int() raises past
    4,300 digits (a 500 once, for `Content-Length: 000…05`).
    """
    text = environ.get("CONTENT_LENGTH") or ""
    if "HTTP_TRANSFER_ENCODING" in environ or not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0") or "0"
    return int(digits) if len(digits) <= 18 else sys.maxsize


class ReadAbandoned(TimeoutError):
    """A read that did not finish in time; `finished` is set once it ends (data or client gone)."""

    def __init__(self, seconds: float, finished: threading.Event) -> None:
        super().__init__(f"no request body data for {seconds:g} s")
        self.finished = finished


class _Read:
    """One read handed to a reader thread: what to call, how it ended, who waits for its end.

    `done` is a bare lock, held until the read ends: cheaper to make, release and wait for than
    an Event (whose Condition allocates a lock per waiter). The Event a caller of an abandoned
    read waits on is made only then, the rare case.
    """

    __slots__ = ("done", "finished", "outcome", "read")

    def __init__(self, read: Callable[[], bytes]) -> None:
        self.read = read
        self.done = _thread.allocate_lock()
        self.done.acquire()  # released by the reader thread when the read ends
        self.outcome: bytes | BaseException = b""
        self.finished: threading.Event | None = None  # set when an abandoned read ends

    def perform(self) -> None:
        """On a reader thread: read, keep the bytes or the error, tell the waiting thread."""
        try:
            self.outcome = self.read()
        except BaseException as error:  # handed to the waiting request thread
            self.outcome = error
        self.done.release()
        # Read after the release: a request thread that gave up either set `finished` before
        # this line, or finds `done` released once it has set it (see `abandon`).
        finished = self.finished
        if finished is not None:
            finished.set()

    def abandon(self) -> threading.Event:
        """On the request thread, after the wait timed out: the Event set when the read ends."""
        finished = self.finished = threading.Event()
        if self.done.acquire(False):  # it ended between the time-out and now
            finished.set()
        return finished


class BodyReaders:
    """Daemon threads that run blocking body reads, so that a request thread can stop waiting.

    A read the client never completes keeps its reader until the client goes away (granian
    cannot cancel it); threads are reused, and at most `limit` exist.
    """

    def __init__(self, limit: int = MAX_READERS) -> None:
        self.limit = limit
        self._jobs: queue.SimpleQueue[_Read] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = self._idle = self._queued = 0

    def run(self, read: Callable[[], bytes], seconds: float) -> bytes:
        """`read()` on a reader thread: its bytes, or ReadAbandoned if they take over `seconds`."""
        job = _Read(read)
        self._submit(job)
        if not job.done.acquire(True, seconds):
            raise ReadAbandoned(seconds, job.abandon())
        outcome = job.outcome
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def _submit(self, job: _Read) -> None:
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
        take = self._jobs.get
        while True:
            take().perform()
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
            raise body_too_large(self.max_bytes)
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
