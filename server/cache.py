"""The response cache: answers of a read-only graph, kept per worker in a size-bounded LRU.

The graph never changes while it is served, so an answer depends only on the request: the query
text, the dataset parameters, the bindings, the format asked for (parameter and Accept) and the
build served (its id is part of every key, so a new build never meets old answers).

Two layers share one LRU and so one byte budget (`cache_mb`): `fast_path.py` keeps whole
responses keyed by the raw request and answers repeats before Flask; `protocol.answer` keeps
answers keyed by the parsed query, for the requests the fast path leaves to Flask.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, Protocol

from flask import Flask, Response, current_app

# One answer may take at most 1/8 of the cache, so a few big ones cannot flush it.
MAX_ENTRY_SHARE = 8


class Kept(Protocol):
    """Anything the cache keeps: it has a body, whose length is what it costs by default."""

    @property
    def body(self) -> bytes: ...


@dataclass(frozen=True)
class CachedAnswer:
    """What a 200 answer needs to be sent again: body, content type, headers, entity tag."""

    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...]
    etag: str


class ResponseCache:
    """A thread-safe LRU bounded by the total bytes of what it holds (0 bytes: off)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = self.misses = 0
        self._entries: OrderedDict[Hashable, tuple[Kept, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        """The answer kept for this key, now the most recently used; None if there is none.

        Typed Any: each layer's keys only ever meet the kind of answer that layer keeps.
        """
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[0]

    def fits(self, cost: int) -> bool:
        """Whether an answer of this many bytes may be kept at all."""
        return cost * MAX_ENTRY_SHARE <= self.max_bytes

    def put(self, key: Hashable, answer: Kept, cost: int | None = None) -> None:
        """Keep an answer (costing its body's length unless told), dropping the least recent."""
        cost = len(answer.body) if cost is None else cost
        if not self.fits(cost):
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self._entries[key] = (answer, cost)
            self.size += cost
            while self.size > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.size -= dropped

    def __len__(self) -> int:
        return len(self._entries)


EXTENSION = "zhongyuan_kg.response_cache"
KEPT_HEADERS = ("X-Result-Rows", "X-Result-Truncated", "X-SPARQL-MaxRows")


def app_cache(app: Flask) -> ResponseCache:
    """The cache of an application, sized by its `cache_mb` setting (made on first use)."""
    extensions = app.extensions
    if EXTENSION not in extensions:
        settings = extensions["zhongyuan_kg"].settings
        extensions[EXTENSION] = ResponseCache(int(settings.get("cache_mb", 0) * 1024 * 1024))
    return extensions[EXTENSION]


def response_cache() -> ResponseCache:
    """The cache of the current application."""
    return app_cache(current_app)


def request_key(build_id: str, query: str, *parts: object) -> Hashable:
    """The key of a request: the build, the raw query text and every other input, hashable."""
    return (build_id, query, repr(parts))


def remember(cache: ResponseCache, key: Hashable, response: Response, etag: str) -> None:
    """Keep a 200 answer with the headers that describe its body."""
    if cache.max_bytes <= 0 or response.status_code != 200:
        return
    headers = tuple(
        (name, response.headers[name]) for name in KEPT_HEADERS if name in response.headers
    )
    cache.put(key, CachedAnswer(response.get_data(), response.content_type, headers, etag))


def replay(answer: CachedAnswer) -> Response:
    """A fresh response carrying a kept answer (validators are stamped by the caller)."""
    response = Response(answer.body, content_type=answer.content_type)
    for name, value in answer.headers:
        response.headers[name] = value
    return response
