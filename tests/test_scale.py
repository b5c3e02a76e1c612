"""The scale generator: N distinct plans over a shared gazetteer, and a refusal when too large."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.scale import BYTES_PER_QUAD, TooLarge, grow
from zhongyuan_kg.namespaces import DEFAULT_BASE

pytest_plugins = ["server_fixtures"]

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
