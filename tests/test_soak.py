"""Soak: `bench/soak.py` against a live server — a short run in the suite, the long one marked slow.

Normal requests never fail and stay fast while hostile ones (timeouts, crashes, refusals) hit the
same server; memory stays flat; the master, worker and zygote are the same processes at the end.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_fixtures import LiveServer

pytest_plugins = ["server_fixtures"]

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def soaked(test_dataset: Path) -> Iterator[LiveServer]:
    """A server of its own: 1 s limit, 2 evaluators, 256 MiB each, so hostile queries end soon."""
    live = LiveServer(test_dataset, timeout=1, evaluators=2, evaluator_memory_mb=256)
    yield live
    live.stop()


def run_soak(live: LiveServer, tmp_path: Path, seconds: int, clients: int) -> tuple[int, dict]:
    out = tmp_path / "soak.json"
    command = [sys.executable, str(ROOT / "bench" / "soak.py"), "--url", live.root]
    command += ["--server-pid", str(live.process.pid), "--duration", str(seconds)]
    command += ["--clients", str(clients), "--json", str(out), "--p99-ms", "1500"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    return done.returncode, json.loads(out.read_text())


def check(code: int, report: dict) -> None:
    assert report["problems"] == []
    assert code == 0
    assert report["normal"] > 50 and report["normal_failures"] == []
    assert report["p99_ms"] <= 1500
    assert sum(report["hostile"].values()) > 10 and report["hostile_unexpected"] == []
    assert report["alive_after"] is True
    assert [len(report["processes_end"][role]) for role in ("master", "worker", "zygote")] == [
        1,
        1,
        1,
    ]
    assert len(report["processes_end"]["evaluator"]) == 2
    assert all(sample["worker"] > 0 and sample["zygote"] > 0 for sample in report["rss_mb"])


def test_a_short_soak_loses_nothing(soaked, tmp_path):
    code, report = run_soak(soaked, tmp_path, seconds=15, clients=4)
    check(code, report)
    assert len(report["rss_mb"]) >= 14


@pytest.mark.slow
def test_a_two_minute_soak_loses_nothing(soaked, tmp_path):
    code, report = run_soak(soaked, tmp_path, seconds=120, clients=6)
    check(code, report)
    assert len(report["rss_mb"]) >= 110
