"""Defence in depth: security headers, request ids, access logs, rate limit, body read timeout."""

from __future__ import annotations

import logging
import math
import os
import random
import re
import threading
import time
from typing import Any

from flask import Flask, Response, current_app, g, request

from .access_log import access_logger, log_access  # fast_path.py imports them from here
from .bounded_input import declared_length
from .errors import ApiError, body_too_large, error_response

REQUEST_ID = "X-Request-Id"
# A client's id is echoed only when it cannot smuggle anything into headers or log lines.
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# The pages use local stylesheets and scripts only; nothing may frame them.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# (lower-case name, name, value): the headers added to a response that does not set them.
_DEFAULT_HEADERS = tuple((name.lower(), name, value) for name, value in HEADERS.items())
_REQUEST_ID = REQUEST_ID.lower()
_MAX_CLIENTS = 10_000  # buckets kept in memory before the full (idle) ones are forgotten
_LIMITER = "zhongyuan_kg.rate_limiter"
# Request ids only tell requests apart (a client may choose its own), so they need not be
# unpredictable: a generator of our own, seeded from os.urandom, spares each request the
# getrandom() call of secrets.token_hex, which releases the GIL and under load waits to take it
# back. Reseeded in a forked child, so that workers do not repeat each other's ids.
_IDS = random.Random()
os.register_at_fork(after_in_child=_IDS.seed)


class TokenBucket:
    """Per-client token buckets in memory: `rate` tokens a second, at most `burst` saved."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, max(1, burst)
        self._buckets: dict[str, tuple[float, float]] = {}  # client → (tokens, when)
        self._lock = threading.Lock()

    def take(self, client: str, now: float | None = None) -> float:
        """Take one token for `client`: 0.0 when granted, else the seconds until one is due."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, when = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - when) * self.rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                self._forget_idle(now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        # Bounded memory under many clients: a bucket that has refilled equals a new one.
        if len(self._buckets) <= _MAX_CLIENTS:
            return
        full = self.burst / self.rate
        for client, (_, when) in list(self._buckets.items()):
            if now - when >= full:
                del self._buckets[client]


def bound_body_reads(environ: dict[str, Any], seconds: float) -> bool:
    """Make each read of the request body wait at most `seconds`; whether the server allowed it."""
    # gunicorn waits for a body without end: a client sending it byte by byte (slowloris)
    # would hold a request thread forever. Each read now waits at most the query time limit.
    connection = environ.get("gunicorn.socket")
    if connection is None:
        return False
    connection.settimeout(seconds)
    return True


def _bound_body_reads(environ: dict[str, Any], extensions: dict[str, Any], state: Any) -> None:
    if environ.get("REQUEST_METHOD") == "POST":
        seconds = float(extensions["zhongyuan_kg"].settings["timeout"])
        if bound_body_reads(environ, seconds):
            state.body_deadline = True


def _slow_body(error: TimeoutError) -> Response:
    if not g.get("body_deadline"):
        logging.getLogger(__name__).exception("unexpected timeout", exc_info=error)
        return error_response(ApiError(500, "internal-error", "the server failed to answer"))
    limit = current_app.extensions["zhongyuan_kg"].settings["timeout"]
    refusal = ApiError(
        408,
        "body-timeout",
        f"the request body did not arrive: no data for {limit:g} s",
        headers={"Connection": "close"},
    )
    return error_response(refusal)


def new_request_id() -> str:
    """A fresh request id: 32 lower-case hex digits, distinct but guessable (never a secret)."""
    return f"{_IDS.getrandbits(128):032x}"


def request_id(given: str) -> str:
    """The id of a request: the client's if it is safe to echo, else a fresh random one."""
    return given if given and _SAFE_ID.fullmatch(given) else new_request_id()


def _refuse_a_declared_excess(environ: dict[str, Any], extensions: dict[str, Any]) -> None:
    # A body declared longer than the cap is refused before any read: reading it would wait
    # for the client until the time limit (408) when it sends less, for nothing.
    limit = int(extensions["zhongyuan_kg"].settings["max_body"])
    length = declared_length(environ)
    if length is not None and length > limit:
        raise body_too_large(limit)


def _start() -> None:
    # Each proxy (request, g, current_app) is looked up once: every use costs a context look-up.
    environ = request.environ
    state = g._get_current_object()  # type: ignore[attr-defined]
    extensions = current_app.extensions
    state.request_id = request_id(environ.get("HTTP_X_REQUEST_ID", ""))
    state.started = time.monotonic()
    _bound_body_reads(environ, extensions, state)
    if "CONTENT_LENGTH" in environ:
        _refuse_a_declared_excess(environ, extensions)
    limiter: TokenBucket | None = extensions.get(_LIMITER)
    if limiter is None or environ.get("REQUEST_METHOD") == "OPTIONS":
        return
    wait = limiter.take(request.remote_addr or "unknown")
    if wait > 0:
        raise ApiError(
            429,
            "rate-limited",
            f"too many requests from this client: at most {limiter.rate:g} a second "
            f"(bursts of {limiter.burst}); retry later",
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )


def _finish(response: Response) -> Response:
    # One pass over the headers instead of a search per header set (setdefault searches twice
    # and raises KeyError for each header missing); the same headers end up in the same order.
    headers = response.headers
    present = set()
    rows = None
    for name, value in headers:
        lower = name.lower()
        present.add(lower)
        if rows is None and lower == "x-result-rows":
            rows = value
    for lower, name, value in _DEFAULT_HEADERS:
        if lower not in present:
            headers.add(name, value)
    state = g._get_current_object()  # type: ignore[attr-defined]
    current_id = state.get("request_id") or new_request_id()
    if _REQUEST_ID in present:
        headers[REQUEST_ID] = current_id  # replaces the first, drops the others
    else:
        headers.add(REQUEST_ID, current_id)
    started = state.get("started")
    duration = time.monotonic() - started if started is not None else 0.0
    current = request._get_current_object()  # type: ignore[attr-defined]
    log_access(
        access_logger(),
        current_id,
        current.remote_addr,
        current.method,
        current.path,
        response.status_code,
        duration,
        response.calculate_content_length(),
        rows,
    )
    return response


def register(app: Flask) -> None:
    """Add request ids, security headers, the access log and (if set) the rate limit to `app`."""
    rate = float(app.extensions["zhongyuan_kg"].settings.get("rate_limit", 0) or 0)
    if rate > 0:
        burst = int(app.extensions["zhongyuan_kg"].settings.get("rate_burst", 20))
        app.extensions[_LIMITER] = TokenBucket(rate, burst)
    app.before_request(_start)
    app.after_request(_finish)
    app.register_error_handler(TimeoutError, _slow_body)
