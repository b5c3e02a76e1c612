"""The opening-up (ch. 9) and public-service (ch. 8 §2–4) records say what the plan says, quoted."""

from __future__ import annotations

from records import Curated, read_records, solution_set, zh_labels

from zhongyuan_kg.graph.build import BuildReport

FILES = ("ch08-services.yaml", "ch09-opening.yaml")
PLACE_KEYS = ("locatedIn", "involvesPlace", "designatedPlace")
# Entities defined in other files (other curators' or part B's industry files) that ch. 9 extends.
EXTENDED_ELSEWHERE = {
    "corridor/new-eurasian-land-bridge",
    "project/freight-train/zhengzhou-europe",
    "industry/modern-services",
    "base/intelligent-terminals",
}
STAGED_PREFIXES = ("project/", "designation/", "platform/", "mechanism/")

PART = Curated(*FILES)
ENTITIES = PART.entities
DEFINED = PART.defined
of_class = PART.of_class
label = PART.zh_label


def test_every_quote_is_verbatim_in_one_passage() -> None:
    assert PART.misquoted() == []


def test_each_id_is_defined_once_with_class_labels_and_quote() -> None:
    assert PART.definition_problems() == []
    assert PART.extended - DEFINED == EXTENDED_ELSEWHERE


def test_every_project_designation_and_platform_has_a_stage_and_a_place() -> None:
    for id_ in DEFINED:
        if id_.startswith(STAGED_PREFIXES):
            facts = ENTITIES[id_]
            assert facts["hasStage"], id_
            assert any(facts[key] for key in PLACE_KEYS), id_


def test_the_free_trade_zones() -> None:
    zones = {
        id_: (label(id_), facts["locatedIn"], facts["hasStage"])
        for id_, facts in of_class("FreeTradeZone").items()
    }
    assert zones == {
        "platform/henan-ftz": (
            "中国（河南）自由贸易试验区",
            {"province/henan"},
            {"stage:tuijin"},
        ),
        "platform/anhui-ftz": ("安徽自由贸易试验区", {"province/anhui"}, {"stage:tuidong"}),
        "platform/shanghai-ftz": (
            "上海自由贸易试验区",
            {"place/shanghai"},
            {"stage:fuzhi-tuiguang"},
        ),
    }


def test_the_opening_up_platforms_in_zhengzhou() -> None:
    in_zhengzhou = {
        id_
        for id_, facts in ENTITIES.items()
        if id_.startswith("platform/") and "city/zhengzhou" in facts["locatedIn"]
    }
    assert in_zhengzhou == {
        "platform/zhengzhou-cross-border-ecommerce-zone",
        "platform/sino-german-high-end-equipment-park",
        "platform/air-port/zhengzhou",
        "platform/international-land-port/zhengzhou",
    }
    assert ENTITIES["platform/zhengzhou-cross-border-ecommerce-zone"]["a"] == {
        "CrossBorderECommerceZone"
    }
    assert ENTITIES["platform/international-land-port/zhengzhou"]["a"] == {"InternationalLandPort"}
    assert ENTITIES["platform/sino-german-high-end-equipment-park"]["relatedTo"] == {
        "country/germany"
    }


def test_the_designations_of_zhengzhou() -> None:
    designations = {
        id_: facts["hasStage"]
        for id_, facts in ENTITIES.items()
        if facts["designatedPlace"] == {"city/zhengzhou"}
    }
    assert designations == {
        "designation/air-silk-road-node/zhengzhou": {"stage:dazao"},
        "designation/service-outsourcing/zhengzhou": {"stage:jiakuai-tuijin"},
        "designation/air-rail-intermodal-pilot/zhengzhou": {"stage:yanjiu-kaizhan"},
        "designation/72h-visa-free-transit/zhengzhou": {"stage:zhichi"},
        "designation/departure-tax-refund/zhengzhou": {"stage:zhichi"},
    }
    assert ENTITIES["designation/service-outsourcing/zhengzhou"]["a"] == {"ServiceOutsourcingCity"}


def test_the_international_economic_corridors() -> None:
    corridors = {id_: facts["passesThrough"] for id_, facts in of_class("EconomicCorridor").items()}
    assert corridors == {
        "corridor/china-mongolia-russia": {"country/china", "country/mongolia", "country/russia"},
        "corridor/china-central-asia-west-asia": {
            "country/china",
            "region/zhongya",
            "region/xiya",
        },
    }


def test_the_events_and_what_they_relate_to() -> None:
    events = {label(id_): facts["relatedTo"] for id_, facts in of_class("Event").items()}
    assert events == {
        "区域性体育赛事": {"agglomeration/zhongyuan"},
        "国际性会议（展）": {"agglomeration/zhongyuan"},
        "河南国际投资贸易洽谈会": {"province/henan"},
        "中国国际徽商大会": {"province/anhui"},
        "郑州产业转移系列对接活动": {"city/zhengzhou", "event/industry-transfer-matchmaking"},
    }
    assert not any(facts["hasStage"] for facts in of_class("Event").values())


def test_regional_cooperation_partners() -> None:
    partners = {
        id_.removeprefix("mechanism/cooperation/"): facts["involvesPlace"]
        for id_, facts in ENTITIES.items()
        if id_.startswith("mechanism/cooperation/")
    }
    zhongyuan = "agglomeration/zhongyuan"
    assert partners == {
        "jingjinji": {zhongyuan, "region/jingjinji"},
        "changsanjiao": {zhongyuan, "region/changsanjiao"},
        "zhusanjiao": {zhongyuan, "region/zhusanjiao"},
        "dongbei": {zhongyuan, "region/dongbei"},
        "changjiang-zhongyou": {zhongyuan, "agglomeration/changjiang-zhongyou"},
        "chengyu": {zhongyuan, "agglomeration/chengyu"},
        "guanzhong-pingyuan": {zhongyuan, "agglomeration/guanzhong-pingyuan"},
        "jinshanyu-huanghe-jinsanjiao": {
            "city/sanmenxia",
            "city/yuncheng",
            "region/jinshanyu-huanghe-jinsanjiao",
        },
        "jingjinji-zhongyuan-linkage": {
            "city/anyang",
            "city/liaocheng",
            "city/xingtai",
            "city/handan",
            "region/jingjinji",
            zhongyuan,
        },
        "huaihe-eco-economic-belt": {"region/huaihe-shengtai-jingjidai"},
        "hanjiang-eco-economic-belt": {"region/hanjiang-shengtai-jingjidai"},
        "dabieshan-old-revolutionary-area": {"region/dabieshan-laoqu"},
    }


def test_bonded_zones_and_customs_areas_name_no_place() -> None:
    customs = {
        label(id_): facts["hasStage"]
        for id_, facts in ENTITIES.items()
        if facts["a"] & {"ComprehensiveBondedZone", "BondedLogisticsCentre", "OpeningUpPlatform"}
        and facts["locatedIn"] == {"agglomeration/zhongyuan"}
    }
    assert customs == {
        "海关特殊监管区域": {"stage:jiakuai"},
        "保税监管场所": {"stage:jiakuai"},
        "综合保税区": {"stage:zhichi"},
        "保税物流中心": {"stage:zhichi"},
    }


def test_chapter_nine_extends_the_freight_train_and_the_terminal_base() -> None:
    assert ENTITIES["project/freight-train/zhengzhou-europe"]["hasStage"] == {"stage:tuijin"}
    assert ENTITIES["base/intelligent-terminals"]["hasStage"] == {"stage:dazao"}
    routes = ENTITIES["project/air-route/zhengzhou-international-network"]
    assert routes["hasStage"] == {"stage:wanshan", "stage:tuidong"}
    assert routes["relatedTo"] == {"project/airport/zhengzhou-xinzheng"}


def test_the_health_projects() -> None:
    assert zh_labels(of_class("HealthProject")) == {
        "市级综合医院",
        "紧缺型专科医院",
        "县级医院",
        "基层医疗卫生机构",
        "区域医疗联合体",
        "阜外华中心血管病医院",
        "区域性医疗中心",
        "区域人口健康信息平台",
        "医疗健康服务小镇（区）",
        "健康城市健康村镇",
    }
    fuwai = ENTITIES["project/health/fuwai-central-china-cardiovascular-hospital"]
    assert fuwai["partOfProject"] == {"project/health/regional-medical-centres"}
    assert fuwai["hasStage"] == {"stage:jianshe"}


def test_human_resources_education_and_social_security() -> None:
    assert zh_labels(of_class("HumanResourcesProject")) == {
        "全民技能振兴工程",
        "终身职业技能培训制度",
        "职业技能培训基地",
        "新生代农民工职业技能提升计划",
        "跨区域技能培训项目",
        "中国（中原）人力资源服务产业园区",
        "公共就业信息服务平台",
    }
    assert zh_labels(of_class("EducationProject")) == {
        "高水平中外合作大学",
        "中外合作办学机构",
        "一流大学和一流学科建设",
        "职业教育园区",
        "区域性技术技能人才培养培训基地",
        "特色职业教育基地",
        "职业教育集团",
    }
    assert zh_labels(of_class("SocialSecurityProject")) == {
        "全民参保登记计划",
        "基本医保异地就医结算",
        "跨省域社会救助信息系统",
    }
    assert of_class("SocialSecurityProject", "jianli").keys() == {
        "project/social-security/cross-provincial-social-assistance-system"
    }


def test_pilots_whose_place_the_plan_does_not_name_are_programmes() -> None:
    assert set(of_class("PilotProgramme", "kaizhan")) == {
        "project/pilot/cross-border-ecommerce-service"
    }
    assert set(of_class("PilotProgramme", "zhichi")) == {"project/pilot/trade-diversification"}


def test_counts_per_file() -> None:
    counts = {
        name: sum(1 for record in read_records(name) if not record.get("extend")) for name in FILES
    }
    assert counts == {"ch08-services.yaml": 31, "ch09-opening.yaml": 54}


# ── The same answers asked of the built graph (facts, provenance and inferences) ──────────────


def test_built_graph_free_trade_zones_and_their_provinces(built: BuildReport) -> None:
    found = solution_set(
        built,
        """SELECT ?zone ?province WHERE {
             ?zone a zy:FreeTradeZone ; zy:locatedIn ?province . ?province a zy:Province }""",
    )
    assert found == {
        ("platform/henan-ftz", "province/henan"),
        ("platform/anhui-ftz", "province/anhui"),
    }


def test_built_graph_designations_zhengzhou_gets_in_chapter_nine(built: BuildReport) -> None:
    found = solution_set(
        built,
        """SELECT ?designation WHERE {
             <https://w3id.org/zhongyuan-kg/id/city/zhengzhou> zy:hasDesignation ?designation .
             ?designation zy:hasCitation/zy:citedPassage/dcterms:isPartOf+
                          <https://w3id.org/zhongyuan-kg/id/plan/ch09> }""",
    )
    assert {designation for (designation,) in found} == {
        "designation/air-silk-road-node/zhengzhou",
        "designation/service-outsourcing/zhengzhou",
        "designation/air-rail-intermodal-pilot/zhengzhou",
        "designation/72h-visa-free-transit/zhengzhou",
        "designation/departure-tax-refund/zhengzhou",
    }


def test_built_graph_cooperation_with_beijing_tianjin_hebei(built: BuildReport) -> None:
    found = solution_set(
        built,
        """SELECT ?mechanism WHERE {
             ?mechanism a zy:CooperationMechanism ;
                        zy:involvesPlace <https://w3id.org/zhongyuan-kg/id/region/jingjinji> }""",
    )
    assert {mechanism for (mechanism,) in found} == {
        "mechanism/cooperation/jingjinji",
        "mechanism/cooperation/jingjinji-zhongyuan-linkage",
    }


def test_built_graph_events_are_not_projects(built: BuildReport) -> None:
    events = solution_set(
        built,
        """SELECT ?event WHERE {
             ?event a zy:Event ; zy:hasCitation/zy:citedPassage/dcterms:isPartOf+ ?chapter .
             VALUES ?chapter { <https://w3id.org/zhongyuan-kg/id/plan/ch08>
                               <https://w3id.org/zhongyuan-kg/id/plan/ch09> } }""",
    )
    assert {event for (event,) in events} == set(of_class("Event"))
    assert solution_set(built, "SELECT ?event WHERE { ?event a zy:Event, zy:Project }") == set()


def test_built_graph_health_projects_of_chapter_eight(built: BuildReport) -> None:
    found = solution_set(
        built,
        """SELECT ?zh WHERE {
             ?project a zy:HealthProject ; rdfs:label ?zh FILTER (lang(?zh) = "zh")
             ?project zy:hasCitation/zy:citedPassage/dcterms:isPartOf+
                      <https://w3id.org/zhongyuan-kg/id/plan/ch08/s02> }""",
    )
    assert {zh for (zh,) in found} == zh_labels(of_class("HealthProject"))
