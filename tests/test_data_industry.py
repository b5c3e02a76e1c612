"""The innovation and industry records (ch. 4, ch. 5, 专栏 1–3) say what the plan says, quoted."""

from __future__ import annotations

from collections import defaultdict

from records import ID, Curated, solution_set, zh_labels

from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.namespaces import PREFIXES

FILES = (
    "ch04-innovation.yaml",
    "ch05-industry.yaml",
    "box01-manufacturing.yaml",
    "box02-emerging.yaml",
    "box03-services.yaml",
)
PLACE_KEYS = ("locatedIn", "involvesPlace", "designatedPlace", "alongRiver", "onMountain")
# Entities other curators define that these files only extend.
EXTENDED_ELSEWHERE = {"industry/biomedicine", "industry/electronic-information", "industry/tourism"}
# Kinds of entity that must carry the plan's verb and a place.
STAGED_PREFIXES = ("project/", "designation/", "platform/", "fund/", "mechanism/")

PART = Curated(*FILES)
ENTITIES = PART.entities
DEFINED = PART.defined
of_class = PART.of_class


def parts_of(cluster: str) -> set[str]:
    return {id_ for id_, facts in ENTITIES.items() if cluster in facts["partOfCluster"]}


def test_every_quote_is_verbatim_in_one_passage() -> None:
    assert PART.misquoted() == []


def test_each_id_is_defined_once_with_class_labels_and_quote() -> None:
    assert PART.definition_problems() == []
    assert PART.extended - DEFINED == EXTENDED_ELSEWHERE


def test_every_project_designation_and_platform_has_a_stage_and_a_place() -> None:
    for id_ in DEFINED:
        if id_.startswith(STAGED_PREFIXES) and id_ != "platform/zhengzhou-airport-economy-zone":
            facts = ENTITIES[id_]
            assert facts["hasStage"], id_
            assert any(facts[key] for key in PLACE_KEYS), id_


def test_links_between_these_records_resolve() -> None:
    own_prefixes = ("cluster/", "base/", "platform/", "project/", "fund/", "mechanism/", "org/")
    for id_, facts in ENTITIES.items():
        for key in ("partOfCluster", "partOfProject", "relatedTo"):
            for target in facts[key]:
                if (
                    target.startswith(own_prefixes)
                    and target != "project/airport/zhengzhou-xinzheng"
                ):
                    assert target in DEFINED, (id_, key, target)


def test_the_shared_innovation_platforms_and_where_they_are() -> None:
    expected = {
        "platform/zheng-luo-xin-innovation-zone": (
            "InnovationPlatform",
            {"city/zhengzhou", "city/luoyang", "city/xinxiang"},
            {"stage:jiakuai-tuijin"},
        ),
        "platform/he-wu-bang-innovation-zone": (
            "InnovationPlatform",
            {"place/hefei", "place/wuhu", "city/bengbu"},
            {"stage:yituo"},
        ),
        "platform/zhengzhou-airport-economy-zone": (
            "AirportEconomyZone",
            {"city/zhengzhou"},
            set(),
        ),
    }
    for id_, (cls, located, stages) in expected.items():
        facts = ENTITIES[id_]
        assert facts["a"] == {cls}
        assert facts["locatedIn"] == located
        assert facts["hasStage"] == stages


def test_designations_of_chapter_four_and_five() -> None:
    designations = {
        id_: (facts["a"], facts["designatedPlace"], facts["hasStage"])
        for id_, facts in ENTITIES.items()
        if id_.startswith("designation/") and facts["designatedPlace"]
    }
    assert designations == {
        "designation/sci-tech-finance/zhengzhou": (
            {"SciTechFinancePilot"},
            {"city/zhengzhou"},
            {"stage:jiakuai-tuijin"},
        ),
        "designation/military-civil-fusion/luoyang": (
            {"MilitaryCivilFusionZone"},
            {"city/luoyang"},
            {"stage:zhichi"},
        ),
        "designation/famous-food-city/luohe": (
            {"FamousFoodCity"},
            {"city/luohe"},
            {"stage:zhichi"},
        ),
        "designation/national-grain-production-base/zhongyuan": (
            {"OtherPilotDesignation"},
            {"agglomeration/zhongyuan"},
            {"stage:tisheng"},
        ),
        "designation/comprehensive-innovation-reform-pilot/he-wu-bang": (
            {"OtherPilotDesignation"},
            {"place/hefei", "place/wuhu", "city/bengbu"},
            {"stage:shenru-tuijin"},
        ),
    }
    assert all(
        facts["designatedPlace"]
        for id_, facts in ENTITIES.items()
        if id_.startswith("designation/")
    )


def test_pilots_whose_place_the_plan_does_not_name_are_programmes() -> None:
    pilots = {id_: facts["hasStage"] for id_, facts in of_class("PilotProgramme").items()}
    assert pilots == {
        "project/pilot/national-innovative-cities": {"stage:jiakuai-tuijin"},
        "project/pilot/small-business-innovation-demo-cities": {"stage:zhichi"},
        "project/pilot/investment-loan-linkage": {"stage:zhengqu"},
        "project/pilot/patent-insurance": {"stage:zhichi"},
        "project/pilot/national-industry-transfer-demo-zone": {"stage:zhichi"},
    }
    assert all(
        facts["locatedIn"] == {"agglomeration/zhongyuan"}
        for facts in of_class("PilotProgramme").values()
    )


def test_the_platforms_chapter_four_places_in_zhengzhou() -> None:
    in_zhengzhou = {
        PART.zh_label(id_)
        for id_, facts in of_class("InnovationPlatform").items()
        if facts["locatedIn"] == {"city/zhengzhou"}
    }
    assert in_zhengzhou == {
        "郑州航空港经济综合实验区双创示范基地",
        "国家技术转移郑州中心",
        "郑州航空港引智试验区",
        "郑州高新区国家级高层次人才创新创业基地",
        "中科院产业技术创新和育成中心",
    }
    assert ENTITIES["platform/cas-zhengzhou-innovation-incubation-centre"]["relatedTo"] == {
        "org/cas"
    }
    assert ENTITIES["project/hr/technology-transfer-zhengzhou-centre-talent-base"][
        "partOfProject"
    ] == {"platform/national-technology-transfer-zhengzhou-centre"}


def test_the_ten_cities_of_the_strategic_emerging_industry_clusters() -> None:
    cluster = ENTITIES["cluster/strategic-emerging"]
    assert cluster["locatedIn"] == {
        "city/zhengzhou", "city/luoyang", "city/xinxiang", "city/nanyang", "city/bengbu",
        "city/liaocheng", "city/handan", "city/xingtai", "city/yuncheng", "city/changzhi",
    }  # fmt: skip
    assert cluster["hasStage"] == {"stage:peiyu"}
    assert cluster["hasIndustryFocus"] == {
        "industry/biomedicine", "industry/advanced-materials", "industry/robotics",
        "industry/new-energy", "industry/new-energy-vehicles",
    }  # fmt: skip


def test_the_strategic_emerging_industries() -> None:
    assert zh_labels(of_class("StrategicEmergingIndustry")) == {
        "新能源", "先进材料", "机器人", "新能源汽车", "基因检测",
    }  # fmt: skip


def test_the_clusters_of_box_one() -> None:
    assert parts_of("cluster/equipment-manufacturing") == {
        "base/intelligent-equipment", "base/bus-manufacturing", "cluster/specialty-auto-parts",
    }  # fmt: skip
    assert zh_labels({id_: ENTITIES[id_] for id_ in parts_of("cluster/consumer-goods")}) == {
        "千亿级食品产业集群", "中高端服装产业集群", "环保家居产业集群", "智能家电产业集群",
        "制鞋产业集群", "箱包产业集群", "发制品产业集群", "贵金属与珠宝玉石产业集群",
    }  # fmt: skip
    assert zh_labels({id_: ENTITIES[id_] for id_ in parts_of("cluster/fine-raw-materials")}) == {
        "精品钢产业基地", "石油化工基地", "氯碱化工基地", "硝酸化工基地", "铝深加工产业集群",
        "精品陶瓷产业集群", "特种玻璃产业集群", "非金属矿物制品产业集群",
    }  # fmt: skip
    assert ENTITIES["cluster/food-100-billion"]["hasIndustryFocus"] == {
        "industry/food", "industry/cold-chain-food", "industry/flour-products",
        "industry/meat-products", "industry/snack-food", "industry/beverages",
        "industry/edible-oils", "industry/fruit-and-vegetable-products",
    }  # fmt: skip


def test_the_electronic_information_clusters_of_box_two() -> None:
    parts = parts_of("cluster/electronic-information")
    by_stage: dict[str, set[str]] = defaultdict(set)
    for id_ in parts:
        (stage,) = ENTITIES[id_]["hasStage"]
        by_stage[stage] |= ENTITIES[id_]["zh"]
    assert by_stage == {
        "stage:jianshe": {
            "智能终端研发生产基地", "电子终端产业集群", "可穿戴设备产业集群", "网络通信产业集群",
            "半导体照明产业集群", "数字视听产业集群", "北斗导航定位产业集群",
        },
        "stage:peiyu": {
            "高端软件产业集群", "信息安全产业集群", "物联网产业集群", "云计算产业集群",
            "大数据产业集群",
        },
    }  # fmt: skip


def test_the_bases_of_the_emerging_industries() -> None:
    bases = {
        id_: facts["partOfCluster"]
        for id_, facts in of_class("IndustrialBase").items()
        if facts["partOfCluster"] & parts_of("cluster/strategic-emerging")
    }
    assert bases == {
        "base/biomedicine": {"cluster/biomedicine"},
        "base/modern-chinese-medicine": {"cluster/biomedicine"},
        "base/specialty-new-materials": {"cluster/advanced-materials"},
        "base/intelligent-robot-manufacturing": {"cluster/robotics"},
        "base/new-energy-vehicle-rd-manufacturing": {"cluster/new-energy-vehicles"},
    }


def test_the_nine_cross_provincial_tourism_resources() -> None:
    resources = of_class("TourismProject", "kaifa")
    features = {
        key: {feature for facts in resources.values() for feature in facts[key]}
        for key in ("alongRiver", "onMountain", "locatedIn", "involvesPlace")
    }
    assert len(resources) == 9
    assert features == {
        "alongRiver": {
            "river/huanghe", "river/mingqing-huanghe-gudao", "river/suitang-yunhe",
            "river/jinghang-yunhe",
        },
        "onMountain": {"mountain/taihangshan", "mountain/funiushan", "mountain/tongbai-dabieshan"},
        "locatedIn": {"basin/huaihe"},
        "involvesPlace": {"river/nanshui-beidiao-zhongxian"},
    }  # fmt: skip
    assert set(of_class("TourismProject", "yanjiu-jianshe")) == {
        "project/tourism/zhongyuan-landscape-resort"
    }


def test_the_cultural_industry_parks() -> None:
    named = {
        PART.zh_label(id_): facts["locatedIn"]
        for id_, facts in of_class("CulturalIndustryPark", "jiakuai").items()
    }
    assert named == {
        "开封宋都古城国家级文化产业园区": {"city/kaifeng"},
        "蚌埠大禹国家级文化产业示范园区": {"city/bengbu"},
    }
    assert len(of_class("CulturalIndustryPark")) == 4


def test_the_services_of_box_three_in_zhengzhou() -> None:
    in_zhengzhou = {
        id_ for id_, facts in ENTITIES.items() if facts["locatedIn"] == {"city/zhengzhou"}
    }
    assert in_zhengzhou & {id_ for id_ in DEFINED if id_.startswith("project/")} == {
        "project/logistics/zhengzhou-international-logistics-centre",
        "project/finance/zhengdong-financial-core-area",
        "project/finance/zhengzhou-commodity-exchange-innovation-opening",
        "project/hr/technology-transfer-zhengzhou-centre-talent-base",
    }
    assert ENTITIES["org/zhengzhou-commodity-exchange"]["a"] == {"org:Organization"}


def test_the_five_agricultural_belts() -> None:
    belts = of_class("IndustryCluster", "goujian")
    assert zh_labels(belts) == {
        "优质奶业产业带", "小麦产业带", "瓜果产业带", "花生产业带", "专用玉米产业带",
    }  # fmt: skip
    assert all(facts["partOfCluster"] == {"cluster/modern-agriculture"} for facts in belts.values())


def test_counts_per_kind() -> None:
    counts = {
        cls: len(of_class(cls))
        for cls in ("IndustryCluster", "IndustrialBase", "InnovationPlatform", "Industry")
    }
    assert counts == {
        "IndustryCluster": 42,
        "IndustrialBase": 18,
        "InnovationPlatform": 36,
        "Industry": 119,
    }


# ── The same answers asked of the built graph (facts, provenance and inferences) ──────────────

PARTS = ("plan/ch04", "plan/ch05", "plan/box01", "plan/box02", "plan/box03")


def test_built_graph_places_the_emerging_clusters_in_ten_prefecture_cities(
    built: BuildReport,
) -> None:
    cities = solution_set(
        built,
        f"""SELECT ?city WHERE {{
              <{ID}cluster/strategic-emerging> zy:locatedIn ?city .
              ?city a zy:PrefectureLevelCity }}""",
    )
    assert {city for (city,) in cities} == ENTITIES["cluster/strategic-emerging"]["locatedIn"]


def test_built_graph_gives_the_cities_their_designations(built: BuildReport) -> None:
    found = solution_set(
        built,
        """SELECT ?city ?kind WHERE {
             VALUES ?kind { zy:MilitaryCivilFusionZone zy:SciTechFinancePilot zy:FamousFoodCity }
             ?city zy:hasDesignation ?designation . ?designation a ?kind }""",
    )
    assert found == {
        ("city/luoyang", PREFIXES["zy"] + "MilitaryCivilFusionZone"),
        ("city/zhengzhou", PREFIXES["zy"] + "SciTechFinancePilot"),
        ("city/luohe", PREFIXES["zy"] + "FamousFoodCity"),
    }


def test_built_graph_reasons_the_pilots_are_projects_to_promote(built: BuildReport) -> None:
    found = solution_set(
        built, "SELECT ?pilot WHERE { ?pilot a zy:PilotProgramme, zy:ProjectToPromote }"
    )
    assert {
        "project/pilot/national-innovative-cities",
        "project/pilot/small-business-innovation-demo-cities",
        "project/pilot/investment-loan-linkage",
        "project/pilot/patent-insurance",
        "project/pilot/national-industry-transfer-demo-zone",
    } <= {pilot for (pilot,) in found}


def test_built_graph_keeps_the_industry_hierarchy(built: BuildReport) -> None:
    found = solution_set(
        built,
        f"""SELECT ?zh WHERE {{
              ?industry skos:broader+ <{ID}industry/advanced-materials> ;
                        rdfs:label ?zh FILTER (lang(?zh) = "zh") }}""",
    )
    assert {zh for (zh,) in found} == {
        "特种功能材料", "电子功能材料", "生物基材料", "新能源电池材料", "超硬材料",
        "高强高模碳纤维", "高性能镁合金及精深加工", "玻璃深加工及镀膜玻璃", "钨钼战略材料",
        "高性能新型铝镁合金", "前沿性材料", "石墨烯", "纳米材料", "超材料",
    }  # fmt: skip


def test_built_graph_cites_every_record_in_its_own_part_of_the_plan(built: BuildReport) -> None:
    cited = solution_set(
        built,
        """SELECT ?entity ?part WHERE {
             ?entity zy:hasCitation/zy:citedPassage/dcterms:isPartOf ?part .
             ?part a zy:Chapter }""",
    ) | solution_set(
        built,
        """SELECT ?entity ?part WHERE {
             ?entity zy:hasCitation/zy:citedPassage/dcterms:isPartOf ?part . ?part a zy:Box }""",
    )
    parts: dict[str, set[str]] = defaultdict(set)
    for entity, part in cited:
        parts[entity].add(part)
    assert {id_ for id_ in DEFINED if not parts[id_] & set(PARTS)} == set()
