"""A request body's declared length, on both WSGI servers: over the cap it is refused before any
read (not after the time limit), and a length of thousands of digits is never a 500."""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from server_fixtures import LiveServer

from zhongyuan_kg.server.bounded_input import declared_length

pytest_plugins = ["server_fixtures"]

MAX_BODY = 131_072
# The error in JSON, as the request accepts SPARQL JSON results.
REFUSAL = b'"code": "body-too-large", "message": "request body larger than 131072 bytes"}}'


@pytest.fixture(scope="module", params=["granian", "gunicorn"])
def live(request: pytest.FixtureRequest, test_dataset: Path) -> Iterator[LiveServer]:
    """Each server with a 5 s time limit: a body waited for would take that long."""
    server = LiveServer(
        test_dataset, wsgi=request.param, timeout=5, evaluators=1, max_body=MAX_BODY
    )
    yield server
    server.stop()


def post_with_length(live: LiveServer, length: str, until: bytes) -> tuple[bytes, float]:
    """POST `ASK {}` declaring `length`; the answer (read until `until` or the end) and seconds."""
    connection = socket.create_connection(("127.0.0.1", live.port))
    connection.settimeout(10)
    started = time.monotonic()
    connection.sendall(
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Accept: application/sparql-results+json\r\nContent-Length: "
        + length.encode()
        + b"\r\n\r\nASK {}"
    )
    answer = b""
    while until not in answer and (chunk := connection.recv(4096)):
        answer += chunk
    connection.close()
    return answer, time.monotonic() - started


def assert_alive(live: LiveServer) -> None:
    response = requests.get(live.url, params={"query": "ASK {}"}, timeout=10)
    assert response.json() == {"head": {}, "boolean": True}


def test_a_body_declared_over_the_cap_is_refused_at_once(live: LiveServer):
    # Six bytes come of the 300,000 declared: reading would wait 5 s for the rest, then 408.
    answer, seconds = post_with_length(live, "300000", REFUSAL)
    assert answer.startswith(b"HTTP/1.1 413"), answer
    assert REFUSAL in answer
    assert seconds < 2
    assert_alive(live)


def test_a_length_of_thousands_of_digits_is_never_a_500(live: LiveServer):
    # 6 with 5,000 leading zeros: granian passes it on and it is read as 6 (int() alone raised
    # past 4,300 digits: a 500); gunicorn refuses it itself.
    answer, _ = post_with_length(live, "0" * 5000 + "6", b'"boolean": true}')
    expected = b"HTTP/1.1 200" if live.wsgi == "granian" else b"HTTP/1.1 400"
    assert answer.startswith(expected), answer[:200]
    answer, _ = post_with_length(live, "1" * 5000, b"\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]  # refused by either server
    assert_alive(live)


@pytest.mark.parametrize(
    ("environ", "length"),
    [
        ({"CONTENT_LENGTH": "12"}, 12),
        ({"CONTENT_LENGTH": "0" * 5000 + "7"}, 7),
        ({"CONTENT_LENGTH": "0"}, 0),
        ({"CONTENT_LENGTH": "1" * 5000}, sys.maxsize),
        ({"CONTENT_LENGTH": "9" * 19}, sys.maxsize),
        ({"CONTENT_LENGTH": "9" * 18}, 10**18 - 1),
        ({"CONTENT_LENGTH": "¹"}, None),  # a digit to str.isdigit(), not to int()
        ({"CONTENT_LENGTH": "-1"}, None),
        ({"CONTENT_LENGTH": ""}, None),
        ({}, None),
        ({"CONTENT_LENGTH": "12", "HTTP_TRANSFER_ENCODING": "chunked"}, None),
    ],
)
def test_declared_length(environ: dict[str, str], length: int | None):
    assert declared_length(environ) == length
