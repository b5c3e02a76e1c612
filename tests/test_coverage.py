"""Completeness of the records against the plan: every passage cited or exempt, counts by kind."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from pyoxigraph import NamedNode, RdfFormat, Store

from zhongyuan_kg.graph import coverage, records, text
from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.namespaces import DEFAULT_BASE, GRAPH_PROVENANCE, ZY
from zhongyuan_kg.ontology.load import ontology_graph
from zhongyuan_kg.paths import RECORDS_DIR

THIRTY_CITIES = {
    "zhengzhou", "kaifeng", "luoyang", "pingdingshan", "xinxiang", "jiaozuo", "xuchang", "luohe",
    "jiyuan", "hebi", "shangqiu", "zhoukou", "jincheng", "bozhou", "anyang", "puyang", "sanmenxia",
    "nanyang", "xinyang", "zhumadian", "handan", "xingtai", "changzhi", "yuncheng",
    "suzhou-anhui", "fuyang", "huaibei", "bengbu", "liaocheng", "heze",
}  # fmt: skip
# Every one of the 30 cities is tied to at least this many passages (亳州 has the fewest: 6).
MIN_PASSAGES_PER_CITY = 6


@pytest.fixture(scope="module")
def measured() -> coverage.Coverage:
    return coverage.measure()


@pytest.fixture(scope="module")
def defining() -> list[records.Record]:
    loaded, errors = records.load(RECORDS_DIR)
    assert not errors
    return [record for record in loaded if not record.extends]


@pytest.fixture(scope="module")
def class_counts() -> dict[str, Counter[str]]:
    tbox = ontology_graph()
    roots = ("Project", "Designation", "Place", "OperaGenre", "HeritageSite")
    return {root: coverage.counts_by_class(root, tbox=tbox) for root in roots}


def test_every_content_passage_is_cited_or_exempt(measured: coverage.Coverage) -> None:
    assert [(p.path, p.text[:30]) for p in measured.uncovered()] == []


def test_exemptions_are_uncited_passages(measured: coverage.Coverage) -> None:
    assert measured.cited_exemptions() == []
    assert all(reason.strip() for reason in coverage.EXEMPT.values())


def test_passage_totals(measured: coverage.Coverage) -> None:
    passages = measured.document.passages
    cited = [p for p in passages if measured.citations[p.path]]
    assert (len(passages), len(cited), len(coverage.EXEMPT)) == (207, 183, 24)


def test_every_chapter_and_box_is_cited(measured: coverage.Coverage) -> None:
    cited_parts = {p.parent for p in measured.document.passages if measured.citations[p.path]}
    chapters_and_boxes = {
        part.path for part in measured.document.parts if part.kind in {"Chapter", "Box"}
    }
    uncited_parts = chapters_and_boxes - {
        path
        for path in chapters_and_boxes
        for part in cited_parts
        if part == path or part.startswith(path + "/")
    }
    assert uncited_parts == set()


def test_every_city_is_tied_to_passages(measured: coverage.Coverage) -> None:
    per_city = coverage.passages_per_city(measured)
    assert {city.removeprefix("city/") for city in per_city} == THIRTY_CITIES
    assert {city for city, n in per_city.items() if n < MIN_PASSAGES_PER_CITY} == set()
    # 郑州 is the city the plan speaks of most, then 洛阳.
    ranked = sorted(per_city, key=per_city.__getitem__, reverse=True)
    assert ranked[:2] == ["city/zhengzhou", "city/luoyang"]


def test_every_city_mention_is_tied_or_explained(
    measured: coverage.Coverage, defining: list[records.Record]
) -> None:
    names = {
        record.id: record.fields["label"]["zh"]
        for record in defining
        if record.id.startswith(coverage.CITY_PREFIX)
    }
    assert len(names) == 30
    untied = coverage.untied_city_mentions(measured, names)
    assert untied == set(coverage.UNTIED_CITY_MENTIONS)


def test_totals_by_kind(class_counts: dict[str, Counter[str]]) -> None:
    projects, designations = class_counts["Project"], class_counts["Designation"]
    assert projects["PortProject"] == 16  # 专栏 4 港口码头: 周口港 … 邯郸港
    assert projects["HighSpeedRailway"] == 14
    assert projects["AirportProject"] == 22
    assert designations["SmartCityPilot"] == 17  # 专栏 5 智慧城市群建设工程
    assert designations["TransportHubDesignation"] == 18  # 1 + 1 + 6 + 10 hub cities
    assert designations["ResourceBasedCity"] == 9
    assert designations["WaterEcologyCivilisationPilot"] == 9
    assert designations["KeyPopulationConcentration"] == 30  # 29 axis nodes + the metropolis
    assert class_counts["OperaGenre"]["OperaGenre"] == 13
    assert designations["RegionalCentreCity"] == 8  # 长治、邯郸、聊城、安阳、蚌埠、阜阳、商丘、南阳
    assert designations["BroadbandChinaCity"] == 6  # 郑州、洛阳、新乡、商丘、焦作、南阳
    assert designations["HistoricCulturalCity"] == 3  # 洛阳、郑州、开封
    assert class_counts["Place"]["CoordinatedDevelopmentZone"] == 4  # 北、东、西、南


def _listed(line: int, pattern: str) -> list[str]:
    """The names a list sentence of the plan gives (split at 、 and 和)."""
    passage = text.load().at_line(line)
    assert passage is not None
    match = re.search(pattern, passage.text)
    assert match is not None
    return re.split("、|和", match[1])


def _labels(defining: list[records.Record], cls: str) -> list[str]:
    return sorted(
        record.fields["label"]["zh"]
        for record in defining
        if cls in (a if isinstance(a := record.fields["a"], list) else [a])
    )


def test_ports_are_the_plans_list(defining: list[records.Record]) -> None:
    ports = _listed(337, r"建设(.+?)等港口")
    assert len(ports) == 16
    assert _labels(defining, "PortProject") == sorted(ports)


def test_opera_genres_are_the_plans_list(defining: list[records.Record]) -> None:
    genres = _listed(494, r"支持(.+?)等地方戏")
    assert len(genres) == 13
    assert _labels(defining, "OperaGenre") == sorted(genres)


def test_smart_city_pilots_are_the_plans_list(defining: list[records.Record]) -> None:
    cities = _listed(357, r"开展(.+?)等智慧城市试点示范")
    assert len(cities) == 17
    assert _labels(defining, "SmartCityPilot") == sorted(f"{c}智慧城市试点示范" for c in cities)


def test_built_graph_counts_the_same_citations(
    built: BuildReport, measured: coverage.Coverage
) -> None:
    # The built provenance graph is what users query: it must count what coverage.py counts.
    store = Store()
    store.load(path=str(built.dist / "graph.nq"), format=RdfFormat.N_QUADS)
    rows = store.query(
        f"""SELECT ?passage (COUNT(?citation) AS ?n) WHERE {{
            ?passage a <{ZY.Passage}> .
            OPTIONAL {{ ?citation <{ZY.citedPassage}> ?passage }}
        }} GROUP BY ?passage""",
        default_graph=NamedNode(str(GRAPH_PROVENANCE)),
    )
    counts = {row[0].value.removeprefix(DEFAULT_BASE): int(row[1].value) for row in rows}
    assert counts == {p.path: measured.citations[p.path] for p in measured.document.passages}
    assert {path for path, n in counts.items() if n == 0} == set(coverage.EXEMPT)
