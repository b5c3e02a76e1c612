"""Records of ch. 6 §2–5 and 专栏 5–7 (information, energy, water, urban) match the plan."""

from __future__ import annotations

from typing import Any

from records import ID, Curated, cited_in, solutions, values_of, zh_labels, zh_labels_where

from zhongyuan_kg.graph.build import BuildReport

FILES = (
    "ch06-infrastructure.yaml",
    "box05-information.yaml",
    "box06-energy.yaml",
    "box07-water.yaml",
)
PLACE_KEYS = ("locatedIn", "inProvince", "hasTerminus", "passesThrough", "involvesPlace")

PART = Curated(*FILES)
ENTITIES = PART.entities
of_class = PART.of_class
designated = PART.designated


def located(cls: str, stage: str | None = None) -> set[str]:
    return values_of(of_class(cls, stage), "locatedIn")


def test_every_quote_is_verbatim_in_one_passage() -> None:
    assert PART.misquoted() == []


def test_each_id_is_defined_once_with_class_labels_and_quote() -> None:
    assert PART.definition_problems() == []
    assert PART.extended == {
        "platform/zhengzhou-cross-border-ecommerce-zone",
        "project/urban-rail/zhengzhou",
    }


def test_every_project_and_designation_has_a_stage_and_a_place() -> None:
    for id_, facts in ENTITIES.items():
        if id_.startswith(("project/", "designation/", "platform/", "mechanism/")):
            assert facts["hasStage"], id_
        if id_.startswith("designation/"):
            assert facts["designatedPlace"], id_
        elif id_.startswith(("project/", "platform/", "mechanism/")) and facts["a"]:
            assert any(facts[key] for key in PLACE_KEYS), id_


def test_the_seventeen_smart_city_pilots() -> None:
    assert designated("SmartCityPilot") == {
        "city/zhengzhou", "city/luoyang", "city/hebi", "city/luohe", "city/jiyuan",
        "city/xuchang", "city/bengbu", "city/huaibei", "city/bozhou", "city/suzhou-anhui",
        "city/fuyang", "city/heze", "city/liaocheng", "city/handan", "city/changzhi",
        "city/jincheng", "city/yuncheng",
    }  # fmt: skip
    assert len(of_class("SmartCityPilot")) == len(of_class("SmartCityPilot", "kaizhan")) == 17


def test_the_information_pilots_and_designations() -> None:
    assert designated("BroadbandChinaCity") == {
        "city/zhengzhou", "city/luoyang", "city/xinxiang", "city/shangqiu", "city/jiaozuo",
        "city/nanyang",
    }  # fmt: skip
    assert designated("FiveGPilot") == {"city/zhengzhou", "city/luoyang", "city/handan"}
    assert designated("ECommerceDemonstrationCity") == {
        "city/zhengzhou", "city/luoyang", "city/heze",
    }  # fmt: skip
    assert designated("BigDataHub") == {"city/zhengzhou", "city/luoyang"}
    assert designated("NextGenerationInternetCity") == {"city/zhengzhou"}
    assert located("QuantumNetworkProject", "zhichi") == {"city/zhengzhou", "city/suzhou-anhui"}
    assert located("BroadbandProject", "jiakuai") == {"city/handan"}  # “光网邯郸”
    assert located("BondedLogisticsCentre", "ke-shenqing-sheli") == {"city/liaocheng"}
    assert zh_labels(of_class("DataCentreProject", "tuijin")) == {
        "中原数据基地", "中国移动（河南）数据中心",
    }  # fmt: skip
    assert ENTITIES["designation/big-data-pilot-zone/henan"]["designatedPlace"] == {
        "province/henan"
    }


def test_the_nine_internet_plus_actions() -> None:
    parts = {
        id_ for id_, facts in ENTITIES.items() if "project/internet-plus" in facts["partOfProject"]
    }
    assert {id_.rsplit("/", 1)[1] for id_ in parts} == {
        "collaborative-manufacturing", "modern-agriculture", "smart-energy",
        "efficient-logistics", "inclusive-finance", "e-commerce", "public-services",
        "convenient-transport", "green-ecology",
    }  # fmt: skip


def test_the_broadband_target() -> None:
    target = ENTITIES["target/household-broadband-100m"]
    assert (target["targetValue"], target["unit"], target["comparator"]) == (
        {100},
        {"兆"},
        {"kind:at-least"},
    )


def test_the_coal_bases_keep_or_cut_output() -> None:
    assert located("EnergyProject", "youxu-jianshe") == {"coal-base/jinzhong", "coal-base/jindong"}
    assert located("EnergyProject", "kongzhi") == {"coal-base/jinzhong", "coal-base/jindong"}
    assert located("EnergyProject", "yasuo") == {
        "coal-base/luxi", "coal-base/jizhong", "coal-base/henan", "coal-base/lianghuai",
    }  # fmt: skip


def test_the_eleven_coal_bed_methane_projects_and_their_places() -> None:
    projects = {
        id_.rsplit("/", 1)[1]: facts["locatedIn"]
        for id_, facts in of_class("CoalBedMethaneProject", "shishi").items()
    }
    assert projects == {
        "pingdingshan": {"city/pingdingshan"},
        "zhengzhou": {"city/zhengzhou"},
        "jiaozuo": {"city/jiaozuo", "county/boai"},
        "hebi": {"city/hebi"},
        "sanmenxia": {"city/sanmenxia", "county/yima"},
        "handan": {"city/handan"},
        "xingtai": {"city/xingtai"},
        "huaibei": {"city/huaibei"},
        "changzhi": {
            "city/changzhi", "mining-area/huodong", "mining-area/luan", "mining-area/wuxia",
        },
        "jincheng": {"city/jincheng", "mining-area/mabi", "mining-area/shizhuangnan"},
        "heze": {"city/heze", "county/caoxian"},
    }  # fmt: skip


def test_refinery_fuel_and_coal_chemical_capacities_and_stages() -> None:
    def capacity(id_: str) -> tuple[set[Any], set[Any], set[Any]]:
        facts = ENTITIES[id_]
        return facts["capacityValue"], facts["capacityUnit"], facts["hasStage"]

    assert capacity("project/refinery/luoyang-petrochemical") == (
        {1800}, {"万吨/年"}, {"stage:shishi"},
    )  # fmt: skip
    assert capacity("project/refinery/shangqiu") == ({1000}, {"万吨/年"}, {"stage:yanjiu-tuijin"})
    assert capacity("project/refinery/dongming-petrochemical-expansion") == (
        {1200}, {"万吨/年"}, {"stage:yanjiu-tuijin"},
    )  # fmt: skip
    assert capacity("project/fuel/nanyang-straw-ethanol") == ({15}, {"万吨/年"}, {"stage:jianshe"})
    assert capacity("project/fuel/fengfeng-hydrocarbon-fuel") == (
        {300}, {"万吨"}, {"stage:jianshe"},
    )  # fmt: skip
    prepared = {**of_class("RefineryProject", "yanjiu-tuijin")}
    prepared |= of_class("CoalChemicalProject", "yanjiu-tuijin")
    assert zh_labels(prepared) == {
        "商丘 1000 万吨/年炼油", "东明石化 1200 万吨/年炼油扩能", "鹤壁煤化一体化",
        "濮阳中原炼化一体化",
    }  # fmt: skip


def test_the_five_wind_power_bases() -> None:
    assert located("WindPowerBase", "jianshe") == {
        "city/sanmenxia", "city/anyang", "city/pingdingshan", "city/nanyang",
        "city/suzhou-anhui",
    }  # fmt: skip
    assert len(of_class("WindPowerBase")) == 5


def test_pipelines_their_ends_and_stages() -> None:
    ends = {
        id_.rsplit("/", 1)[1]: (facts["hasTerminus"], facts["passesThrough"], facts["hasStage"])
        for id_, facts in (of_class("OilPipeline") | of_class("GasPipeline")).items()
        if facts["hasTerminus"]
    }
    assert ends == {
        "rizhao-puyang-luoyang": (
            {"place/rizhao", "city/luoyang"}, {"city/puyang"}, {"stage:jianshe"},
        ),
        "ordos-anping-cangzhou": (
            {"place/eerduosi", "place/cangzhou"}, {"county/anping"}, {"stage:jianshe"},
        ),
        "rizhao-dongming-shangqiu": (
            {"place/rizhao", "city/shangqiu"}, {"county/dongming"}, {"stage:yanjiu-kexingxing"},
        ),
        "xuzhou-wanbei": (
            {"place/xuzhou", "region/wanbei"}, set(), {"stage:yanjiu-kexingxing"},
        ),
        "shanxi-hebei-henan-cbm": (
            {"province/shanxi", "province/hebei", "province/henan"}, set(),
            {"stage:yanjiu-tuidong"},
        ),
    }  # fmt: skip
    in_agglomeration = {
        next(iter(facts["zh"]))
        for facts in of_class("GasPipeline", "jianshe").values()
        if "agglomeration/zhongyuan" in facts["locatedIn"]
    }
    assert in_agglomeration == {
        "新疆煤制气外输管道工程",
        "西气东输三线",
        "鄂尔多斯—安平—沧州输气管道",
    }


def test_gas_storage_and_the_power_grid() -> None:
    assert zh_labels(of_class("GasStorage")) == {
        "中原油田地下储气库", "平顶山叶县盐穴地下储气库", "配套储气调峰设施",
    }  # fmt: skip
    voltages = {
        value for facts in of_class("PowerGridProject", "shishi").values()
        for value in facts["capacityValue"]
    }  # fmt: skip
    assert voltages == {500, 220}


def test_water_transfers_and_irrigation_districts() -> None:
    assert zh_labels(of_class("WaterTransferProject", "tuijin")) == {
        "引黄入冀补淀", "引江济淮", "淮水北调", "山西小浪底引黄",
    }  # fmt: skip
    assert zh_labels(of_class("IrrigationDistrictProject", "tuijin")) == {
        "小浪底南岸灌区", "小浪底北岸灌区", "赵口引黄二期灌区", "西霞院输水及灌区",
        "大中型灌区续建配套节水改造",
    }  # fmt: skip
    assert zh_labels(of_class("IrrigationDistrictProject", "kaizhan-qianqi-gongzuo")) == {
        "河南省大别山革命老区引淮供水灌溉工程"
    }


def test_reservoirs_by_stage() -> None:
    assert zh_labels(of_class("ReservoirProject", "jiancheng")) == {
        "出山店水库", "前坪水库", "白果冲水库",
    }  # fmt: skip
    assert located("ReservoirProject", "kaizhan-qianqi-gongzuo") == {
        "city/xingtai", "city/xinyang", "county/guangshan", "county/fangcheng",
    }  # fmt: skip
    assert located("ReservoirProject", "tuijin") == {"lake/suyahu"}


def test_the_fourteen_rivers_harnessed() -> None:
    rivers = {
        river for facts in of_class("FloodControlProject", "tuijin").values()
        for river in facts["alongRiver"]
    }  # fmt: skip
    assert rivers == {
        "river/yiluohe", "river/shiguanhe", "river/hongruhe", "river/shayinghe",
        "river/niuweihe", "river/fuyanghe", "river/fenhe", "river/tangbaihe",
        "river/danjianghe", "river/jialuhe", "river/guohe", "river/huijihe", "river/jindihe",
        "river/tuhaihe",
    }  # fmt: skip
    assert len(of_class("FloodControlProject", "tuijin")) == 14
    assert located("FloodControlProject", "jiakuai") == {"basin/huaihe", "basin/haihe"}


def test_the_nine_water_ecology_pilots() -> None:
    assert designated("WaterEcologyCivilisationPilot") == {
        "city/zhengzhou", "city/luoyang", "city/xuchang", "city/jiaozuo", "city/nanyang",
        "city/handan", "city/xingtai", "city/bengbu", "county/lixin",
    }  # fmt: skip
    assert ENTITIES["designation/water-ecology/lixin"]["locatedIn"] == {"city/bozhou"}


def test_urban_pilots_rail_and_the_light_rail_threshold() -> None:
    assert designated("UtilityTunnelPilot") == {"city/zhengzhou"}
    assert designated("SpongeCityPilot") == {"city/hebi"}
    assert located("UrbanRailTransit", "jiakuai") == {"city/luoyang"}  # 郑州 is defined by C
    assert ENTITIES["project/urban-rail/zhengzhou"]["hasStage"] == {"stage:jiakuai"}
    assert located("UrbanRailTransit", "guihua-yanjiu") == {"city/handan"}
    threshold = ENTITIES["threshold/light-rail-150"]
    assert (threshold["targetValue"], threshold["unit"], threshold["comparator"]) == (
        {150},
        {"万人"},
        {"kind:at-least"},
    )
    assert ENTITIES["project/urban-rail/light-rail"]["relatedTo"] == {"threshold/light-rail-150"}


def test_the_information_and_water_mechanisms() -> None:
    assert zh_labels(of_class("CooperationMechanism")) == {
        "城市群通信网络和信息安全应急体系衔接机制", "城市群无线电协同监管",
        "雨情、汛情、旱情监测预报和发布共享机制",
    }  # fmt: skip


# ── the same facts, asked of the built graph (facts + inferences) ──────────────────────────

# The parts of the plan these records come from.
PARTS = ("plan/ch06/s02", "plan/ch06/s03", "plan/ch06/s04", "plan/ch06/s05")
PARTS += ("plan/box05", "plan/box06", "plan/box07")


def test_built_graph_reasoner_finds_the_pilot_cities(built: BuildReport) -> None:
    assert zh_labels_where(built, "?x a zy:SmartCityPilotCity .") == {
        "郑州", "洛阳", "鹤壁", "漯河", "济源", "许昌", "蚌埠", "淮北", "亳州", "宿州", "阜阳",
        "菏泽", "聊城", "邯郸", "长治", "晋城", "运城",
    }  # fmt: skip
    assert zh_labels_where(built, "?x a zy:SpongeCityPilotCity .") == {"鹤壁"}
    assert zh_labels_where(built, "?x a zy:WaterEcologyPilotCity .") == {
        "郑州", "洛阳", "许昌", "焦作", "南阳", "邯郸", "邢台", "蚌埠", "利辛县",
    }  # fmt: skip


def test_built_graph_coal_bed_methane_projects_lie_in_eleven_cities(built: BuildReport) -> None:
    cities = zh_labels_where(
        built, "?p a zy:CoalBedMethaneProject ; zy:locatedIn+ ?x . ?x a zy:City ."
    )
    assert cities == {
        "平顶山", "郑州", "焦作", "鹤壁", "三门峡", "邯郸", "邢台", "淮北", "长治", "晋城", "菏泽",
    }  # fmt: skip


def test_built_graph_energy_capacities(built: BuildReport) -> None:
    rows = solutions(
        built,
        f"""SELECT ?value ?unit WHERE {{
          ?p a zy:EnergyProject ; zy:capacityValue ?value ; zy:capacityUnit ?unit .
          ?p zy:hasCitation/zy:citedPassage/dcterms:isPartOf <{ID}plan/box06> .
        }}""",
    )
    assert sorted((float(value), unit) for value, unit in rows) == [
        (15.0, "万吨/年"), (220.0, "千伏"), (300.0, "万吨"), (500.0, "千伏"),
        (1000.0, "万吨/年"), (1200.0, "万吨/年"), (1800.0, "万吨/年"),
    ]  # fmt: skip


def test_built_graph_preparatory_and_study_projects(built: BuildReport) -> None:
    # The reasoner groups the verbs: 开展前期工作 is preparatory, 研究…可行性 is plan/study.
    assert zh_labels_where(built, "?x a zy:ReservoirProject , zy:ProjectInPreparation .") == {
        "邢台青山水库", "信阳张湾水库", "光山袁湾水库", "方城罗汉山水库",
    }  # fmt: skip
    studied = "?x a zy:ProjectToPlanOrStudy ; zy:hasStage stage:yanjiu-kexingxing ."
    assert zh_labels_where(built, studied) >= {
        "日照—东明—商丘原油管道", "徐州—皖北天然气管道",
    }  # fmt: skip


def test_built_graph_every_record_cites_its_own_part_of_the_plan(built: BuildReport) -> None:
    assert PART.defined - cited_in(built, PARTS) == set()
