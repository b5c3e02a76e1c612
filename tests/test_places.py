"""The gazetteer graph/data/places.yaml: every place the plan names, with the right parents."""

import pytest
from records import Curated

from zhongyuan_kg.graph import geo

CORE = {
    "province/henan": {
        "city/zhengzhou", "city/kaifeng", "city/luoyang", "city/pingdingshan", "city/xinxiang",
        "city/jiaozuo", "city/xuchang", "city/luohe", "city/jiyuan", "city/hebi",
        "city/shangqiu", "city/zhoukou",
    },
    "province/shanxi": {"city/jincheng"},
    "province/anhui": {"city/bozhou"},
}  # fmt: skip
LINKED = {
    "province/henan": {
        "city/anyang", "city/puyang", "city/sanmenxia", "city/nanyang", "city/xinyang",
        "city/zhumadian",
    },
    "province/hebei": {"city/handan", "city/xingtai"},
    "province/shanxi": {"city/changzhi", "city/yuncheng"},
    "province/anhui": {"city/suzhou-anhui", "city/fuyang", "city/huaibei", "city/bengbu"},
    "province/shandong": {"city/liaocheng", "city/heze"},
}  # fmt: skip

# Every county-level unit the plan names → the prefecture it belongs to (December 2016).
COUNTY_PREFECTURE = {
    "county/lushan": "city/pingdingshan", "county/yexian": "city/pingdingshan",
    "county/gushi": "city/xinyang", "county/guangshan": "city/xinyang",
    "county/huangchuan": "city/xinyang", "county/huaibin": "city/xinyang",
    "county/luyi": "city/zhoukou", "county/lankao": "city/kaifeng",
    "county/dingtao": "city/heze", "county/dongming": "city/heze", "county/caoxian": "city/heze",
    "county/boai": "city/jiaozuo", "county/yima": "city/sanmenxia", "county/lixin": "city/bozhou",
    "county/dengfeng": "city/zhengzhou", "county/yuzhou": "city/xuchang",
    "county/fangcheng": "city/nanyang", "county/tongbai": "city/nanyang",
    "county/xixia": "city/nanyang", "county/dengzhou": "city/nanyang",
    "county/songxian": "city/luoyang", "county/luanchuan": "city/luoyang",
    "county/yichuan": "city/luoyang", "county/linzhou": "city/anyang",
    "county/guzhen": "city/bengbu", "county/wuhe": "city/bengbu",
    "county/fengfeng-kuangqu": "city/handan", "county/huoqiu": "place/luan",
    "county/peixian": "place/xuzhou", "county/heshun": "place/jinzhong",
    "county/mingguang": "place/chuzhou", "county/dingyuan": "place/chuzhou",
    "county/chaohu": "place/hefei", "county/yangxin": "place/huangshi",
    "county/anping": "place/hengshui", "place/qufu": "place/jining",
    "place/wanzhou": "place/chongqing", "place/huanghua": "place/cangzhou",
}  # fmt: skip

RIVERS = {
    "黄河", "淮河", "海河", "长江", "沙颍河", "沱浍河", "涡河", "唐河", "洪河", "泉河", "泥河",
    "新汴河", "茨淮新河", "江淮运河", "洙赵新河", "京杭运河", "新万福河", "郟城新河", "郟巨河",
    "徒骇河", "贾鲁河", "伊洛河", "史灌河", "洪汝河", "牛尾河", "滏阳河", "汾河", "唐白河",
    "丹江河", "惠济河", "金堤河", "漳河", "沁河", "涑水河", "南水北调中线", "明清黄河故道",
    "隋唐运河", "大运河",
}  # fmt: skip

# Generous bounding boxes (west, south, east, north) of the provinces, in degrees.
PROVINCE_BOX = {
    "province/henan": (110.3, 31.3, 116.7, 36.4),
    "province/hebei": (113.4, 36.0, 119.9, 42.7),
    "province/shanxi": (110.2, 34.5, 114.6, 40.8),
    "province/anhui": (114.8, 29.3, 119.7, 34.7),
    "province/shandong": (114.7, 34.3, 122.8, 38.5),
    "province/jiangsu": (116.3, 30.7, 121.9, 35.2),
    "province/hubei": (108.3, 29.0, 116.2, 33.3),
}


PLACES = Curated("places.yaml")
BY_ID = {record["id"]: record for record in PLACES.records}
of_class = PLACES.ids_of


def test_ids_are_unique():
    ids = [record["id"] for record in PLACES.records]
    assert len(ids) == len(set(ids))


def test_the_thirty_cities_and_their_provinces():
    expected = {}
    for area in (CORE, LINKED):
        for province, cities in area.items():
            expected.update(dict.fromkeys(cities, province))
    assert len(expected) == 30
    actual = {key: BY_ID[key]["inProvince"] for key in expected}
    assert actual == expected
    assert {p: len(c) for p, c in CORE.items()} == {
        "province/henan": 12,
        "province/shanxi": 1,
        "province/anhui": 1,
    }
    assert sum(len(cities) for cities in LINKED.values()) == 16
    assert of_class("ProvinceAdministeredCity") == {"city/jiyuan"}
    city_ids = {key for key in BY_ID if key.startswith("city/")}
    assert city_ids == set(expected)
    assert city_ids - of_class("PrefectureLevelCity") == {"city/jiyuan"}


def test_the_five_provinces():
    provinces = {key: BY_ID[key]["label"] for key in CORE | LINKED}
    assert {key: label["zh"] for key, label in provinces.items()} == {
        "province/henan": "河南",
        "province/hebei": "河北",
        "province/shanxi": "山西",
        "province/anhui": "安徽",
        "province/shandong": "山东",
    }
    assert provinces["province/shanxi"]["en"] == "Shanxi Province"
    assert BY_ID["province/shaanxi"]["label"]["en"] == "Shaanxi Province"


def test_city_labels_are_written_without_shi():
    for key in (key for key in BY_ID if key.startswith("city/")):
        label = BY_ID[key]["label"]["zh"]
        assert not label.endswith("市")
        assert label + "市" in BY_ID[key]["altLabel"]["zh"]


def test_english_labels():
    english = {key: BY_ID[key]["label"]["en"] for key in BY_ID}
    assert english["city/suzhou-anhui"] == "Suzhou (Anhui)"
    assert english["city/bozhou"] == "Bozhou"
    assert english["city/luohe"] == "Luohe"
    assert english["city/jiyuan"] == "Jiyuan"
    assert english["city/sanmenxia"] == "Sanmenxia"
    assert english["foreign/frankfurt"] == "Frankfurt am Main"


def test_every_county_level_unit_and_its_prefecture():
    assert of_class("CountyLevelUnit") == set(COUNTY_PREFECTURE)
    actual = {key: BY_ID[key]["locatedIn"] for key in COUNTY_PREFECTURE}
    assert actual == COUNTY_PREFECTURE
    # A county's province is its prefecture's (万州's parent, Chongqing, is itself province-level).
    for county, prefecture in COUNTY_PREFECTURE.items():
        assert BY_ID[county].get("inProvince") == BY_ID[prefecture].get("inProvince")


def test_towns_mining_areas_and_coal_bases():
    assert of_class("Town") == {
        "town/putian",
        "town/xuedian",
        "town/xiaolizhuang",
        "town/yueshan",
    }
    mining = {key: BY_ID[key]["locatedIn"] for key in of_class("MiningArea")}
    assert mining == {
        "mining-area/huodong": "city/changzhi",
        "mining-area/luan": "city/changzhi",
        "mining-area/wuxia": "city/changzhi",
        "mining-area/mabi": "city/jincheng",
        "mining-area/shizhuangnan": "city/jincheng",
    }
    bases = {BY_ID[key]["label"]["zh"] for key in of_class("CoalBase")}
    assert bases == {"晋中", "晋东", "鲁西", "冀中", "河南", "两淮"}


def test_rivers_and_canals():
    assert {BY_ID[key]["label"]["zh"] for key in of_class("River")} == RIVERS
    assert BY_ID["river/yuncheng-xinhe"]["altLabel"]["zh"] == ["郓城新河"]


def test_regions():
    assert {BY_ID[key]["label"]["zh"] for key in of_class("Region")} == {
        "中原", "中原经济区", "中部地区", "中西部地区", "京津冀", "长三角", "珠三角", "皖北",
        "豫西", "豫西山区", "豫南", "晋陕豫黄河金三角", "黄淮平原", "黄土高原沟壑丘陵区",
        "丹江口库区", "南太行", "蒙西", "华中", "华东", "西北", "东北", "大别山革命老区",
        "淮河生态经济带", "汉江生态经济带", "欧洲", "欧亚", "中亚", "西亚",
    }  # fmt: skip


def test_agglomerations():
    assert {BY_ID[key]["label"]["zh"] for key in of_class("UrbanAgglomeration")} == {
        "中原城市群",
        "长江中游城市群",
        "成渝城市群",
        "山东半岛城市群",
        "长江三角洲城市群",
        "山西中部城市群",
        "关中平原城市群",
    }


def test_every_quote_is_verbatim_in_exactly_one_passage():
    assert PLACES.misquoted() == []


def test_only_parents_the_plan_does_not_name_lack_a_quote():
    unquoted = {record["id"] for record in PLACES.records if "quote" not in record}
    assert unquoted == {
        "province/hubei",
        "province/zhejiang",
        "province/neimenggu",
        "province/guangxi",
        "place/luan",
        "place/chuzhou",
        "place/jinzhong",
        "place/hengshui",
        "place/jining",
        "place/huangshi",
    }


def test_references_point_to_defined_places():
    for record in PLACES.records:
        for key in ("inProvince", "locatedIn"):
            if key in record:
                assert record[key] in BY_ID, (record["id"], key)
        if "inProvince" in record:
            assert "Province" in PLACES.entities[record["inProvince"]]["a"]


@pytest.mark.parametrize(
    ("place", "code"),
    [
        ("city/zhengzhou", "410100"),
        ("city/suzhou-anhui", "341300"),
        ("city/jiyuan", "419001"),
        ("county/dingtao", "371703"),
        ("county/lixin", "341623"),
        ("place/wanzhou", "500101"),
    ],
)
def test_codes_of_some_places(place, code):
    record = BY_ID[place]
    assert geo.resolve(record["adcodeName"], record.get("adcodeParent")).adcode == code


def test_every_admin_unit_with_adcode_name_resolves_inside_its_province():
    for record in PLACES.records:
        if "adcodeName" not in record:
            continue
        facts = geo.resolve(record["adcodeName"], record.get("adcodeParent"))
        box = PROVINCE_BOX.get(record.get("inProvince", record["id"]))
        if box is not None:
            west, south, east, north = box
            assert west < facts.longitude < east, record["id"]
            assert south < facts.latitude < north, record["id"]


def test_places_outside_the_table_carry_coordinates_and_their_source():
    by_hand = {record["id"] for record in PLACES.records if "coordinates" in record}
    assert by_hand == {
        "place/jiulong",
        "foreign/hamburg",
        "foreign/luxembourg",
        "foreign/frankfurt",
    }
    for key in by_hand:
        longitude, latitude = BY_ID[key]["coordinates"]
        assert -180 <= longitude <= 180 and -90 <= latitude <= 90
        assert BY_ID[key]["coordinateSource"]
        assert "adcodeName" not in BY_ID[key]
