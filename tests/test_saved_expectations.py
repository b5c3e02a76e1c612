"""Every saved query answers what the plan says, checked in two formats on the embedded store.

EXPECTED holds, for each saved query, the answers read from graph/source/plan.md (line numbers in
the comments): its keys must be the catalog's names, so a new .rq file without a test fails here.
A column written `name:set` is an aggregate (GROUP_CONCAT with 、) compared as a set.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pytest

from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.queries.allowed import short_form
from zhongyuan_kg.queries.catalog import load_catalog
from zhongyuan_kg.queries.local import LocalGraph, load
from zhongyuan_kg.queries.prepare import prepare

SEPARATOR = "、"


@dataclass(frozen=True)
class Case:
    """One call of a saved query: its parameters, the columns compared and the rows expected."""

    columns: tuple[str, ...]
    rows: Iterable[tuple[object, ...]]
    params: Mapping[str, Sequence[str]] = field(default_factory=dict)


def case(columns: str, rows: Iterable[tuple[object, ...]], **params: str | list[str]) -> Case:
    """A Case from space-separated column names and keyword parameters (a str or a list)."""
    given = {name: [value] if isinstance(value, str) else value for name, value in params.items()}
    return Case(tuple(columns.split()), list(rows), given)


def each(*values: object) -> list[tuple[object, ...]]:
    """Rows of one column."""
    return [(value,) for value in values]


def pairs(first: object, seconds: str) -> list[tuple[object, object]]:
    """Rows (first, x) for each x of a space-separated list."""
    return [(first, second) for second in seconds.split()]


HENAN_CORE = "郑州 开封 洛阳 平顶山 新乡 焦作 许昌 漯河 济源 鹤壁 商丘 周口"
S = frozenset  # an aggregate column's expected value

EXPECTED: dict[str, list[Case]] = {
    # 前言 (line 63): 14 core cities in 3 provinces, 16 linked cities in 5.
    "agglomeration-members": [
        case(
            "area_zh city_zh province_zh",
            [("核心发展区", c, "河南") for c in HENAN_CORE.split()]
            + [("核心发展区", "晋城", "山西"), ("核心发展区", "亳州", "安徽")]
            + [
                ("联动辐射区", c, "河南")
                for c in ["安阳", "濮阳", "三门峡", "南阳", "信阳", "驻马店"]
            ]
            + [("联动辐射区", c, "河北") for c in ("邯郸", "邢台")]
            + [("联动辐射区", c, "山西") for c in ("长治", "运城")]
            + [("联动辐射区", c, "安徽") for c in ("宿州", "阜阳", "淮北", "蚌埠")]
            + [("联动辐射区", c, "山东") for c in ("聊城", "菏泽")],
        ),
        case("city_zh", each("宿州", "阜阳", "淮北", "蚌埠"), area="联动辐射区", province="安徽"),
    ],
    "area-city-counts": [
        case(
            "area_zh cities provinces provinces_zh:set",
            [
                ("核心发展区", "14", "3", S({"河南", "山西", "安徽"})),
                ("联动辐射区", "16", "5", S({"河南", "河北", "山西", "安徽", "山东"})),
            ],
        )
    ],
    # 第三章第一节 (lines 159–165).
    "axis-nodes": [
        case(
            "axis_zh city_zh",
            pairs("沿陇海发展主轴", "郑州 洛阳 开封 三门峡 运城 商丘 淮北 宿州 菏泽")
            + pairs("沿京广发展主轴", "邢台 邯郸 安阳 鹤壁 新乡 许昌 漯河 驻马店 信阳")
            + pairs("济南—郑州—重庆发展轴", "聊城 濮阳 平顶山 南阳")
            + pairs("太原—郑州—合肥发展轴", "长治 晋城 焦作 济源 周口 阜阳 蚌埠"),
        ),
        case(
            "city_zh",
            each(*["长治", "晋城", "焦作", "济源", "周口", "阜阳", "蚌埠"]),
            axis="太原—郑州—合肥发展轴",
        ),
    ],
    "axis-industries": [
        case(
            "axis_zh industry_zh",
            pairs("沿陇海发展主轴", "电子信息 汽车及零部件 装备制造 有色金属 生物医药 能源化工")
            + pairs(
                "沿京广发展主轴",
                "食品加工 高端装备制造 生物医药 精品钢铁 电子信息 节能环保 现代家居",
            )
            + pairs("济南—郑州—重庆发展轴", "装备制造 能源化工 特色轻工")
            + pairs("太原—郑州—合肥发展轴", "装备制造 纺织服装 食品加工 生物医药 汽车及零部件"),
        )
    ],
    # Nodes of the axis (line 165) with airports of 专栏 4 (line 319); 郑州 apart, where axes meet.
    "axis-node-airports": [
        case(
            "role city_zh project_zh stage_zh",
            [
                ("meeting-point", "郑州", "郑州新郑国际机场三期工程", "适时启动"),
                ("meeting-point", "郑州", "北货运区", "适时启动"),
                ("node", "长治", "长治机场功能完善", "完善"),
                ("node", "阜阳", "阜阳机场功能完善", "完善"),
                ("node", "蚌埠", "蚌埠机场", "有序推进"),
            ],
        ),
        case(
            "role city_zh project_zh stage_zh",
            [
                ("meeting-point", "郑州", "郑州新郑国际机场三期工程", "适时启动"),
                ("meeting-point", "郑州", "北货运区", "适时启动"),
                ("node", "聊城", "聊城机场", "有序推进"),
                ("node", "平顶山", "鲁山机场", "有序推进"),  # 鲁山 is a county of 平顶山
                ("node", "南阳", "南阳机场功能完善", "完善"),
            ],
            axis="济南—郑州—重庆发展轴",
        ),
    ],
    # Line 153: fused with 开封、新乡、焦作、许昌; linked with 洛阳、平顶山、漯河、济源.
    "metropolitan-area": [
        case(
            "relation city_zh gateway",
            [("member", "郑州", "false")]
            + [("member", c, "true") for c in ("开封", "新乡", "焦作", "许昌")]
            + [("linked-partner", c, "false") for c in ("洛阳", "平顶山", "漯河", "济源")],
        )
    ],
    # 第三章 (lines 153–177).
    "city-roles": [
        case(
            "class city_zh",
            pairs("zy:MegaCity", "郑州")  # 特大城市郑州 (line 77)
            + pairs("zy:NationalCentralCity", "郑州")
            + pairs("zy:SubCentreCity", "洛阳")
            + pairs("zy:RegionalCentreCity", "长治 邯郸 聊城 安阳 蚌埠 阜阳 商丘 南阳")
            + pairs("zy:MetropolitanGatewayCity", "开封 新乡 焦作 许昌")
            + pairs("zy:BeltRoadNodeCity", "郑州 洛阳 开封 三门峡")
            + pairs("zy:AxisNodeCity", "运城 商丘 淮北 宿州 菏泽 聊城 濮阳 平顶山 南阳")
            + pairs("zy:IndustrialNodeCity", "漯河 济源")
            + pairs("zy:TraditionalAgriculturalNodeCity", "周口 信阳 驻马店 菏泽 运城")
            + pairs("zy:ResourceBasedCity", "平顶山 鹤壁 濮阳 三门峡 宿州 淮北 亳州 邢台 晋城"),
        ),
        case(
            "city_zh",
            each(*["平顶山", "鹤壁", "濮阳", "三门峡", "宿州", "淮北", "亳州", "邢台", "晋城"]),
            role="资源型城市",
        ),
        case("class", each("zy:SubCentreCity", "zy:BeltRoadNodeCity"), city="洛阳"),
    ],
    # Line 313.
    "transport-hubs": [
        case(
            "level city_zh",
            pairs("kind:hub-international", "郑州")
            + pairs("kind:hub-national", "洛阳")
            + pairs("kind:hub-regional", "阜阳 菏泽 商丘 南阳 安阳 许昌")
            + pairs("kind:hub-local", "蚌埠 聊城 邯郸 新乡 长治 三门峡 漯河 信阳 运城 邢台"),
        ),
        case(
            "city_zh", each(*["阜阳", "菏泽", "商丘", "南阳", "安阳", "许昌"]), level="区域性枢纽"
        ),
    ],
    # Regional hubs (line 313) with the ports of 专栏 4 (line 337).
    "hub-cities-with-ports": [
        case(
            "city_zh port_zh",
            [
                ("阜阳", "阜阳港"),
                ("菏泽", "菏泽（定陶）港"),
                ("商丘", "商丘港"),
                ("南阳", "南阳港"),
            ],
        ),
        case(
            "city_zh port_zh",
            [
                ("蚌埠", "蚌埠港"),
                ("聊城", "聊城港"),
                ("邯郸", "邯郸港"),
                ("漯河", "漯河港"),
                ("信阳", "信阳港"),
                ("信阳", "固始港"),  # 固始 is a county of 信阳
            ],
            level="地区性枢纽",
        ),
    ],
    # Resource-based cities (line 177) ∩ coal-bed methane mining areas (line 375).
    "resource-cities-coalbed-methane": [
        case(
            "city_zh province_zh",
            [
                ("平顶山", "河南"),
                ("鹤壁", "河南"),
                ("三门峡", "河南"),
                ("邢台", "河北"),
                ("淮北", "安徽"),
                ("晋城", "山西"),
            ],
        ),
        case("city_zh", each("平顶山", "鹤壁", "三门峡"), province="河南"),
    ],
    # 专栏 5 智慧城市群建设工程 (line 357).
    "smart-city-pilots": [
        case(
            "province_zh city_zh",
            pairs("河南", "郑州 洛阳 鹤壁 漯河 济源 许昌")
            + pairs("安徽", "蚌埠 淮北 亳州 宿州 阜阳")
            + pairs("山东", "菏泽 聊城")
            + pairs("河北", "邯郸")
            + pairs("山西", "长治 晋城 运城"),
        ),
        case("city_zh", each("蚌埠", "淮北", "亳州", "宿州", "阜阳"), province="安徽"),
    ],
    "smart-city-pilot-counts": [
        case(
            "province_zh pilots cities_zh:set",
            [
                ("河南", "6", S(["郑州", "洛阳", "鹤壁", "漯河", "济源", "许昌"])),
                ("安徽", "5", S(["蚌埠", "淮北", "亳州", "宿州", "阜阳"])),
                ("山西", "3", S({"长治", "晋城", "运城"})),
                ("山东", "2", S({"菏泽", "聊城"})),
                ("河北", "1", S({"邯郸"})),
            ],
        )
    ],
    # 专栏 6 (line 377): wind power bases; 专栏 4 (line 337) ports; 专栏 7 (line 397) reservoirs.
    "projects-by-kind": [
        case(
            "places_zh:set stage_zh",
            [(S({c}), "建设") for c in ["三门峡", "安阳", "平顶山", "南阳", "宿州"]],
        ),
        case(
            "project_zh stage_zh",
            [
                (f"{p}港" if p != "菏泽（定陶）" else "菏泽（定陶）港", "建设")
                for p in [
                    "周口",
                    "漯河",
                    "商丘",
                    "信阳",
                    "平顶山",
                    "南阳",
                    "固始",
                    "鹿邑",
                    "蚌埠",
                    "阜阳",
                    "淮北",
                    "亳州",
                    "宿州",
                    "聊城",
                    "菏泽（定陶）",
                    "邯郸",
                ]
            ],
            kind="港口项目",
            stage="建设/建成",
        ),
        case(
            "project_zh stage_zh",
            [("出山店水库", "建成"), ("前坪水库", "建成"), ("白果冲水库", "建成")],
            kind="zy:ReservoirProject",
            stage="建成",
        ),
    ],
    # 开展…前期工作: line 397 (four reservoirs) and line 395 (an irrigation district).
    "projects-by-stage": [
        case(
            "project_zh verb_zh",
            [
                ("邢台青山水库", "开展前期工作"),
                ("信阳张湾水库", "开展前期工作"),
                ("光山袁湾水库", "开展前期工作"),
                ("方城罗汉山水库", "开展前期工作"),
                ("河南省大别山革命老区引淮供水灌溉工程", "开展前期工作"),
            ],
        ),
        case(
            "project_zh verb_zh",
            [("郑州新郑国际机场三期工程", "适时启动"), ("北货运区", "适时启动")],
            stage="stage:group-preparatory",
            kind="机场项目",
        ),
    ],
    # 专栏 4 高速铁路 (line 323) and 城际铁路 (line 325).
    "railway-lines": [
        case(
            "line_zh ends_zh:set via_zh:set",
            [
                ("郑（州）徐（州）铁路", S({"郑州", "徐州"}), S()),
                ("郑（州）万（州）铁路", S({"郑州", "万州"}), S()),
                ("郑（州）阜（阳）铁路", S({"郑州", "阜阳"}), S()),
                ("太（原）焦（作）铁路", S({"太原", "焦作"}), S()),
                ("郑（州）济（南）铁路", S({"郑州", "济南"}), S()),
                ("商（丘）合（肥）杭（州）铁路", S({"商丘", "杭州"}), S({"合肥"})),
                ("曲（阜）菏（泽）兰（考）铁路", S({"曲阜", "兰考"}), S({"菏泽"})),
            ],
        ),
        case(
            "line_zh",
            each("新郑机场至郑州南城际", "郑州南至登封至洛阳城际", "焦作至济源至洛阳城际")
            + each("郑（州）开（封）城际延长线"),
            kind="zy:IntercityRailway",
        ),
    ],
    # Lines ending in or passing through 阜阳 (lines 323, 325, 329) and 焦作 (323, 325, 329).
    "railways-through-place": [
        case(
            "line_zh class_zh",
            [
                ("郑（州）阜（阳）铁路", "高速铁路"),
                ("徐州至淮北至宿州至阜阳城际铁路", "城际铁路"),
                ("邓州至南阳至驻马店至阜阳铁路", "地方铁路"),
            ],
        ),
        case(
            "line_zh",
            each(
                "太（原）焦（作）铁路",
                "焦作至济源至洛阳城际",
                "新乡至焦作城际铁路",
                "郑（州）焦（作）城际云台山支线",
                "月山至桐柏至随州铁路",  # 月山 is in 博爱, a county of 焦作
            ),
            place="焦作",
        ),
    ],
    # 专栏 4 高速公路 (line 333).
    "expressways": [
        case(
            "road_zh road_code verb_zh",
            [
                ("呼北高速（G59）", "G59", "加快推进"),
                ("荷宝高速（G3511）", "G3511", "加快推进"),
                ("青兰高速（G22）泰安至聊城段", "G22", "加快推进"),
                ("德上高速（G3W）", "G3W", "加快推进"),
                ("大广高速（G45）濮阳至阳新段", "G45", "加快推进"),
            ]
            + [
                (f"{road}高速公路" if "连接线" not in road else road, "", "规划建设")
                for road in [
                    "菏泽至枣庄",
                    "林州至焦作",
                    "合徐高速固镇连接线",
                    "合肥至霍邱至阜阳",
                    "蚌埠至五河",
                    "阜阳至淮滨",
                    "徐州至淮北至阜阳",
                    "明光至定远至巢湖",
                    "石家庄至林州太行山前",
                ]
            ],
        ),
        case("road_zh", each("大广高速（G45）濮阳至阳新段"), code="g45"),
    ],
    # 专栏 4 港口码头 (line 337).
    "inland-ports": [
        case(
            "port_zh city_zh province_zh",
            [(f"{c}港", c, "河南") for c in ["周口", "漯河", "商丘", "信阳", "平顶山", "南阳"]]
            + [("固始港", "信阳", "河南"), ("鹿邑港", "周口", "河南")]
            + [(f"{c}港", c, "安徽") for c in ["蚌埠", "阜阳", "淮北", "亳州", "宿州"]]
            + [
                ("聊城港", "聊城", "山东"),
                ("菏泽（定陶）港", "菏泽", "山东"),
                ("邯郸港", "邯郸", "河北"),
            ],
        ),
        case("port_zh", each("聊城港", "菏泽（定陶）港"), province="山东"),
    ],
    # 专栏 4 内河航道 (line 339) and 第六章 (line 305: 加快推进淮河、沙颍河国家高等级航道建设).
    "waterways": [
        case(
            "waterway_zh verb_zh",
            [
                (f"{w}航道", "建设")
                for w in [
                    "淮河干流",
                    "沙颍河",
                    "沱浍河",
                    "涡河",
                    "唐河",
                    "洪河",
                    "泉河",
                    "泥河",
                    "新汴河",
                    "茨淮新河",
                    "江淮运河",
                    "洙赵新河",
                    "京杭运河",
                    "菏泽新万福河",
                    "郟城新河",
                    "郟巨河",
                ]
            ]
            + [("淮河干流航道", "加快推进"), ("沙颍河航道", "加快推进")]
            + [("徒骇航道", "规划研究建设"), ("贾鲁河航道", "规划研究建设")],
        ),
        case("waterway_zh", each("徒骇航道", "贾鲁河航道"), stage="规划研究建设"),
    ],
    # 第十章 (lines 558, 564, 581).
    "responsible-bodies": [
        case(
            "body_zh role",
            [
                (f"{p}省人民政府", "kind:role-principal")
                for p in ["河南", "河北", "山西", "安徽", "山东"]
            ]
            + [
                ("国务院有关部门", "kind:role-guidance"),
                ("国家发展改革委", "kind:role-supervision"),
                ("住房城乡建设部", "kind:role-cooperation"),
                ("国务院有关部门", "kind:role-cooperation"),
            ],
        ),
        case("province_zh", each("河南", "河北", "山西", "安徽", "山东"), role="责任主体"),
    ],
    # 第二章第二节 (lines 109–121) and 第三节 (lines 127–137).
    "strategic-positions": [
        case(
            "position_zh line",
            [
                ("经济发展新增长极", "109"),
                ("重要的先进制造业和现代服务业基地", "111"),
                ("中西部地区创新创业先行区", "113"),
                ("内陆地区双向开放新高地", "115"),
                ("绿色生态发展示范区", "121"),
            ],
        )
    ],
    "development-paths": [
        case(
            "path_zh line",
            [
                ("核心带动，推进大都市区国际化发展", "127"),
                ("轴带导向，推进交通网络现代化发展", "129"),
                ("生态宜居，推进生产生活绿色化发展", "131"),
                ("创新驱动，推进产业集群高端化发展", "135"),
                ("共建共享，推进城市群一体化协同发展", "137"),
            ],
        )
    ],
    # 近期目标 (line 141): the measurable ones; the 2025 goals (line 145) have none.
    "goal-targets": [
        case(
            "goal_zh indicator_zh value unit year",
            [
                ("近期目标", "常住人口城镇化率", "56", "%", "2020"),
                ("近期目标", "地级及以上城市空气质量达标比例", "", "", "2020"),
                ("近期目标", "地表水达到或好于Ⅲ类水体比例", "", "", "2020"),
                ("近期目标", "实际利用外资", "", "", "2020"),
                ("近期目标", "对外贸易", "", "", "2020"),
            ],
        ),
        case("target", [], goal="远期目标"),
    ],
    # 第六章第三节 (line 369).
    "coal-bases": [
        case(
            "base_zh province_zh measure_zh",
            [
                ("晋中", "山西", "晋中煤炭基地接续煤矿"),
                ("晋中", "山西", "晋中煤炭基地控制煤炭生产规模"),
                ("晋东", "山西", "晋东煤炭基地接续煤矿"),
                ("晋东", "山西", "晋东煤炭基地控制煤炭生产规模"),
                ("鲁西", "山东", "鲁西煤炭基地压缩煤炭生产规模"),
                ("冀中", "河北", "冀中煤炭基地压缩煤炭生产规模"),
                ("河南", "河南", "河南煤炭基地压缩煤炭生产规模"),
                ("两淮", "安徽", "两淮煤炭基地压缩煤炭生产规模"),
            ],
        )
    ],
    # 专栏 6 (lines 375–379).
    "energy-capacities": [
        case(
            "capacity capacity_unit places_zh:set",
            [
                ("1800", "万吨/年", S({"洛阳"})),
                ("1200", "万吨/年", S({"东明"})),  # 东明 is a county of 菏泽
                ("1000", "万吨/年", S({"商丘"})),
                ("500", "千伏", S()),
                ("300", "万吨", S({"峰峰矿区"})),  # a district of 邯郸
                ("220", "千伏", S()),
                ("15", "万吨/年", S({"南阳"})),
            ],
        ),
        case("capacity", each("1800", "1200", "1000"), min_capacity="1000", unit="万吨/年"),
    ],
    # 专栏 7 水生态文明建设工程 (line 401); 第六章第五节 (line 415) and 第二节 (line 345).
    "pilot-designations": [
        case(
            "place_zh city_zh",
            [(c, c) for c in ["郑州", "洛阳", "许昌", "焦作", "南阳", "邯郸", "邢台", "蚌埠"]]
            + [("利辛县", "亳州")],
        ),
        case(
            "class place_zh",
            [("zy:SpongeCityPilot", "鹤壁")]
            + [("zy:FiveGPilot", c) for c in ("郑州", "洛阳", "邯郸")],
            kind=["海绵城市试点", "zy:FiveGPilot"],
        ),
    ],
    # 鹤壁: resource-based (line 177), smart city (line 357), sponge city (line 415), circular
    # economy (line 469), key population concentration (line 187).
    "city-designations": [
        case(
            "class",
            each(
                "zy:ResourceBasedCity",
                "zy:SmartCityPilot",
                "zy:SpongeCityPilot",
                "zy:CircularEconomyDemonstration",
                "zy:KeyPopulationConcentration",  # a node city of 沿京广发展主轴 (lines 161, 187)
            ),
        )
    ],
    # 专栏 1 (lines 239–243) and 专栏 2 电子信息产业集群 (line 253).
    "industry-clusters": [
        case(
            "cluster_zh",
            each("装备制造产业集群", "特色汽车零部件集群", "消费品产业集群", "千亿级食品产业集群")
            + each(
                *(
                    f"{c}产业集群"
                    for c in [
                        "中高端服装",
                        "环保家居",
                        "智能家电",
                        "制鞋",
                        "箱包",
                        "发制品",
                        "贵金属与珠宝玉石",
                        "精品原材料",
                        "铝深加工",
                        "精品陶瓷",
                        "特种玻璃",
                        "非金属矿物制品",
                    ]
                )
            ),
        ),
        case(
            "cluster_zh",
            each(
                *(
                    f"{c}产业集群"
                    for c in [
                        "电子信息",
                        "高端软件",
                        "信息安全",
                        "物联网",
                        "云计算",
                        "大数据",
                        "电子终端",
                        "可穿戴设备",
                        "网络通信",
                        "半导体照明",
                        "数字视听",
                        "北斗导航定位",
                    ]
                )
            ),
            part="plan/box02",
        ),
    ],
    # 专栏 2 (lines 249–259): its six items.
    "emerging-industries": [
        case(
            "industry_zh bases_zh:set",
            [
                ("生物医药", S({"生物医药产业基地", "现代中药产业基地"})),
                ("先进材料", S({"特色新材料产业基地"})),
                ("电子信息产业集群", S()),
                ("机器人", S({"智能机器人制造基地"})),
                ("新能源汽车", S({"新能源汽车研发制造基地"})),
                ("基因检测", S()),
            ],
        ),
        case(
            "industry_zh priorities_zh:set",
            [
                ("机器人", S({"工业机器人", "特种机器人", "服务机器人"})),
                (
                    "生物医药",
                    S(
                        {
                            "化学创新药",
                            "现代中药",
                            "生物技术药物",
                            "新型医疗器械",
                            "生物类似药",
                            "新型疫苗",
                        }
                    ),
                ),
            ],
            industry=["机器人", "Biomedicine"],
        ),
    ],
    # 专栏 8 (lines 437–451).
    "ecological-network": [
        case(
            "element_zh class_zh",
            [(f"{m}生态屏障", "生态屏障") for m in ("太行山", "伏牛山", "桐柏—大别山")]
            + [
                (c, "生态廊道")
                for c in (
                    "南水北调中线生态廊道",
                    "黄河中下游沿线生态廊道",
                    "明清黄河故道生态廊道",
                    "沿淮生态经济廊道",
                )
            ],
        )
    ],
    # 第七章第一节 (lines 427, 431) and 第二节 (line 459).
    "ecology-projects": [
        case(
            "project_zh",
            each(
                *(
                    f"{r}水土保持工程"
                    for r in (
                        "黄土高原沟壑丘陵区",
                        "豫西山区",
                        "丹江口库区及上游地区",
                        "太行山区",
                        "大别山区",
                    )
                ),
                "太行山和豫南大别山水土保持功能区",
                "豫西伏牛山生物多样性维护功能区",
                "桐柏山及丹江口水库水源涵养功能区",
                "沿淮调蓄洪区生态保护区",
                "淮河、黄河中下游、海河及其主要支流源头区、重点水源涵养区、各类自然保护区和生态脆弱地区的保护",
                "漳河水生态修复工程",
                "沁河水生态修复工程",
                "涑水河水生态修复工程",
                "海河、淮河、黄河、长江流域和丹江口库区等水环境综合治理",
            ),
        ),
        case(
            "project_zh",
            each("太行山和豫南大别山水土保持功能区", "大别山区水土保持工程"),
            feature="大别山",
        ),
    ],
    # 第九章第三节 (line 552).
    "regional-cooperation": [
        case(
            "partners_zh:set",
            each(
                S({"京津冀"}),
                S({"长三角"}),
                S({"珠三角"}),
                S({"东北"}),
                S({"长江中游城市群"}),
                S({"成渝城市群"}),
                S({"关中平原城市群"}),
                S({"晋陕豫黄河金三角", "三门峡", "运城"}),
                S({"京津冀", "安阳", "聊城", "邢台", "邯郸"}),
                S({"淮河生态经济带"}),
                S({"汉江生态经济带"}),
                S({"大别山革命老区"}),
            ),
        )
    ],
    # 文化遗产保护 (line 492).
    "cultural-heritage": [
        case(
            "item_zh class_zh",
            [(f"{c}历史文化名城", "历史文化名城") for c in ("洛阳", "郑州", "开封")]
            + [(s, "遗产地") for s in ("长城", "大运河", "丝绸之路", "淮海战役总前委旧址")]
            + [("二里头夏朝遗址博物馆", "博物馆项目"), ("中原考古博物院", "博物馆项目")],
        )
    ],
    # 传统戏曲传承和传统工艺振兴 (line 494).
    "local-operas": [
        case(
            "opera_zh",
            each(
                *[
                    "豫剧",
                    "晋剧",
                    "蒲剧",
                    "曲剧",
                    "越调",
                    "宛梆",
                    "上党梆子",
                    "泗州戏",
                    "坠子戏",
                    "二夹弦",
                    "山东梆子",
                    "大平调",
                    "枣梆",
                ]
            ),
        )
    ],
    # 第八章第三节 (line 516) and 第二节 (line 504, 510).
    "public-service-projects": [
        case(
            "project_zh",
            each(
                "高水平中外合作大学",
                "中外合作办学机构",
                "一流大学和一流学科建设",
                "职业教育园区",
                "区域性技术技能人才培养培训基地",
                "特色职业教育基地",
                "职业教育集团",
            ),
        ),
        case(
            "project_zh",
            each(
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
            ),
            kind="zy:HealthProject",
        ),
    ],
    # 第四章 (lines 197, 209, 215, 219, 225) and 专栏 2 (line 259).
    "innovation-platforms": [
        case(
            "platform_zh places_zh:set",
            [
                ("郑洛新国家自主创新示范区", S({"郑州", "洛阳", "新乡"})),
                ("郑汴“双创”走廊", S({"郑州", "开封"})),
                ("合芜蚌国家自主创新示范区", S({"合肥", "芜湖", "蚌埠"})),
                ("郑州航空港经济综合实验区双创示范基地", S({"郑州"})),
                ("国家技术转移郑州中心", S({"郑州"})),
                ("国家专利审查协作河南中心", S({"河南"})),
                ("郑州航空港引智试验区", S({"郑州"})),
                ("郑州高新区国家级高层次人才创新创业基地", S({"郑州"})),
                ("中科院产业技术创新和育成中心", S({"郑州"})),
                ("河南省基因检测技术应用示范中心", S({"河南"})),
            ],
        ),
        case("platform_zh", each("合芜蚌国家自主创新示范区"), place="蚌埠"),
    ],
    # 第九章第二节 (lines 540–546), 第一节 (line 536), 专栏 5 (line 361), 第三章 (line 153).
    "opening-up-platforms": [
        case(
            "platform_zh",
            each(
                "中国（河南）自由贸易试验区",
                "上海自由贸易试验区",
                "安徽自由贸易试验区",
                "中国（郑州）跨境电子商务综合试验区",
                "郑州航空港经济综合实验区",
                "航空港",
                "国际陆港",
                "中德高端装备产业园区",
                "海关特殊监管区域",
                "保税监管场所",
                "综合保税区",
                "保税物流中心",
                "聊城保税物流中心（B 型）",
            ),
        ),
        case(
            "platform_zh",
            each("中国（河南）自由贸易试验区", "上海自由贸易试验区", "安徽自由贸易试验区"),
            kind="自由贸易试验区",
        ),
    ],
    # 第一章 (line 69), 第三章 (lines 159–163), 第六章 (line 305).
    "transport-corridors": [
        case(
            "corridor_zh ends_zh:set",
            [
                ("陆桥通道", S()),
                ("京广通道", S()),
                ("济（南）郑（州）渝（重庆）通道", S({"济南", "重庆"})),
                ("太（原）郑（州）合（肥）通道", S({"太原", "合肥"})),
                ("聊（城）邯（郸）长（治）通道", S({"聊城", "长治"})),
                ("沿淮通道", S()),
            ],
        )
    ],
    # 第六章第一节 (line 299).
    "freight-trains": [
        case(
            "service_zh end_zh",
            [
                *pairs("中欧班列（郑州）", "郑州 汉堡 卢森堡 法兰克福"),
                ("连接沿海港口群的铁路货运班列", ""),
            ],
        )
    ],
    # Title page (lines 5, 7) and 前言 (lines 61, 65).
    "plan-overview": [
        case(
            "title issued period_start period_end outlook_year basis_zh",
            [
                ("中原城市群发展规划", "2016-12", "2016", "2020", "2025", basis)
                for basis in (
                    "国家“十三五”规划《纲要》",
                    "《国家新型城镇化规划（2014—2020年）》",
                    "《促进中部地区崛起“十三五”规划》",
                )
            ],
        )
    ],
    "passages-mentioning": [
        case(
            "line part_zh",
            [("299", "第六章 加快基础设施互联互通"), ("536", "第九章 全面提升对内对外开放水平")],
        ),
        case(
            "line",
            each("271", "425", "445"),  # 专栏 3 旅游, 第七章第一节, 专栏 8
            text="南水北调",
        ),
        case("line", [], text='郑州" } ; DROP ALL #'),
    ],
    # 专栏 3 (line 265), 专栏 4 (line 321), 第六章 (line 313), 第九章 (lines 540, 544).
    "logistics-bases": [
        case(
            "base_zh where_zh",
            [("郑州圃田物流基地", "圃田"), ("郑州薛店物流基地", "薛店")]
            + [
                ("安阳铁路物流基地", "安阳"),
                ("新乡铁路物流基地", "新乡"),
                ("南阳铁路物流基地", "南阳"),
                ("洛阳铁路物流基地", "洛阳"),
                ("阜阳北铁路物流基地", "阜阳"),
                ("信阳铁路物流基地", "信阳"),
                ("运城西铁路物流基地", "运城"),
                ("三门峡铁路物流基地", "三门峡"),
            ]
            + [(f"{p}物流园区", "郑州") for p in ("航空港", "铁路港", "公路港")]
            + [
                ("郑州高铁快件物流集散中心", "郑州"),
                ("郑州国际物流中心", "郑州"),
                ("现代综合性和专业性物流园区", "中原城市群"),
                ("跨境电子商务商品物流分拨中心", "中原城市群"),
                ("国内进出口货物集散中心", "郑州"),
            ],
        ),
        case(
            "base_zh",
            each(
                "郑州圃田物流基地",
                "郑州薛店物流基地",
                "航空港物流园区",
                "铁路港物流园区",
                "公路港物流园区",
                "郑州高铁快件物流集散中心",
                "郑州国际物流中心",
                "国内进出口货物集散中心",
            ),
            place="郑州",
        ),
    ],
    # 蚌埠: 专栏 4 (lines 319, 325, 333, 337), 专栏 3 (line 273), 第四章 (line 197).
    "projects-in-place": [
        case(
            "project_zh",
            each(
                "蚌埠机场",
                "合肥至蚌埠至宿州至淮北城际铁路",
                "蚌埠至五河高速公路",
                "合徐高速固镇连接线",  # 固镇 is a county of 蚌埠
                "蚌埠港",
                "蚌埠大禹国家级文化产业示范园区",
                "合芜蚌国家自主创新示范区",
            ),
        ),
        case("project_zh", each("鲁山机场"), place="county/lushan"),
    ],
    # 专栏 4 机场 (line 319); 专栏 6 (line 375).
    "projects-by-province": [
        case(
            "city_zh project_zh stages_zh",
            [("菏泽", "菏泽机场", "有序推进"), ("聊城", "聊城机场", "有序推进")],
        ),
        case(
            "city_zh project_zh",
            [
                ("长治", "长治（霍东、潞安、武夏）矿区煤层气勘探开发项目"),
                ("晋城", "晋城（马必、柿庄南）矿区煤层气勘探开发项目"),
            ],
            province="山西",
            kind="煤层气项目",
        ),
    ],
}

CASES = [(name, c) for name, cases in EXPECTED.items() for c in cases]
CASE_IDS = [f"{name}-{index}" for name, cases in EXPECTED.items() for index in range(len(cases))]


@pytest.fixture(scope="module")
def graph(built: BuildReport) -> LocalGraph:
    """The session's build of the real records (tests/conftest.py) in the embedded store."""
    return load(built.dist)


def normalise(columns: Sequence[str], rows: Iterable[Mapping[str, str]], base: str) -> Counter:
    """The compared columns of each row as a tuple (IRIs as ids, aggregates as sets)."""
    out: Counter = Counter()
    for row in rows:
        values: list[object] = []
        for column in columns:
            name, _, kind = column.partition(":")
            value = row.get(name, "")
            if kind == "set":
                values.append(frozenset(v for v in value.split(SEPARATOR) if v))
            else:
                values.append(short_form(value, base) if value.startswith("http") else value)
        out[tuple(values)] += 1
    return out


def rows_from_json(body: bytes) -> list[dict[str, str]]:
    """SPARQL JSON results as rows of plain strings."""
    document = json.loads(body)
    return [
        {name: cell["value"] for name, cell in binding.items()}
        for binding in document["results"]["bindings"]
    ]


def rows_from_csv(body: bytes) -> list[dict[str, str]]:
    """SPARQL CSV results as rows of plain strings."""
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def expected(c: Case) -> Counter:
    return Counter(tuple(row) for row in c.rows)


def test_every_saved_query_has_its_expected_answer():
    assert set(EXPECTED) == set(load_catalog())


@pytest.mark.parametrize(("name", "c"), CASES, ids=CASE_IDS)
def test_answer_in_json_and_csv(graph: LocalGraph, name: str, c: Case):
    prepared = prepare(load_catalog()[name], c.params, graph.candidates, graph.base)
    as_json = rows_from_json(graph.run(prepared.sparql, "json").body)
    assert normalise(c.columns, as_json, graph.base) == expected(c)
    as_csv = rows_from_csv(graph.run(prepared.sparql, "csv").body)
    assert normalise(c.columns, as_csv, graph.base) == expected(c)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_answer_through_the_cli(built: BuildReport, graph: LocalGraph, capsys, name: str):
    from zhongyuan_kg.cli import main

    c = EXPECTED[name][-1]
    args = ["query", "--saved", name, "--format", "csv", "--dist", str(built.dist)]
    for param, values in c.params.items():
        args += [arg for value in values for arg in ("--param", f"{param}={value}")]
    assert main(args) == 0
    out = capsys.readouterr().out.encode()
    assert normalise(c.columns, rows_from_csv(out), graph.base) == expected(c)
