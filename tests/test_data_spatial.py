"""Curator A's spatial records: the areas, the metropolitan area, the axes and the city roles."""

from records import ID, read_records, solutions
from records_part_a import FILES, PART_A

from zhongyuan_kg.graph.build import BuildReport

values = PART_A.values
of_class = PART_A.ids_of
designated = PART_A.designated

CORE = {
    "zhengzhou", "kaifeng", "luoyang", "pingdingshan", "xinxiang", "jiaozuo", "xuchang",
    "luohe", "jiyuan", "hebi", "shangqiu", "zhoukou", "jincheng", "bozhou",
}  # fmt: skip
LINKED = {
    "anyang", "puyang", "sanmenxia", "nanyang", "xinyang", "zhumadian", "handan", "xingtai",
    "changzhi", "yuncheng", "suzhou-anhui", "fuyang", "huaibei", "bengbu", "liaocheng", "heze",
}  # fmt: skip
AXIS_NODES = {
    "axis/longhai": {
        "zhengzhou", "luoyang", "kaifeng", "sanmenxia", "yuncheng", "shangqiu", "huaibei",
        "suzhou-anhui", "heze",
    },
    "axis/jingguang": {
        "xingtai", "handan", "anyang", "hebi", "xinxiang", "xuchang", "luohe", "zhumadian",
        "xinyang",
    },
    "axis/jinan-zhengzhou-chongqing": {"liaocheng", "puyang", "pingdingshan", "nanyang"},
    "axis/taiyuan-zhengzhou-hefei": {
        "changzhi", "jincheng", "jiaozuo", "jiyuan", "zhoukou", "fuyang", "bengbu",
    },
}  # fmt: skip


def cities(names: set[str]) -> set[str]:
    return {f"city/{name}" for name in names}


def test_core_and_linked_areas_have_the_preface_cities():
    assert values("area/core", "hasMember") == cities(CORE)
    assert values("area/linked", "hasMember") == cities(LINKED)
    assert len(CORE) == 14 and len(LINKED) == 16 and not CORE & LINKED
    assert values("area/core", "locatedIn") == {"agglomeration/zhongyuan"}
    assert values("area/linked", "locatedIn") == {
        "agglomeration/zhongyuan",
        "region/zhongyuan-jingjiqu",
    }


def test_metropolitan_area_members_and_linked_partners_differ():
    area = "area/zhengzhou-metropolitan"
    assert values(area, "hasMember") == cities(
        {"zhengzhou", "kaifeng", "xinxiang", "jiaozuo", "xuchang"}
    )
    assert values(area, "hasLinkedPartner") == cities(
        {"luoyang", "pingdingshan", "luohe", "jiyuan"}
    )


def test_each_axis_has_exactly_its_node_cities():
    assert of_class("MainDevelopmentAxis") == {"axis/longhai", "axis/jingguang"}
    assert of_class("DevelopmentAxis") == {
        "axis/jinan-zhengzhou-chongqing",
        "axis/taiyuan-zhengzhou-hefei",
    }
    for axis, nodes in AXIS_NODES.items():
        assert values(axis, "hasNodeCity") == cities(nodes), axis
    assert sum(len(nodes) for nodes in AXIS_NODES.values()) == 29


def test_axis_termini_and_via_places_come_from_their_names():
    assert values("axis/jingguang", "passesThrough") == {"city/zhengzhou"}
    assert "city/zhengzhou" not in values("axis/jingguang", "hasNodeCity")
    assert values("axis/jinan-zhengzhou-chongqing", "hasTerminus") == {
        "place/jinan",
        "place/chongqing",
    }
    assert values("axis/taiyuan-zhengzhou-hefei", "hasTerminus") == {"place/taiyuan", "place/hefei"}
    for axis in ("axis/jinan-zhengzhou-chongqing", "axis/taiyuan-zhengzhou-hefei"):
        assert values(axis, "passesThrough") == {"city/zhengzhou"}
    assert not values("axis/longhai", "hasTerminus")


def test_axes_rely_on_their_corridors_and_railways():
    assert values("axis/longhai", "reliesOn") == {"corridor/luqiao"}
    assert values("axis/jingguang", "reliesOn") == {"corridor/jingguang"}
    assert values("axis/jinan-zhengzhou-chongqing", "reliesOn") == {
        "project/hsr/zhengzhou-jinan",
        "project/hsr/zhengzhou-wanzhou",
    }
    assert values("axis/taiyuan-zhengzhou-hefei", "reliesOn") == {
        "project/hsr/zhengzhou-hefei",
        "project/hsr/zhengzhou-taiyuan",
    }
    assert values("project/hsr/zhengzhou-hefei", "hasTerminus") == {"city/zhengzhou", "place/hefei"}
    assert values("project/hsr/zhengzhou-taiyuan", "hasTerminus") == {
        "city/zhengzhou",
        "place/taiyuan",
    }


def test_axis_industry_lists():
    focus = {
        axis: {i.removeprefix("industry/") for i in values(axis, "hasIndustryFocus")}
        for axis in AXIS_NODES
    }
    assert focus["axis/longhai"] == {
        "electronic-information", "automobiles-and-parts", "equipment-manufacturing",
        "non-ferrous-metals", "biomedicine", "energy-and-chemicals",
    }  # fmt: skip
    assert focus["axis/jingguang"] == {
        "food-processing", "high-end-equipment", "biomedicine", "fine-steel",
        "electronic-information", "energy-saving-environmental", "modern-home-furnishing",
    }  # fmt: skip
    assert focus["axis/jinan-zhengzhou-chongqing"] == {
        "equipment-manufacturing", "energy-and-chemicals", "specialty-light-industry",
    }  # fmt: skip
    assert focus["axis/taiyuan-zhengzhou-hefei"] == {
        "equipment-manufacturing", "textiles-and-garments", "food-processing", "biomedicine",
        "automobiles-and-parts",
    }  # fmt: skip


def test_the_seventeen_industries_of_part_a():
    # 生物医药 and 电子信息 are typed with the subclass: box 2 lists them as strategic emerging.
    emerging = of_class("StrategicEmergingIndustry")
    assert emerging == {"industry/biomedicine", "industry/electronic-information"}
    assert len(of_class("Industry") | emerging) == 17


def test_city_roles_name_exactly_the_cities_of_the_text():
    assert designated("NationalCentralCity") == cities({"zhengzhou"})
    assert designated("MegaCity") == cities({"zhengzhou"})
    assert designated("SubCentreCity") == cities({"luoyang"})
    assert designated("RegionalCentreCity") == cities(
        {"changzhi", "handan", "liaocheng", "anyang", "bengbu", "fuyang", "shangqiu", "nanyang"}
    )
    assert designated("IndustrialNodeCity") == cities({"luohe", "jiyuan"})
    assert designated("TraditionalAgriculturalNodeCity") == cities(
        {"zhoukou", "xinyang", "zhumadian", "heze", "yuncheng"}
    )
    assert designated("ResourceBasedCity") == cities(
        {"pingdingshan", "hebi", "puyang", "sanmenxia", "suzhou-anhui", "huaibei", "bozhou",
         "xingtai", "jincheng"}
    )  # fmt: skip
    assert designated("MetropolitanGatewayCity") == cities(
        {"kaifeng", "xinxiang", "jiaozuo", "xuchang"}
    )
    assert designated("BeltRoadNodeCity") == cities(
        {"zhengzhou", "luoyang", "kaifeng", "sanmenxia"}
    )
    assert designated("AxisNodeCity") == cities(
        {"yuncheng", "shangqiu", "huaibei", "suzhou-anhui", "heze",
         "liaocheng", "puyang", "pingdingshan", "nanyang"}
    )  # fmt: skip


def test_key_population_places_are_the_metropolitan_area_and_all_axis_nodes():
    every_node = set().union(*AXIS_NODES.values())
    assert designated("KeyPopulationConcentration") == cities(every_node) | {
        "area/zhengzhou-metropolitan"
    }


def test_stages_follow_the_governing_verb():
    stage = {entity_id: values(entity_id, "hasStage") for entity_id in PART_A.entities}
    assert stage["designation/national-central-city/zhengzhou"] == {"stage:zhichi"}
    assert stage["designation/sub-centre-city/luoyang"] == {"stage:tisheng"}
    assert {s for i in of_class("RegionalCentreCity") for s in stage[i]} == {"stage:zhichi"}
    assert {s for i in of_class("MetropolitanGatewayCity") for s in stage[i]} == {"stage:dazao"}
    assert stage["project/hsr/zhengzhou-hefei"] == {"stage:jiakuai"}


def test_coordinated_zones_name_no_cities():
    zones = of_class("CoordinatedDevelopmentZone")
    assert zones == {"zone/north", "zone/east", "zone/west", "zone/south"}
    assert not any(values(zone, "hasMember") for zone in zones)


def test_population_thresholds():
    thresholds = {
        entity_id: (values(entity_id, "targetValue"), values(entity_id, "unit"))
        for entity_id in of_class("PopulationThreshold")
        if values(entity_id, "comparator") == {"kind:at-least"}
    }
    assert thresholds == {
        "threshold/big-city-1m": ({100}, {"万人"}),
        "threshold/large-city-3m": ({300}, {"万人"}),
        "threshold/medium-city-500k": ({50}, {"万人"}),
        "threshold/small-city-200k": ({20}, {"万人"}),
    }


def test_pilots_without_a_named_place_are_programmes_in_the_agglomeration():
    pilots = of_class("PilotProgramme")
    assert pilots == {
        "project/pilot/small-medium-city-comprehensive-reform",
        "project/pilot/developed-town-admin-reform",
        "project/pilot/agri-target-price-insurance",
    }
    assert all(values(pilot, "locatedIn") == {"agglomeration/zhongyuan"} for pilot in pilots)


# ── the same facts, asked of the built graph ─────────────────────────────────────────────
def test_built_graph_regional_centre_cities_by_their_labels(built: BuildReport):
    rows = solutions(
        built,
        """SELECT ?name WHERE {
            ?role a zy:RegionalCentreCity ; zy:designatedPlace ?city .
            ?city rdfs:label ?name FILTER(lang(?name) = "zh") }""",
        graph="facts",
    )
    assert sorted(name for (name,) in rows) == sorted(
        ["长治", "邯郸", "聊城", "安阳", "蚌埠", "阜阳", "商丘", "南阳"]
    )


def test_built_graph_membership_counts_per_area(built: BuildReport):
    rows = solutions(
        built,
        """SELECT ?area (COUNT(?city) AS ?n) WHERE {
            VALUES ?area { <{area}core> <{area}linked> <{area}zhengzhou-metropolitan> }
            ?area zy:hasMember ?city } GROUP BY ?area""".replace("{area}", f"{ID}area/"),
        graph="facts",
    )
    assert {area.rsplit("/", 1)[-1]: int(n) for area, n in rows} == {
        "core": 14,
        "linked": 16,
        "zhengzhou-metropolitan": 5,
    }


def test_built_graph_axis_nodes_are_cities_of_the_gazetteer(built: BuildReport):
    rows = solutions(
        built,
        """SELECT ?axis (COUNT(DISTINCT ?city) AS ?n) WHERE {
            ?axis zy:hasNodeCity ?city . ?city a zy:PrefectureLevelCity } GROUP BY ?axis""",
        graph="facts",
    )
    counts = {axis.rsplit("/", 1)[-1]: int(n) for axis, n in rows}
    assert counts == {
        "longhai": 9,
        "jingguang": 9,
        "jinan-zhengzhou-chongqing": 4,
        "taiyuan-zhengzhou-hefei": 6,
    }  # 济源 is a province-administered city, not a prefecture-level one


def test_built_graph_every_entity_cites_its_own_chapter(built: BuildReport):
    chapter_of_file = {
        "ch00-plan.yaml": "plan/preface",
        "ch01-background.yaml": "plan/ch01",
        "ch02-requirements.yaml": "plan/ch02",
        "ch03-spatial.yaml": "plan/ch03",
        "ch10-implementation.yaml": "plan/ch10",
    }
    rows = solutions(
        built,
        """SELECT ?entity ?part WHERE {
            ?entity zy:hasCitation/zy:citedPassage/dcterms:isPartOf* ?part }""",
        graph="provenance",
    )
    parts: dict[str, set[str]] = {}
    for entity, part in rows:
        parts.setdefault(entity, set()).add(part)
    for name in FILES:
        for record in read_records(name):
            if record["id"] != "plan" and not record.get("extend"):
                assert chapter_of_file[name] in parts[record["id"]], record["id"]


def test_reasoner_fills_the_area_and_axis_city_classes(built: BuildReport):
    rows = solutions(
        built,
        """SELECT ?class ?city WHERE {
            VALUES ?class { zy:CoreAreaCity zy:LinkedAreaCity zy:MetropolitanAreaCity
                            zy:NodeCity zy:MainAxisNodeCity }
            ?city a ?class }""",
        graph="inferences",
    )
    members: dict[str, set[str]] = {}
    for class_iri, city in rows:
        members.setdefault(class_iri.rsplit("#", 1)[-1], set()).add(city)
    main_axes = AXIS_NODES["axis/longhai"] | AXIS_NODES["axis/jingguang"]
    assert members == {
        "CoreAreaCity": cities(CORE),
        "LinkedAreaCity": cities(LINKED),
        "MetropolitanAreaCity": cities({"zhengzhou", "kaifeng", "xinxiang", "jiaozuo", "xuchang"}),
        "NodeCity": cities(set().union(*AXIS_NODES.values())),
        "MainAxisNodeCity": cities(main_axes),
    }
