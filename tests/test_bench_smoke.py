"""The benchmark itself, in a few seconds: all six servers start, answer correctly and get load.

The full run (`python -m bench.run`, minutes) is marked slow; this smoke test keeps it from rotting.
"""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pytest

from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.queries.catalog import load_catalog
from zhongyuan_kg.queries.local import DATASET_FILE

pytestmark = pytest.mark.wrk  # wrk drives the load
ROOT = Path(__file__).resolve().parent.parent
# Answers checked per scenario.
CHECKED = {"repeated": 1, "repeated-get": 1, "adhoc": 3, "adhoc-search": 3}
ALL_SERVERS = {
    "ours", "ours-cached", "oxigraph", "rdflib-endpoint", "flask-route", "isolation-floor"
}  # fmt: skip


def bench(tmp_path: Path, dataset: Path, *options: str, timeout: float = 240) -> tuple[int, list]:
    """Run `python -m bench.run` from the repository root; its exit code and JSON measures."""
    code, measures, _ = bench_output(tmp_path, dataset, *options, timeout=timeout)
    return code, measures


def bench_output(
    tmp_path: Path, dataset: Path, *options: str, timeout: float = 240
) -> tuple[int, list, str]:
    """Run `python -m bench.run`: its exit code, JSON measures and printed report."""
    out = tmp_path / "measures.json"
    command = [sys.executable, "-m", "bench.run", "--dataset", str(dataset), "--json", str(out)]
    done = subprocess.run(
        [*command, *options], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert out.exists(), done.stdout + done.stderr
    return done.returncode, json.loads(out.read_text(encoding="utf-8")), done.stdout


def test_every_server_answers_correctly_under_a_tiny_load(built: BuildReport, tmp_path: Path):
    code, measures = bench(
        tmp_path,
        built.dist / DATASET_FILE,
        "--duration", "1", "--clients", "2",
        "--scenarios", "repeated,repeated-get,adhoc,adhoc-search", "--check-limit", "3",
        "--servers", ",".join(sorted(ALL_SERVERS)),
    )  # fmt: skip
    assert code == 0
    assert {(m["scenario"], m["server"]) for m in measures} == {
        (scenario, server) for scenario in CHECKED for server in ALL_SERVERS
    }
    for m in measures:
        assert m["requests"] > 0 and m["errors"] == 0 and m["wrong_answers"] == [], m
        # The bare route has no answers to check; the others had 1 (repeated) or 3 (ad-hoc).
        expected_checked = 0 if m["server"] == "flask-route" else CHECKED[m["scenario"]]
        assert m["checked"] == expected_checked, m


def test_every_saved_query_same_on_ours_and_oxigraph_serve(built: BuildReport, tmp_path: Path):
    code, measures = bench(
        tmp_path,
        built.dist / DATASET_FILE,
        "--duration", "1", "--clients", "2", "--scenarios", "saved", "--servers", "ours,oxigraph",
    )  # fmt: skip
    assert code == 0
    assert [(m["server"], m["checked"], m["wrong_answers"]) for m in measures] == [
        ("ours", len(load_catalog()), []),
        ("oxigraph", len(load_catalog()), []),
    ]


@pytest.mark.parametrize("wsgi", ["granian", "gunicorn"])
def test_ours_and_the_bare_route_run_under_the_same_wsgi_server(
    built: BuildReport, tmp_path: Path, wsgi: str
):
    code, measures, printed = bench_output(
        tmp_path,
        built.dist / DATASET_FILE,
        "--duration", "1", "--clients", "2", "--scenarios", "repeated",
        "--servers", "ours,flask-route", "--wsgi", wsgi, "--threads", "4",
    )  # fmt: skip
    assert code == 0, printed
    threads = "blocking threads" if wsgi == "granian" else "threads (gthread)"
    version = importlib.metadata.version(wsgi)
    header = (
        f"WSGI server (ours, ours-cached, flask-route): {wsgi} {version}, 1 worker(s), 4 {threads}"
    )
    assert printed.splitlines()[0] == header
    assert [(m["server"], m["checked"], m["errors"]) for m in measures] == [
        ("ours", 1, 0),
        ("flask-route", 0, 0),
    ]


@pytest.mark.slow
def test_full_benchmark_has_no_errors(built: BuildReport, tmp_path: Path):
    code, measures = bench(tmp_path, built.dist / DATASET_FILE, timeout=3600)
    assert code == 0
    assert len(measures) == 15
