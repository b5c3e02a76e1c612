"""The scale generator: N distinct plans over a shared gazetteer, and a refusal when too large."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from server_fixtures import LiveServer

from bench.scale import BYTES_PER_QUAD, GAZETTEER, TooLarge, grow
from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.namespaces import DEFAULT_BASE, PREFIXES
from zhongyuan_kg.queries.catalog import Param
from zhongyuan_kg.queries.local import DATASET_FILE, LocalGraph
from zhongyuan_kg.queries.params import SparqlCandidates
from zhongyuan_kg.server.store import open_store

pytest_plugins = ["server_fixtures"]

ROOT = Path(__file__).resolve().parent.parent
SHARED = tuple(f"{path}/" for path in GAZETTEER)
ROW_CAP = 1000  # below the ×10 graph's 1,732 (place, label) rows: candidates take two pages
LONGHAI_NODES = {
    "heze",
    "huaibei",
    "kaifeng",
    "luoyang",
    "sanmenxia",
    "shangqiu",
    "suzhou-anhui",
    "yuncheng",
    "zhengzhou",
}

LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
MEMBER_OF = ox.NamedNode("https://w3id.org/zhongyuan-kg/ontology#memberOf")


def quads(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def test_three_plans_copy_plan_things_and_share_the_gazetteer(test_dataset: Path, tmp_path: Path):
    original = quads(test_dataset)
    written = grow(test_dataset, tmp_path, 3)
    grown = quads(tmp_path / "graph.nq")
    # Per copy: 2 area labels, 6 memberships, the passage's type and text, 郑州's source: 11.
    assert written == len(grown) == len(original) + 2 * 11 == 41 + 22
    assert len(set(grown)) == len(grown)  # nothing is written twice
    zhengzhou = ox.NamedNode(f"{DEFAULT_BASE}city/zhengzhou")
    # The city is shared: one node, its labels once, a membership in each plan's core area.
    assert not any("copy" in q.subject.value and "city/" in q.subject.value for q in grown)
    assert {q.object.value for q in grown if q.subject == zhengzhou and q.predicate == LABEL} == {
        "郑州",
        "Zhengzhou",
    }
    assert {
        q.object.value for q in grown if q.subject == zhengzhou and q.predicate == MEMBER_OF
    } == {
        f"{DEFAULT_BASE}area/core",
        f"{DEFAULT_BASE}copy1/area/core",
        f"{DEFAULT_BASE}copy2/area/core",
    }
    # A plan's own things carry its number in their labels, so a name selects one plan's.
    area_labels = {
        (q.subject.value, q.object.value)
        for q in grown
        if q.predicate == LABEL and q.subject.value.endswith("area/core")
    }
    assert area_labels == {
        (f"{DEFAULT_BASE}area/core", "核心发展区"),
        (f"{DEFAULT_BASE}copy1/area/core", "核心发展区 #1"),
        (f"{DEFAULT_BASE}copy2/area/core", "核心发展区 #2"),
    }
    assert (tmp_path / "build.json").read_text(encoding="utf-8").count('"scale_factor": 3') == 1


def test_a_factor_that_does_not_fit_is_refused_before_writing(test_dataset: Path, tmp_path: Path):
    lines = len(test_dataset.read_text(encoding="utf-8").splitlines())
    memory = lines * BYTES_PER_QUAD * 10  # room for about ×10
    with pytest.raises(TooLarge, match=r"×1000 makes .* GiB in memory .* available"):
        grow(test_dataset, tmp_path / "out", 1000, memory=memory)
    assert not (tmp_path / "out").exists()
    assert grow(test_dataset, tmp_path / "small", 2, memory=memory) == lines + 11


@pytest.fixture(scope="module")
def tenfold(built: BuildReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's build grown to ten plans."""
    out = tmp_path_factory.mktemp("x10")
    grow(built.dist / DATASET_FILE, out, 10)
    return out / DATASET_FILE


@pytest.fixture(scope="module")
def tenfold_server(tenfold: Path) -> Iterator[LiveServer]:
    """The ten plans served with a row cap smaller than the list of places."""
    server = LiveServer(tenfold, timeout=20, evaluators=2, max_rows=ROW_CAP)
    yield server
    server.stop()


def answer(server: LiveServer, name: str, **params: str) -> requests.Response:
    return requests.get(
        f"{server.root}/queries/{name}",
        params=params,
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )


def column(response: requests.Response, name: str) -> list[str]:
    return [row[name]["value"] for row in response.json()["results"]["bindings"] if name in row]


def test_every_place_is_a_candidate_when_they_take_several_pages(tenfold: Path):
    graph = LocalGraph(open_store("oxigraph", tenfold, base_iri=DEFAULT_BASE, prefixes=PREFIXES))
    place = Param(name="place", type="iri", cls=PREFIXES["zy"] + "Place")
    paged = SparqlCandidates(graph.select, page_size=ROW_CAP).candidates(place)
    assert paged == graph.candidates.candidates(place)  # read in one piece, no cap
    iris = {candidate.iri for candidate in paged}
    copy9 = {iri.replace("/copy9/", "/") for iri in iris if "/copy9/" in iri}
    first = {iri for iri in iris if "/copy" not in iri}
    shared = {iri for iri in first if iri.removeprefix(DEFAULT_BASE).startswith(SHARED)}
    # Each plan has its own areas, axes, zones …; the gazetteer's places exist once.
    assert copy9 == first - shared
    assert len(iris) == len(shared) + 10 * len(copy9)
    assert f"{DEFAULT_BASE}copy9/axis/longhai" in iris
    assert f"{DEFAULT_BASE}city/hebi" in iris


def test_a_ninth_plans_axis_is_accepted_by_iri_and_by_its_label(tenfold_server: LiveServer):
    by_iri = answer(tenfold_server, "axis-nodes", axis="copy9/axis/longhai")
    assert by_iri.status_code == 200, by_iri.text
    assert {iri.rsplit("/", 1)[1] for iri in column(by_iri, "city")} == LONGHAI_NODES
    assert set(column(by_iri, "axis")) == {f"{DEFAULT_BASE}copy9/axis/longhai"}
    by_label = answer(tenfold_server, "axis-nodes", axis="沿陇海发展主轴 #9")
    assert by_label.json() == by_iri.json()


def test_a_shared_place_resolves_by_label_and_has_each_plans_projects(
    tenfold_server: LiveServer,
):
    by_label = answer(tenfold_server, "projects-in-place", place="鹤壁")
    assert by_label.status_code == 200, by_label.text
    projects = set(column(by_label, "project"))
    own = {iri for iri in projects if "/copy" not in iri}
    assert own  # the first plan's projects in 鹤壁
    moved = {iri.replace("/id/", f"/id/copy{k}/") for iri in own for k in range(1, 10)}
    assert projects == own | moved


def test_the_scale_run_measures_each_size_and_compares_answers(test_dataset: Path, tmp_path: Path):
    grow(test_dataset, tmp_path / "x2", 2)
    datasets = [str(test_dataset), str(tmp_path / "x2" / DATASET_FILE)]
    out = tmp_path / "scale.json"
    argv = [*datasets, "--queries", "plan-overview", "--starts", "1", "--repeats", "1"]
    command = [sys.executable, "-m", "bench.scale_run", *argv, "--json", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    measures = json.loads(out.read_text(encoding="utf-8"))
    assert [measures["sizes"][d]["quads"] for d in datasets] == [41, 41 + 11]
    assert all(measures["sizes"][d]["ready_s"] > 0 for d in datasets)
    (query,) = measures["queries"]
    # The test dataset holds no plan: no rows at either size, the same (empty) answer.
    assert (query["query"], query["rows"], query["same_answer"]) == (
        "plan-overview",
        dict.fromkeys(datasets, 0),
        True,
    )
    assert query["selective"] is False
