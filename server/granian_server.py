"""Granian as a library: each worker builds its own app (and evaluator pool) after it starts.

The master process only binds the socket and supervises: `load_app` runs in each worker, as
gunicorn's `load()` does in `wsgi.py`, so no store or evaluator is ever shared across a fork.
"""

from __future__ import annotations

import functools
import multiprocessing.util
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from flask import Flask, g, request
from granian.constants import HTTPModes, Interfaces
from granian.http import HTTP1Settings
from granian.server import Server

from .app import EXTENSION, create_app
from .bounded_input import BodyReaders, BoundedInput, declared_length

BOUNDED = "zhongyuan_kg.bounded_input"  # environ key: the body's reads have a time limit
_NO_BODY = frozenset(("GET", "HEAD", "OPTIONS"))
# hyper's read buffer bounds the request line and headers together (431 beyond it): room for
# GET queries of some 8 KB URL-encoded, as gunicorn's limit_request_line in serve.py.
HEADER_BUFFER = 16 * 1024
GRACEFUL_S = 10  # a worker still busy this long after SIGTERM is killed


class BoundBodies:
    """WSGI middleware, outermost: every request body is read with a time limit and a cap."""

    def __init__(self, inner: Callable[..., Iterable[bytes]], seconds: float, max_bytes: int):
        self.inner, self.seconds, self.max_bytes = inner, seconds, max_bytes
        self.readers = BodyReaders()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Wrap the body of a request that may carry one, then hand the request on."""
        if environ.get("REQUEST_METHOD") in _NO_BODY:
            return self.inner(environ, start_response)
        body = BoundedInput(
            environ["wsgi.input"],
            self.readers,
            self.seconds,
            self.max_bytes,
            declared_length(environ),
        )
        environ["wsgi.input"], environ[BOUNDED] = body, True
        result = self.inner(environ, start_response)
        if body.abandoned is None:
            return result
        try:
            answer = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return _answer_then_wait(answer, body.abandoned)


def _answer_then_wait(answer: bytes, finished: threading.Event) -> Iterator[bytes]:
    # The client has its answer (408) with the first chunk. granian ends a request by waiting
    # for a body read still pending on it while holding the GIL, which would stop every thread
    # of the worker: this thread waits here instead, GIL released, until the read ends (the
    # client sends the rest or goes away).
    yield answer
    finished.wait()


def _mark_body_deadline() -> None:
    # security.py answers a TimeoutError with 408 only where the server bounded the reads.
    if request.environ.get(BOUNDED):
        g.body_deadline = True


def load_app(settings: dict[str, Any]) -> Flask:
    """In a worker: build the app, bound its bodies, load the store before the first request."""
    app = create_app(settings)
    found = app.extensions[EXTENSION]
    app.wsgi_app = BoundBodies(  # type: ignore[method-assign]
        app.wsgi_app, float(found.settings["timeout"]), int(found.settings["max_body"])
    )
    app.before_request(_mark_body_deadline)
    found.pool.start()
    # A granian worker leaves through multiprocessing, which runs its finalizers but not atexit.
    multiprocessing.util.Finalize(app, found.close, exitpriority=10)
    return app


def granian_server(
    settings: dict[str, Any],
    *,
    host: str,
    port: int,
    workers: int,
    threads: int,
    access_log: bool = False,
) -> Server:
    """A granian server of `workers` processes with `threads` blocking threads each."""
    return Server(
        "zhongyuan_kg.server.granian_server:load_app",  # names the processes; load_app builds
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        http=HTTPModes.http1,  # what the hostile-request tests cover
        websockets=False,
        http1_settings=HTTP1Settings(max_buffer_size=HEADER_BUFFER),
        log_access=access_log,
        respawn_failed_workers=True,  # a worker that dies is replaced (gunicorn does the same)
        workers_kill_timeout=GRACEFUL_S,
    )


def serve(settings: dict[str, Any], **options: Any) -> None:
    """Run granian until SIGTERM or SIGINT; each worker calls `load_app(settings)`."""
    server = granian_server(settings, **options)
    server.serve(target_loader=functools.partial(load_app, settings), wrap_loader=False)
