"""Repeated requests answered before Flask: whole responses kept by the raw request.

The graph is read-only, so a query answer (a 200 carrying `X-Result-Rows`, from `/sparql` or a
saved query) is a pure function of the raw request and the build. This WSGI middleware keys a
request by everything the Flask path reads — method, path, query string, host, scheme, Accept,
Content-Type, Cookie (the language cookie may change headers), the body of a small POST — and
replays the status, headers and body Flask sent the first time, with a fresh `X-Request-Id` and
its own access-log line. A miss that is a plain query is evaluated before Flask
(`early_answer.py`); everything else goes to Flask unchanged.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Hashable, Iterable
from datetime import datetime
from typing import Any

from flask import Flask
from werkzeug.http import parse_date, parse_etags, unquote_etag

from .bounded_input import declared_length
from .cache import ResponseCache, app_cache
from .early_answer import EVALUATED, EarlyAnswers, Evaluated, plain_query, request_shape
from .evaluate import Answer
from .security import REQUEST_ID, access_logger, bound_body_reads, log_access, request_id

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Headers = list[tuple[str, str]]

# Bodies read ahead of Flask are small (a form or a query text); larger ones stream to Flask.
MAX_FAST_BODY = 32 * 1024
_METHODS = frozenset(("GET", "HEAD", "POST"))
_MARK = "fast-path"  # keeps these keys apart from protocol.answer's in the shared LRU
_REQUEST_ID = REQUEST_ID.lower()


class KeptResponse:
    """A response as Flask sent it (without its request id), and the 304 it answers with."""

    __slots__ = ("body", "etag", "not_modified", "rows", "status_line")

    def __init__(self, status: str, headers: Headers, body: bytes, etag: str) -> None:
        self.status_line, self.body, self.etag = (status, headers), body, etag
        self.rows = _header(headers, "x-result-rows")
        # Flask's own 304 (status line, headers) for this request, learnt on first revalidation.
        self.not_modified: tuple[str, Headers] | None = None

    def cost(self, key: Hashable) -> int:
        """What keeping it costs in bytes: the body, the headers and the key's raw parts."""
        headers = sum(len(name) + len(value) for name, value in self.status_line[1])
        raw = sum(len(part) for part in key if isinstance(part, str | bytes))
        return len(self.body) + headers + raw


class _Replay(io.RawIOBase):
    """The part of a body read before its read failed; Flask reads it, then meets the failure."""

    def __init__(self, data: bytes, error: BaseException) -> None:
        self.data, self.error = data, error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self.data:
            raise self.error
        size = min(len(buffer), len(self.data))
        buffer[:size], self.data = self.data[:size], self.data[size:]
        return size


def _header(headers: Headers, lower_name: str) -> str | None:
    for name, value in headers:
        if name.lower() == lower_name:
            return value
    return None


def _without_request_id(headers: Headers) -> Headers:
    return [(name, value) for name, value in headers if name.lower() != _REQUEST_ID]


def _path(environ: dict[str, Any]) -> str:
    # As Werkzeug's request.path: PATH_INFO is latin-1 bytes of UTF-8.
    raw = environ.get("PATH_INFO") or ""
    return "/" + raw.encode("latin-1").decode("utf-8", "replace").lstrip("/")


def is_fresh(environ: dict[str, Any], etag: str, last_modified: datetime) -> bool:
    """Whether a conditional GET/HEAD gets 304, as `conditional.not_modified` decides."""
    tags = parse_etags(environ.get("HTTP_IF_NONE_MATCH"))
    if tags:
        return tags.contains_weak(etag)
    since = parse_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
    return since is not None and since >= last_modified


class FastPath:
    """The middleware around `app.wsgi_app`; one instance per application."""

    def __init__(self, app: Flask, inner: WSGIApp, cache: ResponseCache) -> None:
        found = app.extensions["zhongyuan_kg"]
        self.inner, self.cache = inner, cache
        self.build_id: str = found.build.build_id
        self.last_modified: datetime = found.build.last_modified
        self.body_wait = float(found.settings["timeout"])
        self.max_body = min(MAX_FAST_BODY, int(found.settings["max_body"]))
        self.log = access_logger()
        self.caching = cache.max_bytes > 0
        self.early = EarlyAnswers(app)
        self.hits = self.stored = self.early_answers = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Answer a repeated query from memory and a plain one early; the rest goes to Flask."""
        started = time.monotonic()
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")
        if method not in _METHODS or (path != "/sparql" and not path.startswith("/queries/")):
            return self.inner(environ, start_response)
        if method != "POST" and environ.get("CONTENT_LENGTH", "0") not in ("", "0"):
            return self.inner(environ, start_response)  # a GET with a body: Flask judges it
        body = b""
        if method == "POST":
            read = self._read_body(environ)
            if read is None:
                return self.inner(environ, start_response)
            body = read
        key = self._key(environ, method, path, body)
        kept = self.cache.get(key) if self.caching else None
        if kept is None:
            return self._answer(key, environ, start_response, started, method, path, body)
        conditional = "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ
        if conditional and method != "POST" and is_fresh(environ, kept.etag, self.last_modified):
            if kept.not_modified is None:
                return self._learn_not_modified(kept, environ, start_response)
            self.hits += 1
            return self._send(environ, start_response, started, kept, fresh=True)
        self.hits += 1
        return self._send(environ, start_response, started, kept, fresh=False)

    def _read_body(self, environ: dict[str, Any]) -> bytes | None:
        # Read ahead only a small body of known length, with the same wait limit as Flask's
        # path; anything else (chunked, large, absent) goes to Flask untouched.
        length = declared_length(environ)
        if length is None or length > self.max_body:
            return None
        bound_body_reads(environ, self.body_wait)
        wanted, chunks = length, []
        try:
            # A streaming input (granian's) may return less than asked before the body's end.
            while wanted and (chunk := environ["wsgi.input"].read(wanted)):
                chunks.append(chunk)
                wanted -= len(chunk)
        except Exception as error:  # Flask's path answers it (408, 413, 500 …)
            environ["wsgi.input"] = io.BufferedReader(_Replay(b"".join(chunks), error))
            return None
        body = b"".join(chunks)
        environ["wsgi.input"] = io.BytesIO(body)
        return None if wanted else body

    def _key(self, environ: dict[str, Any], method: str, path: str, body: bytes) -> Hashable:
        return (
            _MARK,
            self.build_id,
            method == "POST",  # HEAD is GET without the body
            path,
            environ.get("QUERY_STRING", ""),
            *request_shape(environ),
            body,
        )

    def _answer(
        self,
        key: Hashable,
        environ: dict[str, Any],
        start_response: Callable[..., Any],
        started: float,
        method: str,
        path: str,
        body: bytes,
    ) -> Any:
        # A plain query is evaluated here; its answer is sent without Flask once Flask has
        # shown the headers of its request shape (the evaluated outcome is handed to Flask).
        query = plain_query(environ, method, body) if path == "/sparql" else None
        evaluated = self.early.evaluate(environ, query) if query is not None else None
        if evaluated is None:
            return self._learn(key, environ, start_response)
        headers = self.early.respond(environ, evaluated)
        if headers is None:
            environ[EVALUATED] = evaluated
            return self._learn(key, environ, start_response, evaluated)
        answer = evaluated.outcome
        assert isinstance(answer, Answer)  # respond() gives headers only for answers
        kept = KeptResponse("200 OK", headers, answer.body, evaluated.etag)
        if self.caching and self.cache.fits(len(answer.body)):
            self.cache.put(key, kept, kept.cost(key))
            self.stored += 1
        self.early_answers += 1
        return self._send(environ, start_response, started, kept, fresh=False)

    def _learn(
        self,
        key: Hashable,
        environ: dict[str, Any],
        start_response: Callable[..., Any],
        evaluated: Evaluated | None = None,
    ) -> Any:
        # Flask answers; a query answer (200 with X-Result-Rows, no cookie set) is kept, and
        # the headers of an answer evaluated before Flask become its shape's template.
        seen: list[Any] = []

        def capture(status: str, headers: Headers, exc_info: Any = None) -> Any:
            seen[:] = [status, headers]
            return start_response(status, headers, exc_info)

        result = self.inner(environ, capture)
        if not seen or environ.get("REQUEST_METHOD") == "HEAD":
            return result
        status, headers = seen
        if evaluated is not None and status.startswith("200 ") and EVALUATED not in environ:
            self.early.learn(environ, evaluated, headers)  # Flask took the evaluated answer
        length = _header(headers, "content-length")
        keep = (
            self.caching
            and status.startswith("200 ")
            and _header(headers, "x-result-rows") is not None
            and _header(headers, "set-cookie") is None
            and _header(headers, "etag") is not None
            and length is not None
            and self.cache.fits(int(length))
        )
        if not keep:
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        etag, _ = unquote_etag(_header(headers, "etag"))
        kept = KeptResponse(status, _without_request_id(headers), body, etag or "")
        self.cache.put(key, kept, kept.cost(key))
        self.stored += 1
        return [body]

    def _learn_not_modified(
        self, kept: KeptResponse, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Any:
        # The first 304 of an answer comes from Flask, whose headers are then replayed.
        def capture(status: str, headers: Headers, exc_info: Any = None) -> Any:
            if status.startswith("304 "):
                kept.not_modified = (status, _without_request_id(headers))
            return start_response(status, headers, exc_info)

        return self.inner(environ, capture)

    def _send(
        self,
        environ: dict[str, Any],
        start_response: Callable[..., Any],
        started: float,
        kept: KeptResponse,
        *,
        fresh: bool,
    ) -> list[bytes]:
        # The kept answer (or its 304) with this request's id, and this request's log line.
        the_id = request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        method = environ.get("REQUEST_METHOD", "GET")
        status, headers = kept.not_modified if fresh and kept.not_modified else kept.status_line
        start_response(status, [*headers, (REQUEST_ID, the_id)])
        log_access(
            self.log,
            request_id=the_id,
            client=environ.get("REMOTE_ADDR"),
            method=method,
            path=_path(environ),
            status=304 if fresh else 200,
            duration=time.monotonic() - started,
            size=0 if fresh else len(kept.body),
            rows=None if fresh else kept.rows,
        )
        return [] if fresh or method == "HEAD" else [kept.body]


def install(app: Flask) -> FastPath | None:
    """Put the fast path around `app.wsgi_app`, unless a rate limit is set.

    Without a cache (`cache_mb` 0) it keeps nothing and only answers plain queries early. The
    rate limit counts every request in Flask's before-request hook; answering before Flask
    would bypass it, so with `--rate-limit` every request takes the Flask path.
    """
    settings = app.extensions["zhongyuan_kg"].settings
    cache = app_cache(app)
    if float(settings.get("rate_limit", 0) or 0) > 0:
        return None
    fast = FastPath(app, app.wsgi_app, cache)
    app.wsgi_app = fast  # type: ignore[method-assign]
    return fast
