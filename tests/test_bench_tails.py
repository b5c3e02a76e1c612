"""The per-query tail benchmark in a few seconds, so that it cannot rot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.queries.local import DATASET_FILE

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("strategic-positions", "area-city-counts")


@pytest.mark.wrk  # wrk drives the load
def test_each_query_is_measured_alone_on_both_servers(built: BuildReport, tmp_path: Path):
    out = tmp_path / "tails.json"
    command = [
        sys.executable, "-m", "bench.tails", "--dataset", str(built.dist / DATASET_FILE),
        "--duration", "1", "--clients", "2", "--only", ",".join(QUERIES), "--json", str(out),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    tails = json.loads(out.read_text(encoding="utf-8"))
    assert [(t["query"], t["server"]) for t in tails] == [
        (query, server) for server in ("ours", "oxigraph") for query in QUERIES
    ]
    for tail in tails:
        assert tail["errors"] == 0 and tail["rps"] > 0 and 0 < tail["p50_ms"] <= tail["p99_ms"]
    assert "ours: p99/p50 median" in done.stdout and "oxigraph: p99/p50 median" in done.stdout


def test_an_unknown_query_name_is_refused(built: BuildReport):
    command = [
        sys.executable, "-m", "bench.tails", "--dataset", str(built.dist / DATASET_FILE),
        "--only", "no-such-query",
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "no saved query named no-such-query" in done.stderr
