"""The response cache: answers of a read-only graph, kept per worker in a size-bounded LRU.

The graph never changes while it is served, so an answer depends only on the request: the query
text, the dataset parameters, the bindings, the format asked for (parameter and Accept) and the
build served (its id is part of every key, so a new build never meets old answers).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from flask import Response, current_app

# One answer may take at most 1/8 of the cache, so a few big ones cannot flush it.
MAX_ENTRY_SHARE = 8


@dataclass(frozen=True)
class CachedAnswer:
    """What a 200 answer needs to be sent again: body, content type, headers, entity tag."""

    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...]
    etag: str


class ResponseCache:
    """A thread-safe LRU bounded by the total bytes of the bodies it holds (0 bytes: off)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = self.misses = 0
        self._entries: OrderedDict[Hashable, CachedAnswer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> CachedAnswer | None:
        """The answer kept for this key, now the most recently used; None if there is none."""
        with self._lock:
            answer = self._entries.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, key: Hashable, answer: CachedAnswer) -> None:
        """Keep an answer, dropping the least recently used ones beyond the size bound."""
        cost = len(answer.body)
        if cost * MAX_ENTRY_SHARE > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self._entries[key] = answer
            self.size += cost
            while self.size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self.size -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._entries)


EXTENSION = "zhongyuan_kg.response_cache"
KEPT_HEADERS = ("X-Result-Rows", "X-Result-Truncated", "X-SPARQL-MaxRows")


def response_cache() -> ResponseCache:
    """The cache of the current application, sized by the `cache_mb` setting."""
    extensions = current_app.extensions
    if EXTENSION not in extensions:
        settings = extensions["zhongyuan_kg"].settings
        extensions[EXTENSION] = ResponseCache(int(settings.get("cache_mb", 0) * 1024 * 1024))
    return extensions[EXTENSION]


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
