"""Records of ch. 7 with 专栏 8 and ch. 8 §1 with the culture box match the plan."""

from __future__ import annotations

from records import ID, Curated, cited_in, values_of, zh_labels, zh_labels_where

from zhongyuan_kg.graph import text
from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.graph.quotes import locate, record_quotes

FILES = ("ch07-ecology.yaml", "box08-ecology.yaml", "ch08-culture.yaml", "box09-culture.yaml")
PLACE_KEYS = ("locatedIn", "inProvince", "hasTerminus", "passesThrough", "involvesPlace")
OPERAS = {
    "豫剧", "晋剧", "蒲剧", "曲剧", "越调", "宛梆", "上党梆子", "泗州戏", "坠子戏", "二夹弦",
    "山东梆子", "大平调", "枣梆",
}  # fmt: skip

PART = Curated(*FILES)
ENTITIES = PART.entities
of_class = PART.of_class


def test_every_quote_is_verbatim_in_one_passage() -> None:
    assert PART.misquoted() == []


def test_each_id_is_defined_once_with_class_labels_and_quote() -> None:
    assert not PART.extended
    assert PART.definition_problems() == []


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
    assert values_of(works, "hasStage") == {"stage:shishi"}
    assert values_of(works, "locatedIn") | values_of(works, "onMountain") == {
        "region/huangtu-gaoyuan-gouhe-qiulingqu", "region/yuxi-shanqu",
        "region/danjiangkou-kuqu", "mountain/taihangshan", "mountain/dabieshan",
    }  # fmt: skip
    assert len(works) == 5


def test_river_restorations_and_the_pilots_of_green_cities() -> None:
    assert values_of(of_class("WaterEcologyRestoration", "tuidong"), "alongRiver") == {
        "river/zhanghe", "river/qinhe", "river/sushuihe",
    }  # fmt: skip
    circular = of_class("CircularEconomyDemonstration", "zhichi")
    assert values_of(circular, "designatedPlace") == {"city/hebi", "city/luoyang", "city/xinxiang"}
    assert len(circular) == 3
    # No forest city, low-carbon city or water-saving city is named: no such designation exists.
    assert not of_class("ForestCity")
    assert set(of_class("CircularEconomyDemonstration")) == set(circular)


def test_the_three_historic_cultural_cities_and_the_heritage_sites() -> None:
    cities = of_class("HistoricCulturalCity", "jiaqiang")
    assert values_of(cities, "designatedPlace") == {
        "city/luoyang",
        "city/zhengzhou",
        "city/kaifeng",
    }
    assert zh_labels(of_class("HeritageSite")) == {
        "长城",
        "大运河",
        "丝绸之路",
        "淮海战役总前委旧址",
    }
    assert zh_labels(of_class("MuseumProject", "tuijin")) == {
        "二里头夏朝遗址博物馆", "中原考古博物院",
    }  # fmt: skip


def test_the_thirteen_local_operas_and_the_revival_project() -> None:
    operas = of_class("OperaGenre")
    assert zh_labels(operas) == OPERAS
    assert len(operas) == 13
    for record in PART.records:
        if record["a"] == "OperaGenre":
            (quote,) = record_quotes(record)
            assert record["label"]["zh"] in locate(text.load(), quote).text
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

PARTS = ("plan/ch07", "plan/box08", "plan/ch08/s01", "plan/box09")


def test_built_graph_the_network_its_mountains_and_rivers(built: BuildReport) -> None:
    network = f"<{ID}ecology/network>"
    assert zh_labels_where(built, f"?b zy:partOfNetwork {network} ; zy:onMountain ?x .") == {
        "太行山", "伏牛山", "桐柏—大别山", "桐柏山", "大别山",
    }  # fmt: skip
    assert zh_labels_where(built, f"?c zy:partOfNetwork {network} ; zy:alongRiver ?x .") == {
        "南水北调中线", "黄河", "明清黄河故道", "淮河",
    }  # fmt: skip


def test_built_graph_designated_cities_of_green_and_culture_pilots(built: BuildReport) -> None:
    circular = "?d a zy:CircularEconomyDemonstration ; zy:designatedPlace ?x ."
    assert zh_labels_where(built, circular) == {"鹤壁", "洛阳", "新乡"}
    assert zh_labels_where(built, "?x zy:hasDesignation ?d . ?d a zy:HistoricCulturalCity .") == {
        "洛阳", "郑州", "开封",
    }  # fmt: skip


def test_built_graph_operas_linked_from_the_revival_project(built: BuildReport) -> None:
    revival = f"<{ID}project/culture/local-opera-revival>"
    assert zh_labels_where(built, f"{revival} zy:relatedTo ?x . ?x a zy:OperaGenre .") == OPERAS


def test_built_graph_every_record_cites_its_own_part_of_the_plan(built: BuildReport) -> None:
    assert {record["id"] for record in PART.records} - cited_in(built, PARTS) == set()
