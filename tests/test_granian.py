"""The endpoint under granian, whatever the default server: the hostile checks that granian's
streaming request bodies make different from gunicorn (bodies read without a time limit, `read()`
without a size), concurrency, a dead worker replaced, a clean stop.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from server_fixtures import LiveServer

from zhongyuan_kg.server.bounded_input import BodyReaders, BoundedInput
from zhongyuan_kg.server.errors import ApiError

pytest_plugins = ["server_fixtures"]

NORMAL = "ASK { <city/zhengzhou> zy:memberOf <area/core> }"
CORE_CITIES = "SELECT ?c WHERE { ?c zy:memberOf <area/core> }"
CORE = {f"https://w3id.org/zhongyuan-kg/id/city/{slug}" for slug in ("zhengzhou", "kaifeng")}
CORE |= {f"https://w3id.org/zhongyuan-kg/id/city/{slug}" for slug in ("luoyang", "xinxiang")}


@pytest.fixture(scope="module")
def granian(test_dataset: Path) -> Iterator[LiveServer]:
    """Our endpoint under granian with a 2 s time limit and 128 KiB bodies."""
    live = LiveServer(test_dataset, wsgi="granian", timeout=2, evaluators=2, max_body=131_072)
    yield live
    live.stop()


def alive(server: LiveServer) -> None:
    """A normal query is answered, correctly, within one second."""
    started = time.monotonic()
    response = requests.get(server.url, params={"query": NORMAL}, timeout=5)
    assert response.json()["boolean"] is True
    assert time.monotonic() - started < 1.0


def children(pid: int) -> list[int]:
    """Direct children of a process, from /proc."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def test_it_is_granian_answering(granian: LiveServer):
    response = requests.post(granian.url, data={"query": CORE_CITIES}, timeout=10)
    assert response.headers["Server"] == "granian"
    rows = response.json()["results"]["bindings"]
    assert {row["c"]["value"] for row in rows} == CORE


@pytest.mark.parametrize("route", ["form", "direct", "chunked"])
def test_a_large_or_endless_body_is_413_without_reading_it_all(granian: LiveServer, route: str):
    def endless() -> Iterator[bytes]:  # 1.3 GB if anybody read it all
        yield b"query=ASK+%7B"
        for _ in range(20_000):
            yield b"%23" * 21_845

    started = time.monotonic()
    if route == "form":
        response = requests.post(granian.url, data={"query": "#" * 10_000_000}, timeout=30)
    elif route == "direct":
        headers = {"Content-Type": "application/sparql-query"}
        response = requests.post(granian.url, data=b"#" * 10_000_000, headers=headers, timeout=30)
    else:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        response = requests.post(granian.url, data=endless(), headers=headers, timeout=30)
    assert response.status_code == 413
    assert response.text == "413 body-too-large: request body larger than 131072 bytes\n"
    assert time.monotonic() - started < 5
    alive(granian)


def test_a_saved_query_form_body_is_capped_too(granian: LiveServer):
    # request.form reads without a size: the cap holds there as well.
    response = requests.post(
        f"{granian.root}/queries/passages-mentioning", data={"text": "郑" * 100_000}, timeout=30
    )
    assert response.status_code == 413
    alive(granian)


def test_slow_bodies_get_408_while_the_server_answers_others(granian: LiveServer):
    # Each slow client gets its 408 at the time limit; meanwhile normal queries are answered.
    # granian cannot abandon a read: each keeps a request thread until its client leaves.
    slow = []
    started = time.monotonic()
    for _ in range(4):
        connection = socket.create_connection(("127.0.0.1", granian.port))
        connection.settimeout(10)
        connection.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100\r\n\r\nASK"
        )
        slow.append(connection)
    alive(granian)
    refusal = b"408 body-timeout: the request body did not arrive: no data for 2 s"
    for connection in slow:
        answer = b""
        while refusal not in answer and (chunk := connection.recv(4096)):
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 408"), answer
        assert b"connection: close" in answer.lower()
    assert 1.5 < time.monotonic() - started < 6
    alive(granian)
    for connection in slow:
        connection.close()
    time.sleep(0.2)  # their request threads are free again
    test_concurrent_clients_all_get_the_right_answer(granian)


@pytest.mark.parametrize(
    "headers",
    [{"X-Big": "a" * 20_000}, {f"X-Many-{number}": "a" for number in range(200)}],
    ids=["one-huge", "too-many"],
)
def test_oversized_headers_are_431(granian: LiveServer, headers: dict[str, str]):
    response = requests.get(granian.url, params={"query": "ASK {}"}, headers=headers, timeout=10)
    assert response.status_code == 431
    alive(granian)


def test_a_get_query_of_8_kb_still_fits(granian: LiveServer):
    query = CORE_CITIES + " #" + "x" * 8000
    response = requests.get(granian.url, params={"query": query}, timeout=10)
    assert {row["c"]["value"] for row in response.json()["results"]["bindings"]} == CORE


def test_keep_alive_serves_many_requests_on_one_connection(granian: LiveServer):
    with requests.Session() as session:
        answers = [session.post(granian.url, data={"query": NORMAL}, timeout=10) for _ in range(20)]
    assert [answer.json()["boolean"] for answer in answers] == [True] * 20


def test_concurrent_clients_all_get_the_right_answer(granian: LiveServer):
    def ask(number: int) -> set[str]:
        query = CORE_CITIES + f" # client {number}"  # distinct texts: no cache helps
        response = requests.post(granian.url, data={"query": query}, timeout=30)
        return {row["c"]["value"] for row in response.json()["results"]["bindings"]}

    with ThreadPoolExecutor(24) as pool:
        answers = list(pool.map(ask, range(120)))
    assert answers == [CORE] * 120


def test_a_killed_worker_is_replaced(test_dataset: Path):
    live = LiveServer(test_dataset, wsgi="granian", timeout=2, evaluators=1)
    try:
        [worker] = children(live.process.pid)
        [zygote] = children(worker)
        os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(live.url, params={"query": NORMAL}, timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        alive(live)
        assert children(live.process.pid) != [worker]
        deadline = time.monotonic() + 10  # the orphaned zygote sees its socket close and leaves
        while Path(f"/proc/{zygote}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not Path(f"/proc/{zygote}").exists()
    finally:
        live.stop()


def test_sigterm_stops_every_process(test_dataset: Path):
    live = LiveServer(test_dataset, wsgi="granian", timeout=2, evaluators=2)
    [worker] = children(live.process.pid)
    [zygote] = children(worker)
    evaluators = children(zygote)
    assert len(evaluators) == 2
    started = time.monotonic()
    live.stop()
    assert live.process.returncode == 0
    assert time.monotonic() - started < 10
    for pid in (worker, zygote, *evaluators):
        assert not Path(f"/proc/{pid}").exists()


# --- the bounded input itself, on an in-memory stream ---------------------------------------


class Trickle(io.RawIOBase):
    """A stream that answers `data` and then blocks forever, as a client that stops sending."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        if self.data:
            chunk, self.data = self.data[:size], self.data[size:]
            return chunk
        time.sleep(3600)
        return b""


def test_bounded_input_times_out_a_stalled_read_and_caps_bytes():
    readers = BodyReaders(limit=4)
    stalled = BoundedInput(Trickle(b"ASK"), readers, seconds=0.2, max_bytes=100)
    assert stalled.read(3) == b"ASK"
    with pytest.raises(TimeoutError):
        stalled.read(10)
    capped = BoundedInput(io.BytesIO(b"x" * 300), readers, seconds=1, max_bytes=100)
    with pytest.raises(ApiError) as refused:
        capped.read()
    assert (refused.value.status, refused.value.code) == (413, "body-too-large")
    whole = BoundedInput(io.BytesIO(b"y" * 100), readers, seconds=1, max_bytes=100)
    assert whole.read() == b"y" * 100


def test_a_body_of_known_length_ends_without_another_read():
    readers = BodyReaders(limit=1)
    known = BoundedInput(Trickle(b"ASK {}"), readers, seconds=0.2, max_bytes=100, length=6)
    assert known.read() == b"ASK {}"  # then no read at all: the stream would block
    assert known.read(10) == b""


def test_body_readers_queue_beyond_their_limit():
    readers = BodyReaders(limit=1)
    stuck = BoundedInput(Trickle(b""), readers, seconds=0.1, max_bytes=10)
    with pytest.raises(TimeoutError):
        stuck.read(5)  # its reader stays blocked: the only one
    waiting = BoundedInput(io.BytesIO(b"ok"), readers, seconds=0.1, max_bytes=10)
    with pytest.raises(TimeoutError):
        waiting.read(5)  # queued behind it, so it cannot be read in time
