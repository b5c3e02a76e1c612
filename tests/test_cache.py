"""The response cache: an LRU bounded in bytes, and `/sparql` answering repeats from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhongyuan_kg.server import create_app
from zhongyuan_kg.server.app import EXTENSION
from zhongyuan_kg.server.cache import CachedAnswer, ResponseCache, response_cache

pytest_plugins = ["server_fixtures"]

QUERY = "SELECT ?l WHERE { <city/zhengzhou> rdfs:label ?l } ORDER BY ?l"
CSV = "text/csv"


def answer(size: int, tag: str = "") -> CachedAnswer:
    return CachedAnswer(b"x" * size, "text/csv", (), tag)


def test_lru_keeps_recent_answers_within_its_byte_bound():
    cache = ResponseCache(max_bytes=80)
    for key in "abcd":
        cache.put(key, answer(10, key))
    assert cache.get("a") is not None  # a is now the most recent
    cache.put("e", answer(10))  # fits: 50 bytes
    assert len(cache) == 5 and cache.size == 50
    for key in "fgh":
        cache.put(key, answer(10))
    assert (len(cache), cache.size) == (8, 80)
    cache.put("i", answer(10))  # over the bound: the least recently used (b) goes
    assert cache.get("b") is None
    assert [key for key in "acdefghi" if cache.get(key) is None] == []
    cache.put("big", answer(11))  # more than 1/8 of the cache: never kept
    assert cache.get("big") is None
    assert (cache.hits, cache.misses) == (9, 2)


def test_replacing_a_key_counts_its_size_once():
    cache = ResponseCache(max_bytes=100)
    cache.put("a", answer(10))
    cache.put("a", answer(12))
    assert (len(cache), cache.size) == (1, 12)


def test_an_answer_may_cost_more_than_its_body():
    # The fast path counts headers and key too: the bound holds on what it says each costs.
    cache = ResponseCache(max_bytes=800)
    cache.put("a", answer(10), cost=100)
    cache.put("b", answer(10), cost=101)  # over 1/8 of the cache: not kept
    assert (len(cache), cache.size) == (1, 100)
    assert cache.fits(100) and not cache.fits(101)
    for key in "cdefghi":
        cache.put(key, answer(1), cost=100)
    assert (len(cache), cache.size) == (8, 800)
    cache.put("j", answer(1), cost=100)
    assert cache.get("a") is None and cache.size == 800


@pytest.fixture
def cached_app(test_dataset: Path):
    application = create_app({"dataset": test_dataset, "evaluators": 1, "timeout": 5})
    application.config["TESTING"] = True
    yield application
    application.extensions[EXTENSION].close()


def test_a_repeated_request_is_answered_from_the_cache_without_an_evaluator(cached_app):
    client = cached_app.test_client()
    first = client.get("/sparql", query_string={"query": QUERY}, headers={"Accept": CSV})
    assert first.status_code == 200
    assert first.data.decode().split() == ["l", "Zhengzhou", "郑州"]
    # With the evaluators gone, only the cache can answer.
    cached_app.extensions[EXTENSION].pool.close()
    fast = cached_app.wsgi_app
    # The same raw request is the fast path's; the same query spelt otherwise (a parameter the
    # protocol ignores) reaches Flask, where protocol.answer finds it by the parsed query.
    for extra in ({}, {"unused": "1"}):
        again = client.get(
            "/sparql", query_string={"query": QUERY, **extra}, headers={"Accept": CSV}
        )
        assert again.status_code == 200
        assert again.data == first.data
        for header in ("Content-Type", "ETag", "Last-Modified", "X-Result-Rows", "Vary"):
            assert again.headers[header] == first.headers[header], header
        assert again.headers["Access-Control-Allow-Origin"] == "*"
    assert fast.hits == 1
    etag = first.headers["ETag"]
    revalidated = client.get(
        "/sparql", query_string={"query": QUERY}, headers={"Accept": CSV, "If-None-Match": etag}
    )
    assert revalidated.status_code == 304
    # Another format of the same query is another answer: not in the cache, so it fails now.
    as_json = client.get("/sparql", query_string={"query": QUERY, "format": "json"})
    assert as_json.status_code == 503
    with cached_app.app_context():
        cache = response_cache()
        # One parsed answer, two raw requests, all in one LRU under one byte bound.
        assert len(cache) == 3
        assert 0 < cache.size <= cache.max_bytes


def test_errors_are_not_kept(cached_app):
    client = cached_app.test_client()
    for _ in range(2):
        assert client.get("/sparql", query_string={"query": "SELECT ?x {"}).status_code == 400
    with cached_app.app_context():
        assert len(response_cache()) == 0


def test_cache_mb_zero_turns_it_off(test_dataset: Path):
    application = create_app({"dataset": test_dataset, "evaluators": 1, "cache_mb": 0})
    try:
        client = application.test_client()
        for _ in range(2):
            assert client.get("/sparql", query_string={"query": QUERY}).status_code == 200
        with application.app_context():
            assert (len(response_cache()), response_cache().hits) == (0, 0)
    finally:
        application.extensions[EXTENSION].close()
