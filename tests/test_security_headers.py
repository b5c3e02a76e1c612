"""Defence in depth: security headers, request ids, JSON access logs, no leaks, the rate limit."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from server_fixtures import LiveServer

from zhongyuan_kg.server.security import CSP, TokenBucket

pytest_plugins = ["server_fixtures"]

ASK = "ASK { <city/zhengzhou> zy:memberOf <area/core> }"


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/sparql", {"Accept": "text/html"}),
        ("/sparql?query=ASK%7B%7D", {}),
        ("/queries", {"Accept": "text/html"}),
        ("/no/such/page", {}),
    ],
)
def test_every_response_carries_the_security_headers(client, path, headers):
    response = client.get(path, headers=headers)
    # A page may set a stricter policy of its own; every policy keeps these.
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("no-referrer", "same-origin")
    assert response.headers["X-Frame-Options"] == "DENY"


def test_request_id_is_echoed_when_safe_and_generated_otherwise(client):
    echoed = client.get("/sparql?query=ASK%7B%7D", headers={"X-Request-Id": "abc-123.x"})
    assert echoed.headers["X-Request-Id"] == "abc-123.x"
    generated = client.get("/sparql?query=ASK%7B%7D")
    assert generated.headers["Content-Security-Policy"] == CSP  # answers get the general policy
    assert len(generated.headers["X-Request-Id"]) == 32
    other = client.get("/sparql?query=ASK%7B%7D")
    assert other.headers["X-Request-Id"] != generated.headers["X-Request-Id"]
    # A header value that would forge log lines or headers is replaced, not echoed.
    forged = client.get("/sparql?query=ASK%7B%7D", headers={"X-Request-Id": 'a b"}{x' * 3})
    assert forged.headers["X-Request-Id"] != 'a b"}{x' * 3
    assert len(forged.headers["X-Request-Id"]) == 32


def test_an_internal_error_shows_no_trace_and_no_path(app, caplog):
    secret = str(Path(__file__).resolve())

    @app.route("/boom")
    def boom():
        raise RuntimeError(f"cannot open {secret}")

    for accept in ("application/json", "text/plain"):
        response = app.test_client().get("/boom", headers={"Accept": accept})
        assert response.status_code == 500
        body = response.get_data(as_text=True)
        assert "Traceback" not in body
        assert secret not in body and "/tests/" not in body and ".py" not in body
        assert "the server failed to answer" in body
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Request-Id"]


def test_the_token_bucket_grants_bursts_then_paces():
    bucket = TokenBucket(rate=2.0, burst=3)
    assert [bucket.take("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take("a", now=0.0) == pytest.approx(0.5)
    assert bucket.take("b", now=0.0) == 0.0  # clients are counted apart
    assert bucket.take("a", now=0.5) == 0.0  # one token back after 1/rate seconds
    assert bucket.take("a", now=0.5) == pytest.approx(0.5)


@pytest.fixture(scope="module")
def limited(test_dataset: Path) -> Iterator[LiveServer]:
    """A server allowing 2 requests a second per client in bursts of 5."""
    live = LiveServer(test_dataset, timeout=3, evaluators=1, rate_limit=2, rate_burst=5)
    yield live
    live.stop()


def test_the_rate_limit_answers_429_with_retry_after(limited):
    time.sleep(2.5)  # the readiness probes of the fixture spent tokens
    statuses = []
    for _ in range(8):
        response = requests.get(
            limited.url, params={"query": ASK}, headers={"Accept": "application/json"}, timeout=10
        )
        statuses.append(response.status_code)
    assert statuses[:5] == [200] * 5
    assert 429 in statuses[5:]
    refused = response if response.status_code == 429 else None
    assert refused is not None
    assert refused.json()["error"]["code"] == "rate-limited"
    assert "at most 2 a second" in refused.json()["error"]["message"]
    assert refused.headers["Retry-After"] == "1"
    time.sleep(1.1)
    assert requests.get(limited.url, params={"query": ASK}, timeout=10).json()["boolean"] is True


def test_access_log_is_json_lines_with_request_id_and_duration(limited):
    time.sleep(1.0)
    response = requests.get(
        limited.url, params={"query": ASK}, headers={"X-Request-Id": "soak-check-1"}, timeout=10
    )
    assert response.status_code == 200
    time.sleep(0.2)
    records = []
    for line in limited.output().splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
    mine = [record for record in records if record["request_id"] == "soak-check-1"]
    assert len(mine) == 1
    record = mine[0]
    assert record["method"] == "GET" and record["path"] == "/sparql"
    assert record["status"] == 200 and record["rows"] == "1"
    assert 0 < record["duration_ms"] < 1000
    assert record["client"] == "127.0.0.1"
    assert {r["status"] for r in records} >= {200, 429}
