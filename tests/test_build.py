"""The build: bad input fails with file, record and reason and leaves dist/ as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhongyuan_kg.graph.build import BuildError, build

QUIET = {"log": lambda _: None}

PROJECT = """\
  - id: project/airport/test-fixture
    a: AirportProject
    label: {zh: 测试机场, en: Test airport}
    quote: 适时启动郑州新郑国际机场三期工程及北货运区等配套设施建设
    hasStage: stage:shishi-qidong
    locatedIn: city/zhengzhou
"""

BAD_INPUTS = {
    "quote not in the text": (
        PROJECT.replace("三期工程及", "四期工程及"),
        "project/airport/test-fixture: quote: quote not in the plan text",
    ),
    "unknown place": (
        PROJECT.replace("city/zhengzhou", "city/atlantis"),
        "project/airport/test-fixture: `locatedIn` names an unknown place/entity `city/atlantis`",
    ),
    "undefined class": (
        PROJECT.replace("a: AirportProject", "a: Spaceport"),
        "project/airport/test-fixture: `a`: Spaceport is not a class the ontology declares",
    ),
    "undefined property": (
        PROJECT.replace("locatedIn:", "nearTo:"),
        "project/airport/test-fixture: `nearTo` is not a property the ontology declares",
    ),
    "SHACL violation": (
        PROJECT.replace("    hasStage: stage:shishi-qidong\n", ""),
        "project/airport/test-fixture: SHACL: ",
        "needs at least one zy:hasStage",
    ),
    "duplicate IRI": (
        PROJECT + PROJECT.replace("测试机场", "另一个"),
        "project/airport/test-fixture: defines `project/airport/test-fixture` again "
        "(first defined in zz-test.yaml)",
    ),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_fails_and_leaves_dist_untouched(case, records_copy, tmp_path):
    content, *reason = BAD_INPUTS[case]
    (records_copy / "zz-test.yaml").write_text(f"records:\n{content}", encoding="utf-8")
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "graph.nt").write_text("<urn:previous> <urn:build> <urn:output> .\n")
    before = snapshot(dist)
    with pytest.raises(BuildError) as failed:
        build(dist, records_dir=records_copy, reason=False, **QUIET)
    lines = str(failed.value).splitlines()
    assert any(
        line.strip().startswith(f"zz-test.yaml: {reason[0]}") and all(r in line for r in reason)
        for line in lines
    ), lines
    assert snapshot(dist) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "dist"]  # no half-written dist
