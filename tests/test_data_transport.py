"""The transport records (ch. 6 §1, 专栏 4) state what the plan says, each with its quote."""

from __future__ import annotations

from collections import defaultdict

from records import Curated, cited_in, values_of, zh_labels, zh_labels_where

from zhongyuan_kg.graph.build import BuildReport

FILES = ("ch06-transport.yaml", "box04-transport.yaml")
PLACE_KEYS = ("locatedIn", "hasTerminus", "passesThrough", "involvesPlace", "alongRiver")

PART = Curated(*FILES)
ENTITIES = PART.entities
of_class = PART.of_class


def places(cls: str, stage: str, key: str = "locatedIn") -> set[str]:
    return values_of(of_class(cls, stage), key)


def test_every_quote_is_verbatim_in_one_passage() -> None:
    assert PART.misquoted() == []


def test_each_id_is_defined_once_with_class_labels_and_quote() -> None:
    assert PART.definition_problems() == []
    assert PART.extended - PART.defined == {"platform/zhengzhou-airport-economy-zone"}


def test_every_project_and_designation_has_a_stage_and_a_place() -> None:
    for id_, facts in ENTITIES.items():
        if id_.startswith(("project/", "designation/")) and id_ in PART.defined:
            assert facts["hasStage"], id_
            place_keys = ("designatedPlace",) if id_.startswith("designation/") else PLACE_KEYS
            assert any(facts[key] for key in place_keys), id_


def test_the_sixteen_ports() -> None:
    ports = of_class("PortProject", "jianshe")
    assert zh_labels(ports) == {
        "周口港", "漯河港", "商丘港", "信阳港", "平顶山港", "南阳港", "固始港", "鹿邑港",
        "蚌埠港", "阜阳港", "淮北港", "亳州港", "宿州港", "聊城港", "菏泽（定陶）港", "邯郸港",
    }  # fmt: skip
    assert len(ports) == len(of_class("PortProject")) == 16
    assert places("PortProject", "jianshe") == {
        "city/zhoukou", "city/luohe", "city/shangqiu", "city/xinyang", "city/pingdingshan",
        "city/nanyang", "county/gushi", "county/luyi", "city/bengbu", "city/fuyang",
        "city/huaibei", "city/bozhou", "city/suzhou-anhui", "city/liaocheng", "county/dingtao",
        "city/handan",
    }  # fmt: skip


def test_the_seven_completed_high_speed_railways_and_their_ends() -> None:
    completed = of_class("HighSpeedRailway", "jiancheng")
    lines = {
        id_: (facts["hasTerminus"], facts["passesThrough"])
        for id_, facts in completed.items()
        if id_ != "project/hsr/mi-network"
    }
    assert lines == {
        "project/hsr/zhengzhou-xuzhou": ({"city/zhengzhou", "place/xuzhou"}, set()),
        "project/hsr/zhengzhou-wanzhou": ({"city/zhengzhou", "place/wanzhou"}, set()),
        "project/hsr/zhengzhou-fuyang": ({"city/zhengzhou", "city/fuyang"}, set()),
        "project/hsr/taiyuan-jiaozuo": ({"place/taiyuan", "city/jiaozuo"}, set()),
        "project/hsr/zhengzhou-jinan": ({"city/zhengzhou", "place/jinan"}, set()),
        "project/hsr/shangqiu-hefei-hangzhou": (
            {"city/shangqiu", "place/hangzhou"},
            {"place/hefei"},
        ),
        "project/hsr/qufu-heze-lankao": ({"place/qufu", "county/lankao"}, {"city/heze"}),
    }


def test_the_other_high_speed_railways_by_stage() -> None:
    stages = {
        id_: facts["hasStage"]
        for id_, facts in of_class("HighSpeedRailway").items()
        if "stage:jiancheng" not in facts["hasStage"]
    }
    assert stages == {
        "project/hsr/beijing-kowloon": {"stage:jiakuai-tuijin"},
        "project/hsr/liaocheng-handan-changzhi": {"stage:guihua-yanjiu"},
        "project/hsr/nanjing-xian": {"stage:yanjiu-kexingxing"},
        "project/hsr/hohhot-nanning": {"stage:yanjiu-kexingxing"},
    }


def test_airports_by_stage() -> None:
    assert places("AirportProject", "wanshan") == {
        "city/zhengzhou", "city/luoyang", "city/nanyang", "city/yuncheng", "city/handan",
        "city/fuyang", "city/changzhi",
    }  # fmt: skip
    assert places("AirportProject", "youxu-tuijin") == {
        "city/xinyang", "city/shangqiu", "city/xingtai", "city/heze", "city/liaocheng",
        "city/anyang", "city/bengbu", "city/bozhou", "city/suzhou-anhui", "county/lushan",
    }  # fmt: skip
    assert set(of_class("AirportProject", "shishi-qidong")) == {
        "project/airport/zhengzhou-xinzheng-phase3",
        "project/airport/zhengzhou-xinzheng-north-cargo-area",
    }
    assert set(of_class("AirportProject", "jianshe")) == {"project/airport/general-aviation"}
    assert ENTITIES["project/airport/luoyang"]["zh"] == {"洛阳机场功能完善"}


def test_air_routes_and_their_verbs() -> None:
    routes = {
        id_: facts["hasStage"]
        for id_, facts in ENTITIES.items()
        if id_.startswith("project/air-route/")
    }
    assert routes == {
        "project/air-route/zhengzhou-international": {"stage:tuozhan", "stage:jiami"},
        "project/air-route/luoyang-international-passenger": {"stage:shishi-kaipi"},
        "project/air-route/domestic-major-cities": {"stage:jiami"},
    }
    port_of_entry = ENTITIES["designation/port-of-entry/luoyang"]
    assert (port_of_entry["designatedPlace"], port_of_entry["hasStage"]) == (
        {"city/luoyang"},
        {"stage:zhichi"},
    )


def test_hub_designations_by_level() -> None:
    by_level: dict[str, set[str]] = defaultdict(set)
    for facts in of_class("TransportHubDesignation").values():
        (level,) = facts["hubLevel"]
        by_level[level] |= facts["designatedPlace"]
    assert by_level == {
        "kind:hub-international": {"city/zhengzhou"},
        "kind:hub-national": {"city/luoyang"},
        "kind:hub-regional": {
            "city/fuyang", "city/heze", "city/shangqiu", "city/nanyang", "city/anyang",
            "city/xuchang",
        },
        "kind:hub-local": {
            "city/bengbu", "city/liaocheng", "city/handan", "city/xinxiang", "city/changzhi",
            "city/sanmenxia", "city/luohe", "city/xinyang", "city/yuncheng", "city/xingtai",
        },
    }  # fmt: skip
    assert len(of_class("TransportHubDesignation", "jianshe")) == 17


def test_expressway_codes() -> None:
    codes = {id_: facts["roadCode"] for id_, facts in of_class("ExpresswayProject").items()}
    assert {id_: code for id_, code in codes.items() if code} == {
        "project/expressway/g59": {"G59"},
        "project/expressway/g3511": {"G3511"},
        "project/expressway/g22-taian-liaocheng": {"G22"},
        "project/expressway/g3w": {"G3W"},
        "project/expressway/g45-puyang-yangxin": {"G45"},
    }
    assert set(of_class("ExpresswayProject", "jiakuai-tuijin")) == {
        id_ for id_, code in codes.items() if code
    }
    assert len(of_class("ExpresswayProject", "guihua-jianshe")) == 9


def test_waterways_and_their_rivers() -> None:
    built = of_class("WaterwayProject", "jianshe")
    assert len(built) == 16
    assert {river for facts in built.values() for river in facts["alongRiver"]} == {
        "river/huaihe", "river/shayinghe", "river/tuohuihe", "river/guohe", "river/tanghe",
        "river/honghe", "river/quanhe", "river/nihe", "river/xinbianhe", "river/cihuai-xinhe",
        "river/jianghuai-yunhe", "river/zhuzhao-xinhe", "river/jinghang-yunhe",
        "river/xinwanfuhe", "river/yuncheng-xinhe", "river/yunjuhe",
    }  # fmt: skip
    assert zh_labels(of_class("WaterwayProject", "guihua-yanjiu-jianshe")) == {
        "徒骇航道",
        "贾鲁河航道",
    }
    assert set(of_class("WaterwayProject", "jiakuai-tuijin")) == {
        "project/waterway/huaihe",
        "project/waterway/shayinghe",
    }


def test_railway_hubs_and_logistics_bases() -> None:
    assert zh_labels(of_class("RailHub", "xinjian")) == {
        "濮阳东站", "菏泽站", "聊城站", "许昌北站", "周口东站", "阜阳西站", "长治东站",
        "晋城东站", "焦作站", "博爱（焦作西站）", "平顶山西站", "南阳卧龙站", "运城北站",
    }  # fmt: skip
    assert zh_labels(of_class("LogisticsBase", "tuidong")) == {
        f"{name}铁路物流基地"
        for name in ("安阳", "新乡", "南阳", "洛阳", "阜阳北", "信阳", "运城西", "三门峡")
    }
    assert places("LogisticsBase", "jiancheng") == {"town/putian", "town/xuedian"}
    link = ENTITIES["project/railway-link/zhengzhou-xiaolizhuang-putian"]
    assert (link["hasTerminus"], link["passesThrough"]) == (
        {"city/zhengzhou", "town/putian"},
        {"town/xiaolizhuang"},
    )


def test_intercity_railways_by_stage() -> None:
    def ids(stage: str) -> set[str]:
        return {
            id_.removeprefix("project/intercity/") for id_ in of_class("IntercityRailway", stage)
        }

    assert ids("jiancheng") == {
        "xinzheng-airport-zhengzhou-south",
        "zhengzhou-south-dengfeng-luoyang",
        "jiaozuo-jiyuan-luoyang",
        "zhengzhou-kaifeng-extension",
    }
    assert ids("youxu-jianshe") == {
        "xinxiang-jiaozuo",
        "hefei-bengbu-suzhou-huaibei",
        "xuzhou-huaibei-suzhou-fuyang",
    }
    assert ids("guihua-yanjiu-jianshe") == {
        "zhengzhou-south-kaifeng",
        "kaifeng-xinxiang",
        "zhengzhou-jiaozuo-yuntaishan-branch",
        "luoyang-pingdingshan-luohe-zhoukou-shangqiu",
    }
    hefei_huaibei = ENTITIES["project/intercity/hefei-bengbu-suzhou-huaibei"]
    assert hefei_huaibei["hasTerminus"] == {"place/hefei", "city/huaibei"}
    assert hefei_huaibei["passesThrough"] == {"city/bengbu", "city/suzhou-anhui"}


def test_trunk_and_local_railways_by_stage() -> None:
    trunk = {id_: facts["hasStage"] for id_, facts in of_class("TrunkRailway").items()}
    assert trunk == {
        "project/trunk-railway/four-vertical-six-horizontal": {"stage:tuijin"},
        "project/trunk-railway/mengxi-huazhong": {"stage:jiancheng"},
        "project/trunk-railway/sanmenxia-yuzhou-jiangsu-coastal-ports": {"stage:jiancheng"},
        "project/trunk-railway/yuncheng-sanmenxia": {"stage:tuijin"},
        "project/trunk-railway/xingtai-heshun": {"stage:tuijin"},
        "project/trunk-railway/heze-peixian": {"stage:tuijin"},
        "project/trunk-railway/longhai-sanmenxia-realignment": {"stage:tuijin"},
        "project/trunk-railway/jiaoliu-capacity": {"stage:kuoneng-gaizao"},
        "project/trunk-railway/xingtai-huanghua-port-double-track": {"stage:qidong-qianqi-gongzuo"},
    }
    assert set(of_class("LocalRailway", "wenbu-tuijin")) == {
        "project/local-railway/dengzhou-nanyang-zhumadian-fuyang"
    }
    assert len(of_class("LocalRailway", "guihua-jianshe")) == len(of_class("LocalRailway")) - 1 == 7
    mengxi = ENTITIES["project/trunk-railway/mengxi-huazhong"]
    assert mengxi["hasTerminus"] == {"region/mengxi", "region/huazhong"}


def test_china_europe_freight_train_runs_from_zhengzhou_to_three_named_cities() -> None:
    train = ENTITIES["project/freight-train/zhengzhou-europe"]
    assert train["a"] == {"FreightTrainService"}
    assert train["hasTerminus"] == {
        "city/zhengzhou",
        "foreign/hamburg",
        "foreign/luxembourg",
        "foreign/frankfurt",
    }


def test_new_corridors_and_their_ends() -> None:
    corridors = {
        id_: (facts["hasTerminus"], facts["passesThrough"], facts["alongRiver"])
        for id_, facts in of_class("TransportCorridor").items()
    }
    assert corridors == {
        "corridor/jinan-zhengzhou-chongqing": (
            {"place/jinan", "place/chongqing"},
            {"city/zhengzhou"},
            set(),
        ),
        "corridor/taiyuan-zhengzhou-hefei": (
            {"place/taiyuan", "place/hefei"},
            {"city/zhengzhou"},
            set(),
        ),
        "corridor/liaocheng-handan-changzhi": (
            {"city/liaocheng", "city/changzhi"},
            {"city/handan"},
            set(),
        ),
        "corridor/huaihe": (set(), set(), {"river/huaihe"}),
    }


def test_passenger_station_target_for_2020() -> None:
    target = ENTITIES["target/passenger-station-levels"]
    assert target["targetYear"] == {2020}
    assert target["comparator"] == {"kind:at-least"}
    assert target["a"] == {"SectoralTarget"}
    assert target["partOfGoal"] == set()
    assert target["measures"] == {"indicator/road-passenger-station-grade"}


# ── the same facts, asked of the built graph (facts + inferences) ──────────────────────────


def test_built_graph_ports_and_stations(built: BuildReport) -> None:
    assert len(zh_labels_where(built, "?x a zy:PortProject ; zy:hasStage stage:jianshe .")) == 16
    in_cities = "?x a zy:PortProject ; zy:locatedIn* ?p . ?p a zy:City ."
    assert "菏泽（定陶）港" in zh_labels_where(built, in_cities)
    in_counties = "?p a zy:PortProject ; zy:locatedIn ?x . ?x a zy:CountyLevelUnit ."
    assert zh_labels_where(built, in_counties) == {"固始", "鹿邑", "定陶"}


def test_built_graph_reasoner_classifies_hub_cities(built: BuildReport) -> None:
    assert zh_labels_where(built, "?x a zy:InternationalHubCity .") == {"郑州"}
    assert zh_labels_where(built, "?x a zy:NationalHubCity .") == {"洛阳"}
    assert zh_labels_where(built, "?x a zy:RegionalHubCity .") == {
        "阜阳",
        "菏泽",
        "商丘",
        "南阳",
        "安阳",
        "许昌",
    }
    assert zh_labels_where(built, "?x a zy:LocalHubCity .") == {
        "蚌埠", "聊城", "邯郸", "新乡", "长治", "三门峡", "漯河", "信阳", "运城", "邢台",
    }  # fmt: skip


def test_built_graph_completed_hsr_ends_are_involved_places(built: BuildReport) -> None:
    # involvesPlace is inferred from hasTerminus/passesThrough (its sub-properties).
    ends = zh_labels_where(
        built,
        "?r a zy:HighSpeedRailway ; zy:hasStage stage:jiancheng ; zy:involvesPlace ?x . "
        "FILTER(?r != <https://w3id.org/zhongyuan-kg/id/project/hsr/mi-network>)",
    )
    assert ends == {
        "郑州", "徐州", "万州", "阜阳", "太原", "焦作", "济南", "商丘", "合肥", "杭州",
        "曲阜", "菏泽", "兰考",
    }  # fmt: skip


def test_built_graph_every_record_cites_its_own_part_of_the_plan(built: BuildReport) -> None:
    assert PART.defined - cited_in(built, ("plan/ch06/s01", "plan/box04")) == set()
