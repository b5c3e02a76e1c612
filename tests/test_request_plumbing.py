"""The per-request plumbing made cheap: body-read hand-offs, request ids, log lines, headers.

Each cheaper form is checked against what it replaced: the access line against json.dumps of
the same record, the headers against the order setdefault gave them, the read hand-off against
the Event-based one's guarantees (time limit, errors, `finished`, reused threads).
"""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
import threading
import time

import pytest
from flask import Response

from zhongyuan_kg.server.access_log import PIPE_BUF, LineWriter, access_line
from zhongyuan_kg.server.bounded_input import BodyReaders, BoundedInput, ReadAbandoned
from zhongyuan_kg.server.security import CSP, new_request_id, request_id

pytest_plugins = ["server_fixtures"]

_PIECES = ["a", "/", '"', "\\", "\n", "\t", "\x00", "郑", "😀", "\u2028", " ", "'", "<", "é"]


def _reference_line(when: str, values: tuple) -> str:
    # The access line as it was made before: json.dumps of the record, keys in this order.
    keys = ("request_id", "client", "method", "path", "status", "duration_ms", "bytes", "rows")
    record = {"time": when, **dict(zip(keys, values, strict=True))}
    record["duration_ms"] = round(record["duration_ms"] * 1000, 2)
    return json.dumps(record)


def _stamp() -> str:
    # From time.time(), as the log's clock: a bare time.gmtime() reads C's time(), a coarser
    # clock that can still be in the previous second (the test failed once on that).
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(time.time())))


def test_the_access_line_is_the_json_dumps_text_of_its_record():
    chosen = random.Random(7)

    def text() -> str:
        return "".join(chosen.choice(_PIECES) for _ in range(chosen.randrange(12)))

    for _ in range(3000):
        values = (
            text(),
            chosen.choice([None, "127.0.0.1", text()]),
            chosen.choice(["GET", "POST", text()]),
            "/" + text(),
            chosen.choice([200, 304, 408, 413, 500]),
            chosen.random() * chosen.choice([1e-6, 1e-3, 1.0, 1e5]),
            chosen.choice([None, 0, 185, 10**12]),
            chosen.choice([None, "0", "10000"]),
        )
        before = _stamp()
        line = access_line(*values)
        after = _stamp()
        assert line in (_reference_line(before, values), _reference_line(after, values))
        assert line.isascii() and "\n" not in line


def test_request_ids_are_32_hex_digits_and_differ():
    made = [new_request_id() for _ in range(20_000)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", made_id) for made_id in made)
    assert len(set(made)) == len(made)
    assert request_id("") != request_id("")
    assert request_id("abc-123.x") == "abc-123.x"
    assert re.fullmatch(r"[0-9a-f]{32}", request_id('a b"}{x'))


def test_a_forked_worker_does_not_repeat_the_ids_of_its_parent():
    # In a process of its own: pytest's has threads, and forking it is not this test's business.
    program = (
        "import os\n"
        "from zhongyuan_kg.server.security import new_request_id\n"
        "new_request_id()\n"
        "if os.fork() == 0:\n"
        "    print('child', *(new_request_id() for _ in range(5)), flush=True)\n"
        "    os._exit(0)\n"
        "os.wait()\n"
        "print('parent', *(new_request_id() for _ in range(5)), flush=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True
    )
    made = {line.split()[0]: set(line.split()[1:]) for line in done.stdout.splitlines()}
    assert len(made["child"]) == len(made["parent"]) == 5
    assert not made["child"] & made["parent"]


def test_missing_security_headers_are_appended_in_order_and_the_request_id_replaced(app):
    @app.route("/own-headers")
    def own_headers() -> Response:
        response = Response("x", content_type="text/plain")
        response.headers.add("X-Request-Id", "stale-1")
        response.headers.add("X-Frame-Options", "SAMEORIGIN")
        response.headers.add("X-Request-Id", "stale-2")
        return response

    response = app.test_client().get("/own-headers", headers={"X-Request-Id": "mine-1"})
    assert list(response.headers.items()) == [
        ("Content-Type", "text/plain"),
        ("Content-Length", "1"),
        ("X-Request-Id", "mine-1"),
        ("X-Frame-Options", "SAMEORIGIN"),
        ("Access-Control-Allow-Origin", "*"),
        ("Access-Control-Expose-Headers", response.headers["Access-Control-Expose-Headers"]),
        ("Content-Security-Policy", CSP),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]


def test_a_plain_answer_gets_the_headers_after_its_own_and_the_request_id_last(client):
    response = client.get("/sparql?query=ASK%7B%7D", headers={"X-Request-Id": "mine-2"})
    names = [name for name, _ in response.headers.items()]
    assert names[-6:] == [
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
        "Cross-Origin-Opener-Policy",
        "X-Request-Id",
    ]
    assert response.headers["X-Request-Id"] == "mine-2"
    assert names.count("X-Request-Id") == 1


# --- the read hand-off ------------------------------------------------------------------------


def _body_readers() -> set[threading.Thread]:
    return {thread for thread in threading.enumerate() if thread.name == "body-reader"}


def test_a_read_hands_back_its_bytes_or_its_error_on_reused_threads():
    readers = BodyReaders(limit=4)
    before = _body_readers()
    assert [readers.run(lambda number=number: b"%d" % number, 5) for number in range(200)] == [
        b"%d" % number for number in range(200)
    ]
    assert len(_body_readers() - before) == 1  # one after another: one reader, reused

    def failing() -> bytes:
        raise ConnectionResetError("client gone")

    with pytest.raises(ConnectionResetError, match="client gone"):
        readers.run(failing, 5)
    assert readers.run(lambda: b"after", 5) == b"after"
    assert len(_body_readers() - before) == 1


def test_an_abandoned_read_sets_finished_when_it_ends():
    readers = BodyReaders(limit=2)
    release = threading.Event()

    def slow() -> bytes:
        release.wait(10)
        return b"late"

    with pytest.raises(ReadAbandoned) as abandoned:
        readers.run(slow, 0.05)
    assert not abandoned.value.finished.is_set()
    release.set()
    assert abandoned.value.finished.wait(5)


def test_a_read_ending_at_its_time_limit_is_either_answered_or_finished():
    # The hand-off's race: the read ends just as the wait gives up. Either way nobody waits
    # forever: the bytes come back, or `finished` is (or soon gets) set.
    readers = BodyReaders(limit=8)
    outcomes = {"bytes": 0, "abandoned": 0}
    for number in range(300):
        pause = 0.001 + (number % 7) * 0.0002
        try:
            assert readers.run(lambda pause=pause: time.sleep(pause) or b"ok", 0.0015) == b"ok"
            outcomes["bytes"] += 1
        except ReadAbandoned as abandoned:
            assert abandoned.finished.wait(5)
            outcomes["abandoned"] += 1
    assert sum(outcomes.values()) == 300


def test_a_bounded_body_of_known_length_takes_one_read():
    reads: list[int] = []

    class Counted(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            reads.append(-1 if size is None else size)
            return super().read(size)

    body = b"query=" + b"x" * 20_000
    bounded = BoundedInput(Counted(body), BodyReaders(), 5, 262_144, len(body))
    assert bounded.read(len(body)) == body
    assert bounded.read(10) == b""
    assert reads == [len(body)]


# --- the access log's writer thread -------------------------------------------------------------


class _Recorder:
    """A stand-in for sys.stderr that keeps each write call apart."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def test_queued_lines_reach_stderr_whole_in_order_and_in_few_writes(monkeypatch):
    recorder = _Recorder()
    monkeypatch.setattr(sys, "stderr", recorder)
    writer = LineWriter(gather=0.005)

    def queue(thread: int) -> None:
        for number in range(500):
            writer.write(f'{{"thread": {thread}, "n": {number}, "pad": "{"x" * 150}"}}\n')

    threads = [threading.Thread(target=queue, args=(thread,)) for thread in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    deadline = time.monotonic() + 10
    while sum(text.count("\n") for text in recorder.writes) < 4000:
        assert time.monotonic() < deadline, "the writer thread stopped writing"
        time.sleep(0.01)
    assert all(text.endswith("\n") and len(text) <= PIPE_BUF for text in recorder.writes)
    records = [json.loads(line) for text in recorder.writes for line in text.splitlines()]
    assert len(records) == 4000
    for thread in range(8):
        assert [r["n"] for r in records if r["thread"] == thread] == list(range(500))
    assert len(recorder.writes) < 1000  # gathered: 4000 lines in a few hundred writes


def test_a_line_queued_as_the_process_ends_is_written(tmp_path):
    # A plain exit runs atexit; a granian worker ends through multiprocessing, which skips it.
    log_one = (
        "from zhongyuan_kg.server.access_log import access_logger, log_access\n"
        "log_access(access_logger(), 'exit-{0}', None, 'GET', '/', 200, 0.001, 0, None)\n"
    )
    plain = log_one.format("plain")
    worker = (
        "import multiprocessing\n"
        "def work():\n" + "".join(f"    {line}\n" for line in log_one.format("worker").splitlines())
        + "if __name__ == '__main__':\n"
        "    child = multiprocessing.get_context('fork').Process(target=work)\n"
        "    child.start(); child.join()\n"
    )  # fmt: skip
    for name, program in (("plain", plain), ("worker", worker)):
        script = tmp_path / f"{name}.py"
        script.write_text(program)
        done = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        [line] = done.stderr.splitlines()
        assert json.loads(line)["request_id"] == f"exit-{name}"
