"""The on-disk Oxigraph store: `zhongyuan-kg load` makes it; `serve` answers as in memory."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from server_fixtures import LiveServer
from test_policy_hostile import MEMORY_EATER, answered_quickly
from test_saved_expectations import CASE_IDS, CASES, Case, expected, normalise, rows_from_json
from test_server_stores import CONSTRUCTS, QUERIES, solutions

from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.namespaces import DEFAULT_BASE
from zhongyuan_kg.server.store import STORE_DEFAULT_GRAPH, Dataset, open_store
from zhongyuan_kg.server.store_disk import DATABASE, META, SERVING_LOCK, load_directory

pytest_plugins = ["server_fixtures"]

GRAPH = "https://w3id.org/zhongyuan-kg/graph/"
EX = "http://example.org/"


def cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    """`zhongyuan-kg` in a subprocess, its output captured."""
    command = [sys.executable, "-m", "zhongyuan_kg.cli", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def graph_sizes(dataset: Path) -> dict[str, int]:
    """The triples of each named graph of an N-Quads file, counted by the parser."""
    return dict(
        Counter(
            quad.graph_name.value
            for quad in ox.parse(path=str(dataset), format=ox.RdfFormat.N_QUADS)
        )
    )


@pytest.fixture(scope="module")
def store_dir(test_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test dataset loaded by `zhongyuan-kg load --store oxigraph-disk:DIR`."""
    directory = tmp_path_factory.mktemp("disk") / "store"
    done = cli("load", "--store", f"oxigraph-disk:{directory}", "--dataset", str(test_dataset))
    assert done.returncode == 0, done.stderr
    return directory


@pytest.fixture(scope="module")
def disk_server(test_dataset: Path, store_dir: Path) -> Iterator[LiveServer]:
    """The endpoint serving the test dataset from the on-disk store."""
    live = LiveServer(test_dataset, store=f"oxigraph-disk:{store_dir}", timeout=3, evaluators=2)
    yield live
    live.stop()


def test_load_records_every_graph_and_its_size(test_dataset: Path, store_dir: Path):
    sizes = graph_sizes(test_dataset)
    meta = json.loads((store_dir / META).read_text(encoding="utf-8"))
    assert meta["graphs"] == dict(sorted(sizes.items()))
    assert meta["triples"] == sum(sizes.values()) == 41
    assert meta["default_graph_empty"] is True
    assert (store_dir / DATABASE / "CURRENT").is_file()
    assert [p.name for p in store_dir.parent.iterdir()] == ["store"]  # nothing left beside it


@pytest.mark.parametrize("name", list(QUERIES))
def test_same_solutions_as_in_memory(server, disk_server, name):
    ours = solutions(disk_server, QUERIES[name])
    assert ours == solutions(server, QUERIES[name])
    assert ours  # every query of the set has an answer on the test dataset


@pytest.mark.parametrize(
    "params", [{}, {"inference": "false"}, {"default-graph-uri": GRAPH + "facts"}]
)
def test_same_dataset_choices(server, disk_server, params):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert solutions(disk_server, query, **params) == solutions(server, query, **params)


@pytest.mark.parametrize("name", list(CONSTRUCTS))
def test_same_graphs(server, disk_server, name):
    bodies = [
        requests.get(s.url, params={"query": CONSTRUCTS[name][0], "format": "nt"}, timeout=30)
        for s in (disk_server, server)
    ]
    assert [b.status_code for b in bodies] == [200, 200]
    lines = [sorted(b.text.splitlines()) for b in bodies]
    assert lines[0] == lines[1]
    assert len(lines[0]) == CONSTRUCTS[name][1]


def test_service_description_lists_the_same_graphs(server, disk_server):
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    assert solutions(disk_server, query) == solutions(server, query)


def test_updates_are_refused(disk_server):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = solutions(disk_server, count)
    update = f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }}"
    response = requests.post(disk_server.url, data={"update": update}, timeout=30)
    assert response.status_code == 403
    assert solutions(disk_server, count) == before


def test_the_database_itself_is_read_only(test_dataset: Path, store_dir: Path):
    store = open_store(
        f"oxigraph-disk:{store_dir}", test_dataset, base_iri=DEFAULT_BASE, prefixes={}
    )
    with pytest.raises(RuntimeError, match="read-write"):
        store.store.update(f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }}")
    assert len(store.store) == 41


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def _threads(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("Threads:")[1].split()[0])


def _opened(pid: int, directory: Path) -> bool:
    fds = Path(f"/proc/{pid}/fd")
    return any(
        os.readlink(fd).startswith(str(directory)) for fd in fds.iterdir() if fd.is_symlink()
    )


def test_only_evaluators_open_the_database(disk_server, store_dir):
    (worker,) = _children(disk_server.process.pid)  # gunicorn master → worker
    (zygote,) = _children(worker)
    evaluators = _children(zygote)
    assert len(evaluators) == 2
    assert _threads(zygote) == 1  # it forks: RocksDB's threads must never start there
    assert not _opened(zygote, store_dir)
    deadline = time.monotonic() + 10  # the evaluator that has not answered yet may be opening
    while not all(_opened(pid, store_dir / DATABASE) for pid in evaluators):
        assert time.monotonic() < deadline, "an evaluator did not open the database"
        time.sleep(0.05)


def test_a_query_that_eats_memory_is_refused_and_costs_only_its_evaluator(test_dataset, store_dir):
    # The same query as test_policy_hostile's: ~550 MB, past the 128 MiB an evaluator may add
    # to its address space, counted from what the opened database maps.
    live = LiveServer(
        test_dataset,
        store=f"oxigraph-disk:{store_dir}",
        timeout=1.5,
        evaluators=2,
        evaluator_memory_mb=128,
    )
    try:
        assert answered_quickly(live) < 1.0  # under the limit, queries run
        response = requests.post(live.url, data={"query": MEMORY_EATER}, timeout=20)
        assert response.status_code == 400
        assert response.text.startswith("400 too-complex: query rejected: too complex")
        assert answered_quickly(live) < 1.0
        assert answered_quickly(live) < 1.0  # the evaluator that died was replaced
    finally:
        live.stop()


def test_serve_refuses_a_missing_directory(test_dataset, tmp_path):
    done = cli("serve", "--dataset", str(test_dataset), "--store", f"oxigraph-disk:{tmp_path}/no")
    assert done.returncode == 2
    assert f"no store directory {tmp_path}/no: make it with zhongyuan-kg load" in done.stderr


def test_serve_refuses_a_directory_load_did_not_make(test_dataset, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    done = cli("serve", "--dataset", str(test_dataset), "--store", f"oxigraph-disk:{tmp_path}")
    assert done.returncode == 2
    assert f"{tmp_path} is not a store made by zhongyuan-kg load" in done.stderr
    refused = cli("load", "--dataset", str(test_dataset), "--store", f"oxigraph-disk:{tmp_path}")
    assert refused.returncode == 1
    assert f"{tmp_path} exists and is not a store directory" in refused.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]  # untouched


def test_serve_refuses_a_stale_directory(test_dataset, store_dir, tmp_path):
    newer = tmp_path / "graph.nq"
    shutil.copy(test_dataset, newer)
    (tmp_path / "build.json").write_text(json.dumps({"built": "later"}), encoding="utf-8")
    done = cli("serve", "--dataset", str(newer), "--store", f"oxigraph-disk:{store_dir}")
    assert done.returncode == 2
    assert f"{store_dir} is stale: it was loaded from another build" in done.stderr
    assert f"zhongyuan-kg load --store oxigraph-disk:{store_dir} --dataset {newer}" in done.stderr


def test_serve_refuses_an_unreadable_store_json(test_dataset, store_dir, tmp_path):
    broken = Path(shutil.copytree(store_dir, tmp_path / "store"))
    (broken / META).write_text("{", encoding="utf-8")
    done = cli("serve", "--dataset", str(test_dataset), "--store", f"oxigraph-disk:{broken}")
    assert done.returncode == 2
    assert f"{broken / META} is unreadable" in done.stderr


def test_serve_refuses_a_store_json_without_its_keys(test_dataset, store_dir, tmp_path):
    broken = Path(shutil.copytree(store_dir, tmp_path / "store"))
    meta = json.loads((broken / META).read_text(encoding="utf-8"))
    del meta["source"], meta["triples"]
    (broken / META).write_text(json.dumps(meta), encoding="utf-8")
    done = cli("serve", "--dataset", str(test_dataset), "--store", f"oxigraph-disk:{broken}")
    assert done.returncode == 2
    assert f"{broken / META} is unreadable ('source, triples')" in done.stderr


def test_a_failed_load_leaves_nothing_behind(tmp_path):
    bad = tmp_path / "data.nq"
    bad.write_text(f"<{EX}a> <{EX}p> not a term .\n", encoding="utf-8")
    done = cli("load", "--dataset", str(bad), "--store", f"oxigraph-disk:{tmp_path / 'store'}")
    assert done.returncode == 1
    assert done.stderr.startswith("zhongyuan-kg load: ")
    assert [p.name for p in tmp_path.iterdir()] == ["data.nq"]


def test_serve_refuses_a_corrupt_database(test_dataset, store_dir, tmp_path):
    broken = Path(shutil.copytree(store_dir, tmp_path / "store"))
    for table in (broken / DATABASE).glob("*.sst"):
        table.unlink()
    done = cli(
        "serve", "--dataset", str(test_dataset), "--store", f"oxigraph-disk:{broken}", "--port", "0"
    )
    assert done.returncode != 0
    assert f"the database in {broken} does not open" in done.stderr  # and the server stopped


def test_loading_again_replaces_the_directory(test_dataset, tmp_path):
    directory = tmp_path / "store"
    for _ in range(2):
        meta = load_directory(directory, test_dataset)
        assert meta["triples"] == 41
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
    assert sorted(p.name for p in directory.iterdir()) == [DATABASE, META]


QUADS = f"""\
<{EX}a> <{EX}p> "in g1" <{EX}g1> .
<{EX}a> <{EX}p> "in both" <{EX}g1> .
<{EX}a> <{EX}p> "in both" <{EX}g2> .
<{EX}b> <{EX}p> "in g2" <{EX}g2> .
"""


@pytest.mark.parametrize("with_default_graph", [False, True])
def test_the_union_default_graph_only_when_it_means_every_graph(tmp_path, with_default_graph):
    # The in-memory store's optimisation (store_oxigraph.OxigraphQueries.query), shared.
    dataset = tmp_path / "data.nq"
    extra = f'<{EX}c> <{EX}p> "in the default graph" .\n' if with_default_graph else ""
    dataset.write_text(QUADS + extra, encoding="utf-8")
    load_directory(tmp_path / "store", dataset)
    store = open_store(f"oxigraph-disk:{tmp_path / 'store'}", dataset, base_iri=EX, prefixes={})
    assert store._every_graph == (None if with_default_graph else {f"{EX}g1", f"{EX}g2"})
    everything = Dataset((STORE_DEFAULT_GRAPH, f"{EX}g1", f"{EX}g2"))
    rows = Counter(
        tuple(term.value for term in row)
        for row in store.query("SELECT ?s ?o WHERE { ?s ?p ?o }", everything)
    )
    expected_rows = {(f"{EX}a", "in g1"): 1, (f"{EX}a", "in both"): 2, (f"{EX}b", "in g2"): 1}
    if with_default_graph:
        expected_rows[(f"{EX}c", "in the default graph")] = 1
    assert rows == Counter(expected_rows)


@pytest.fixture(scope="module")
def real_disk(built: BuildReport, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real build served from an on-disk store."""
    dataset = built.dist / "graph.nq"
    directory = tmp_path_factory.mktemp("real-disk") / "store"
    load_directory(directory, dataset)
    live = LiveServer(dataset, store=f"oxigraph-disk:{directory}", timeout=20, evaluators=2)
    yield live
    live.stop()


@pytest.mark.parametrize(("name", "c"), CASES, ids=CASE_IDS)
def test_every_saved_query_answers_from_disk(real_disk: LiveServer, name: str, c: Case):
    response = requests.get(
        f"{real_disk.root}/queries/{name}",
        params=c.params,
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert normalise(c.columns, rows_from_json(response.content), DEFAULT_BASE) == expected(c)


@pytest.mark.slow
def test_the_disk_start_benchmark_runs(built: BuildReport, tmp_path: Path, capsys):
    from bench import disk_start

    dataset = built.dist / "graph.nq"
    result = disk_start.measure(
        dataset, tmp_path / "store", repeats=1, query_repeats=1, queries=["plan-overview"]
    )
    assert result["quads"] == sum(graph_sizes(dataset).values())
    assert set(result["start_s"]) == set(result["pss_mb"]) == {"memory", "disk"}
    assert all(value > 0 for value in (*result["start_s"].values(), *result["pss_mb"].values()))
    disk_start.report({dataset: result})
    table = capsys.readouterr().out
    assert f"| dist | {result['quads']:,} |" in table
    assert "plan-overview" in table


def test_a_served_directory_is_not_loaded_over(test_dataset: Path, store_dir: Path, disk_server):
    # The server holds the directory: a load would swap the database under its evaluators.
    refused = cli("load", "--store", f"oxigraph-disk:{store_dir}", "--dataset", str(test_dataset))
    assert refused.returncode == 1
    assert f"{store_dir} is being served: stop zhongyuan-kg serve first" in refused.stderr
    every_triple = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    answer = requests.get(
        disk_server.url, params={"query": every_triple, "format": "json"}, timeout=20
    )
    count = answer.json()["results"]["bindings"][0]["n"]["value"]
    assert int(count) == sum(graph_sizes(test_dataset).values())  # still served, unchanged


def test_a_directory_being_loaded_is_not_served(test_dataset: Path, tmp_path: Path):
    directory = tmp_path / "store"
    loaded = cli("load", "--store", f"oxigraph-disk:{directory}", "--dataset", str(test_dataset))
    assert loaded.returncode == 0, loaded.stderr
    with (directory / SERVING_LOCK).open("ab") as held:  # as a load in progress holds it
        fcntl.flock(held, fcntl.LOCK_EX)
        refused = cli(
            "serve", "--store", f"oxigraph-disk:{directory}", "--dataset", str(test_dataset)
        )
    assert refused.returncode == 2
    assert f"{directory} is being loaded" in refused.stderr
    # Once the load is over (lock released), loading again works and serving would too.
    again = cli("load", "--store", f"oxigraph-disk:{directory}", "--dataset", str(test_dataset))
    assert again.returncode == 0, again.stderr
