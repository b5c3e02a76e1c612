"""The issue's examples, asked of the built graph in SPARQL and answered exactly."""

from __future__ import annotations

import pytest
from records import solution_set

from zhongyuan_kg.graph.build import BuildReport


def test_airport_projects_at_the_nodes_of_the_taiyuan_zhengzhou_hefei_axis(built: BuildReport):
    found = solution_set(
        built,
        """
        SELECT ?city ?verb ?role WHERE {
          VALUES ?axis { <https://w3id.org/zhongyuan-kg/id/axis/taiyuan-zhengzhou-hefei> }
          {
            ?axis zy:hasNodeCity ?city . BIND("node" AS ?role)
          } UNION {
            ?axis zy:hasTerminus|zy:passesThrough ?city .
            FILTER NOT EXISTS { ?axis zy:hasNodeCity ?city } BIND("named, not a node" AS ?role)
          }
          ?project a/rdfs:subClassOf* zy:AirportProject ; zy:locatedIn ?city ; zy:hasStage ?stage .
          ?stage skos:prefLabel|rdfs:label ?verb . FILTER(lang(?verb) = "zh")
        }""",
    )
    assert {row for row in found if row[2] == "node"} == {
        ("city/changzhi", "完善", "node"),
        ("city/fuyang", "完善", "node"),
        ("city/bengbu", "有序推进", "node"),
    }
    apart = {row for row in found if row[2] != "node"}
    assert ("city/zhengzhou", "适时启动", "named, not a node") in apart
    assert {row[0] for row in apart} == {"city/zhengzhou"}
    phase3 = solution_set(
        built,
        """
        SELECT ?label WHERE {
          ?project zy:locatedIn <https://w3id.org/zhongyuan-kg/id/city/zhengzhou> ;
                   a/rdfs:subClassOf* zy:AirportProject ; rdfs:label ?label .
          FILTER(lang(?label) = "zh" && CONTAINS(?label, "三期"))
        }""",
    )
    assert phase3 == {("郑州新郑国际机场三期工程",)}


def hubs(built: BuildReport, level: str) -> set[str]:
    found = solution_set(
        built,
        f"""
        SELECT ?city WHERE {{
          ?hub a/rdfs:subClassOf* zy:TransportHubDesignation ; zy:hubLevel kind:{level} ;
               zy:designatedPlace ?city .
        }}""",
    )
    return {city for (city,) in found}


def test_transport_hubs_by_level(built: BuildReport):
    assert hubs(built, "hub-regional") == {
        "city/fuyang",
        "city/heze",
        "city/shangqiu",
        "city/nanyang",
        "city/anyang",
        "city/xuchang",
    }
    assert hubs(built, "hub-national") == {"city/luoyang"}


def test_members_and_linked_partners_of_the_zhengzhou_metropolitan_area(built: BuildReport):
    def cities(path: str) -> set[str]:
        found = solution_set(
            built,
            f"SELECT ?city WHERE {{ ?city {path} "
            "<https://w3id.org/zhongyuan-kg/id/area/zhengzhou-metropolitan> }",
        )
        return {city for (city,) in found}

    members = {"city/zhengzhou", "city/kaifeng", "city/xinxiang", "city/jiaozuo", "city/xuchang"}
    partners = {"city/luoyang", "city/pingdingshan", "city/luohe", "city/jiyuan"}
    assert cities("zy:memberOf|^zy:hasMember") == members
    assert cities("zy:linkedPartnerOf|^zy:hasLinkedPartner") == partners
    assert cities("zy:memberOf") == members  # the inverse is materialised by the reasoner


def test_high_speed_railways_to_be_completed(built: BuildReport):
    found = solution_set(
        built,
        """
        SELECT ?label WHERE {
          ?railway a/rdfs:subClassOf* zy:HighSpeedRailway ; zy:hasStage stage:jiancheng ;
                   rdfs:label ?label . FILTER(lang(?label) = "zh")
          FILTER EXISTS { ?railway zy:hasTerminus ?end }
        }""",
    )
    # Lines, named by their ends: the “米”字形高速铁路网 (全面建成, a network) has no termini.
    assert {label.removesuffix("铁路") for (label,) in found} == {
        "郑（州）徐（州）",
        "郑（州）万（州）",
        "郑（州）阜（阳）",
        "太（原）焦（作）",
        "郑（州）济（南）",
        "商（丘）合（肥）杭（州）",
        "曲（阜）菏（泽）兰（考）",
    }


@pytest.mark.parametrize(("area", "cities", "provinces"), [("core", 14, 3), ("linked", 16, 5)])
def test_cities_and_provinces_of_the_two_areas(built: BuildReport, area, cities, provinces):
    found = solution_set(
        built,
        f"""
        SELECT (COUNT(DISTINCT ?city) AS ?cities) (COUNT(DISTINCT ?province) AS ?provinces) WHERE {{
          ?city zy:memberOf|^zy:hasMember <https://w3id.org/zhongyuan-kg/id/area/{area}> ;
                zy:inProvince ?province .
        }}""",
    )
    assert found == {(str(cities), str(provinces))}
