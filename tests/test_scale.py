"""The scale generator: N distinct copies of the plan, and a clear refusal when it would not fit."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.scale import BYTES_PER_QUAD, TooLarge, grow
from zhongyuan_kg.namespaces import DEFAULT_BASE, GRAPH_ONTOLOGY

pytest_plugins = ["server_fixtures"]


def quads(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def test_three_copies_rewrite_instances_and_share_the_ontology(test_dataset: Path, tmp_path: Path):
    original = quads(test_dataset)
    ontology = ox.NamedNode(str(GRAPH_ONTOLOGY))
    copied = [q for q in original if q.graph_name != ontology and DEFAULT_BASE in str(q)]
    written = grow(test_dataset, tmp_path, 3)
    grown = quads(tmp_path / "graph.nq")
    # 6 cities × 5 quads, 2 area labels, the passage's type and text, 郑州's source: 35 copied.
    assert (len(original), len(copied)) == (41, 35)
    assert written == len(grown) == 41 + 2 * 35
    assert len(set(grown)) == len(grown)  # every copy is distinct
    zhengzhou = {
        q.subject.value
        for q in grown
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.endswith("city/zhengzhou")
    }
    assert zhengzhou == {
        f"{DEFAULT_BASE}city/zhengzhou",
        f"{DEFAULT_BASE}copy1/city/zhengzhou",
        f"{DEFAULT_BASE}copy2/city/zhengzhou",
    }
    assert (tmp_path / "build.json").read_text(encoding="utf-8").count('"scale_factor": 3') == 1


def test_a_factor_that_does_not_fit_is_refused_before_writing(test_dataset: Path, tmp_path: Path):
    lines = len(test_dataset.read_text(encoding="utf-8").splitlines())
    memory = lines * BYTES_PER_QUAD * 10  # room for about ×10
    with pytest.raises(TooLarge, match=r"×1000 makes .* GiB in memory .* available"):
        grow(test_dataset, tmp_path / "out", 1000, memory=memory)
    assert not (tmp_path / "out").exists()
    assert grow(test_dataset, tmp_path / "small", 2, memory=memory) > lines
