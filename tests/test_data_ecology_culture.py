"""Records of ch. 7 with 专栏 8 and ch. 8 §1 with the culture box match the plan."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
import yaml
from pyoxigraph import RdfFormat, Store

from zhongyuan_kg.graph import text
from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.graph.quotes import locate, record_quotes
from zhongyuan_kg.paths import PLAN_TEXT, RECORDS_DIR

FILES = ("ch07-ecology.yaml", "box08-ecology.yaml", "ch08-culture.yaml", "box09-culture.yaml")
ANNOTATION_KEYS = frozenset({"id", "a", "label", "altLabel", "comment", "quote", "extend"})
PLACE_KEYS = ("locatedIn", "inProvince", "hasTerminus", "passesThrough", "involvesPlace")
OPERAS = {
    "豫剧", "晋剧", "蒲剧", "曲剧", "越调", "宛梆", "上党梆子", "泗州戏", "坠子戏", "二夹弦",
    "山东梆子", "大平调", "枣梆",
}  # fmt: skip

Facts = dict[str, set[Any]]


def _raw_records() -> list[dict[str, Any]]:
    return [
        record
        for name in FILES
        for record in yaml.safe_load((RECORDS_DIR / name).read_text(encoding="utf-8"))["records"]
    ]


def _values(value: Any) -> set[Any]:
    return set(value) if isinstance(value, list) else {value}


def _merge(records: list[dict[str, Any]]) -> dict[str, Facts]:
    merged: dict[str, Facts] = defaultdict(lambda: defaultdict(set))
    for record in records:
        for key, value in record.items():
            if key not in ANNOTATION_KEYS:
                merged[record["id"]][key] |= _values(value)
        if "a" in record:
            merged[record["id"]]["a"] |= _values(record["a"])
            merged[record["id"]]["zh"] = {record["label"]["zh"]}
    return merged


RAW = _raw_records()
ENTITIES = _merge(RAW)


def of_class(cls: str, stage: str | None = None) -> dict[str, Facts]:
    """The entities of one class (optionally with one stage), by id."""
    return {
        id_: facts
        for id_, facts in ENTITIES.items()
        if cls in facts["a"] and (stage is None or f"stage:{stage}" in facts["hasStage"])
    }


def zh_labels(entities: dict[str, Facts]) -> set[str]:
    return {label for facts in entities.values() for label in facts["zh"]}


def values(entities: dict[str, Facts], key: str) -> set[Any]:
    return {value for facts in entities.values() for value in facts[key]}


@pytest.fixture(scope="module")
def document() -> text.Document:
    return text.load(PLAN_TEXT)


def test_every_quote_is_verbatim_in_one_passage(document: text.Document) -> None:
    for record in RAW:
        for quote in record_quotes(record):
            locate(document, quote)  # raises QuoteError naming the problem


def test_each_id_is_defined_once_with_class_labels_and_quote() -> None:
    ids = [record["id"] for record in RAW]
    assert len(ids) == len(set(ids))
    assert not any(record.get("extend") for record in RAW)
    for record in RAW:
        assert record["a"] and record["label"]["zh"] and record["label"]["en"], record["id"]
        # A comma in an unquoted flow map would split the English label into extra keys.
        assert set(record["label"]) == {"zh", "en"}, record["id"]
        assert record_quotes(record), record["id"]


def test_every_project_and_designation_has_a_stage_and_a_place() -> None:
    for id_, facts in ENTITIES.items():
        if id_.startswith(("project/", "designation/", "mechanism/")):
            assert facts["hasStage"], id_
        if id_.startswith("designation/"):
            assert facts["designatedPlace"], id_
        elif id_.startswith(("project/", "mechanism/")):
            assert any(facts[key] for key in PLACE_KEYS), id_


def test_three_barriers_and_four_corridors_make_the_network() -> None:
    members = {
        id_ for id_, facts in ENTITIES.items() if "ecology/network" in facts["partOfNetwork"]
    }
    assert members == {
        "ecology/barrier/taihangshan", "ecology/barrier/funiushan",
        "ecology/barrier/tongbai-dabieshan", "ecology/corridor/nanshui-beidiao",
        "ecology/corridor/huanghe", "ecology/corridor/mingqing-huanghe-gudao",
        "ecology/corridor/huaihe",
    }  # fmt: skip
    assert {id_: facts["onMountain"] for id_, facts in of_class("EcologicalBarrier").items()} == {
        "ecology/barrier/taihangshan": {"mountain/taihangshan"},
        "ecology/barrier/funiushan": {"mountain/funiushan"},
        "ecology/barrier/tongbai-dabieshan": {
            "mountain/tongbai-dabieshan", "mountain/tongbaishan", "mountain/dabieshan",
        },
    }  # fmt: skip
    assert {id_: facts["alongRiver"] for id_, facts in of_class("EcologicalCorridor").items()} == {
        "ecology/corridor/nanshui-beidiao": {"river/nanshui-beidiao-zhongxian"},
        "ecology/corridor/huanghe": {"river/huanghe"},
        "ecology/corridor/mingqing-huanghe-gudao": {"river/mingqing-huanghe-gudao"},
        "ecology/corridor/huaihe": {"river/huaihe"},
    }


def test_the_five_soil_conservation_areas() -> None:
    works = {
        id_: facts
        for id_, facts in ENTITIES.items()
        if id_.startswith("project/soil-conservation/")
    }
    assert values(works, "hasStage") == {"stage:shishi"}
    assert values(works, "locatedIn") | values(works, "onMountain") == {
        "region/huangtu-gaoyuan-gouhe-qiulingqu", "region/yuxi-shanqu",
        "region/danjiangkou-kuqu", "mountain/taihangshan", "mountain/dabieshan",
    }  # fmt: skip
    assert len(works) == 5


def test_river_restorations_and_the_pilots_of_green_cities() -> None:
    assert values(of_class("WaterEcologyRestoration", "tuidong"), "alongRiver") == {
        "river/zhanghe", "river/qinhe", "river/sushuihe",
    }  # fmt: skip
    circular = of_class("CircularEconomyDemonstration", "zhichi")
    assert values(circular, "designatedPlace") == {"city/hebi", "city/luoyang", "city/xinxiang"}
    assert len(circular) == 3
    # No forest city, low-carbon city or water-saving city is named: no such designation exists.
    assert not of_class("ForestCity")
    assert set(of_class("CircularEconomyDemonstration")) == set(circular)


def test_the_three_historic_cultural_cities_and_the_heritage_sites() -> None:
    cities = of_class("HistoricCulturalCity", "jiaqiang")
    assert values(cities, "designatedPlace") == {"city/luoyang", "city/zhengzhou", "city/kaifeng"}
    assert zh_labels(of_class("HeritageSite")) == {
        "长城",
        "大运河",
        "丝绸之路",
        "淮海战役总前委旧址",
    }
    assert zh_labels(of_class("MuseumProject", "tuijin")) == {
        "二里头夏朝遗址博物馆", "中原考古博物院",
    }  # fmt: skip


def test_the_thirteen_local_operas_and_the_revival_project(document: text.Document) -> None:
    operas = of_class("OperaGenre")
    assert zh_labels(operas) == OPERAS
    assert len(operas) == 13
    for record in RAW:
        if record["a"] == "OperaGenre":
            (quote,) = record_quotes(record)
            assert record["label"]["zh"] in locate(document, quote).text
    assert ENTITIES["project/culture/local-opera-revival"]["relatedTo"] == set(operas)
    assert ENTITIES["project/culture/mingjia-chuanxi"]["relatedTo"] == set(operas)


def test_the_six_cultural_traditions() -> None:
    assert zh_labels(of_class("CulturalTradition")) == {
        "儒家文化", "道家文化", "中华姓氏", "关公文化", "功夫文化", "中医药文化",
    }  # fmt: skip


def test_the_reading_project_and_its_parts() -> None:
    parts = {
        id_: facts
        for id_, facts in ENTITIES.items()
        if "project/culture/national-reading" in facts["partOfProject"]
    }
    assert zh_labels(parts) == {
        "“书香中原”", "社区阅读中心", "农家书屋", "公共数字阅读终端", "城乡阅报栏（屏）",
        "实体书店", "儿童读书报发放计划", "市民阅读发放计划", "盲文出版工程",
    }  # fmt: skip


def test_the_mechanisms_of_ecology_and_culture() -> None:
    assert zh_labels(of_class("CooperationMechanism")) == {
        "跨区域生态文明建设联动机制", "生态建设协调联动机制", "横向生态补偿机制",
        "大气污染联防联控协作机制和合作平台", "区域大气污染应急预警机制",
        "水污染政策调控及利益协调机制和监测信息共享机制", "环境污染赔偿机制",
        "政府购买服务、惠民工程、体育赛事、文化市场合作机制", "戏曲专业人才培养机制",
    }  # fmt: skip
    assert ENTITIES["mechanism/horizontal-ecological-compensation"]["hasStage"] == {"stage:tansuo"}


# ── the same facts, asked of the built graph (facts + inferences) ──────────────────────────

PREFIXES = """
PREFIX zy: <https://w3id.org/zhongyuan-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
BASE = "https://w3id.org/zhongyuan-kg/id/"
PARTS = ("plan/ch07", "plan/box08", "plan/ch08/s01", "plan/box09")


@pytest.fixture(scope="module")
def store(built: BuildReport) -> Store:
    store = Store()
    store.load(path=str(built.dist / "graph.nq"), format=RdfFormat.N_QUADS)
    return store


def zh(store: Store, where: str) -> set[str]:
    """The Chinese labels of the ?x the pattern finds, over all named graphs."""
    query = f"{PREFIXES} SELECT DISTINCT ?label WHERE {{ {where} ?x rdfs:label ?label . "
    query += 'FILTER(lang(?label) = "zh") }'
    return {row["label"].value for row in store.query(query, use_default_graph_as_union=True)}


def test_built_graph_the_network_its_mountains_and_rivers(store: Store) -> None:
    network = f"<{BASE}ecology/network>"
    assert zh(store, f"?b zy:partOfNetwork {network} ; zy:onMountain ?x .") == {
        "太行山", "伏牛山", "桐柏—大别山", "桐柏山", "大别山",
    }  # fmt: skip
    assert zh(store, f"?c zy:partOfNetwork {network} ; zy:alongRiver ?x .") == {
        "南水北调中线", "黄河", "明清黄河故道", "淮河",
    }  # fmt: skip


def test_built_graph_designated_cities_of_green_and_culture_pilots(store: Store) -> None:
    assert zh(store, "?d a zy:CircularEconomyDemonstration ; zy:designatedPlace ?x .") == {
        "鹤壁", "洛阳", "新乡",
    }  # fmt: skip
    assert zh(store, "?x zy:hasDesignation ?d . ?d a zy:HistoricCulturalCity .") == {
        "洛阳", "郑州", "开封",
    }  # fmt: skip


def test_built_graph_operas_linked_from_the_revival_project(store: Store) -> None:
    revival = f"<{BASE}project/culture/local-opera-revival>"
    assert zh(store, f"{revival} zy:relatedTo ?x . ?x a zy:OperaGenre .") == OPERAS


def test_built_graph_every_record_cites_its_own_part_of_the_plan(store: Store) -> None:
    values = " ".join(f"<{BASE}{part}>" for part in PARTS)
    query = f"""{PREFIXES}
    SELECT DISTINCT ?x WHERE {{
      ?x zy:hasCitation/zy:citedPassage/dcterms:isPartOf+ ?part .
      VALUES ?part {{ {values} }}
    }}"""
    cited = {
        row["x"].value.removeprefix(BASE)
        for row in store.query(query, use_default_graph_as_union=True)
    }
    assert {record["id"] for record in RAW} - cited == set()
