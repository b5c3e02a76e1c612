"""The saved-query files: complete metadata, every part of the plan covered, docs in sync."""

from __future__ import annotations

import re

import pytest

from zhongyuan_kg.namespaces import DEFAULT_BASE
from zhongyuan_kg.paths import QUERIES_DIR, project_root
from zhongyuan_kg.queries.catalog import RESERVED_PARAMS, Param, load_catalog, values_block
from zhongyuan_kg.queries.params import Candidate, bind, expand, resolve

CATALOG = load_catalog()
PLAN_PARTS = [f"plan/ch{n:02d}" for n in range(1, 11)] + [f"plan/box{n:02d}" for n in range(1, 10)]
PART_PATTERN = re.compile(r"^plan/(preface|ch(0[1-9]|10)|box0[1-9])$")


class DefaultsOnly:
    """Allowed values that are exactly a parameter's defaults (to rebind them without a graph)."""

    def candidates(self, param: Param) -> list[Candidate]:
        return [Candidate(expand(value, DEFAULT_BASE), ()) for value in param.default]


def test_there_are_at_least_thirty_saved_queries():
    assert len(CATALOG) >= 30


@pytest.mark.parametrize("part", PLAN_PARTS)
def test_every_chapter_and_box_is_covered(part: str):
    assert any(part in query.covers for query in CATALOG.values())


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_metadata_is_complete(name: str):
    query = CATALOG[name]
    assert query.path.name == f"{name}.rq"
    assert all(
        query.title[lang].strip() and query.description[lang].strip() for lang in ("zh", "en")
    )
    assert all(PART_PATTERN.match(part) for part in query.covers)
    assert not RESERVED_PARAMS & {param.name for param in query.params}
    for param in query.params:
        assert {"zh", "en"} <= param.description.keys(), param.name
        assert param.examples, f"{param.name} has no examples"


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_the_file_runs_with_its_declared_defaults(name: str):
    # The VALUES blocks in the file are the defaults, so the file runs as-is in any SPARQL tool.
    query = CATALOG[name]
    rebound = bind(query, resolve(query, {}, DefaultsOnly(), DEFAULT_BASE))
    assert rebound == query.sparql
    for param in query.params:
        assert values_block(param.name).search(query.sparql)


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_map_views_carry_coordinates(name: str):
    query = CATALOG[name]
    head = query.sparql[: query.sparql.find("WHERE")]
    has_coordinates = ("?lat" in head and "?long" in head) or "?wkt" in head
    assert (query.view == "map") == has_coordinates


def test_the_readme_lists_exactly_the_saved_queries():
    readme = (QUERIES_DIR / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| \[`([a-z0-9-]+)`\]\(([a-z0-9-]+)\.rq\) \|", readme, re.MULTILINE)
    assert [name for name, _ in listed] == sorted(CATALOG)
    assert all(name == file for name, file in listed)


def test_the_top_level_readme_points_to_the_saved_queries():
    readme = (project_root() / "README.md").read_text(encoding="utf-8")
    assert "queries/README.md" in readme
    assert "zhongyuan-kg query --saved" in readme
