"""Curator A's strategy records: plan metadata, positions, paths, goals, targets, roles."""

from records import solutions
from records_part_a import FILES, PART_A

from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.namespaces import SITE

values = PART_A.values
of_class = PART_A.ids_of


def test_plan_metadata():
    assert values("plan", "dcterms:issued") == {"2016-12"}
    assert values("plan", "periodStart") == {2016}
    assert values("plan", "periodEnd") == {2020}
    assert values("plan", "outlookYear") == {2025}
    assert values("plan", "basedOn") == of_class("BasisDocument")
    assert len(of_class("BasisDocument")) == 3
    assert values("plan", "servesStrategy") == {
        "strategy/rise-of-central-china",
        "strategy/belt-and-road",
        "strategy/new-urbanisation",
    }


def test_five_positions_and_five_paths_in_order():
    labels = {entity_id: PART_A.zh_label(entity_id) for entity_id in PART_A.defined}
    assert [labels[f"position/{n}"] for n in range(1, 6)] == [
        "经济发展新增长极",
        "重要的先进制造业和现代服务业基地",
        "中西部地区创新创业先行区",
        "内陆地区双向开放新高地",
        "绿色生态发展示范区",
    ]
    assert [labels[f"path/{n}"][:4] for n in range(1, 6)] == [
        "核心带动",
        "轴带导向",
        "生态宜居",
        "创新驱动",
        "共建共享",
    ]
    assert len(of_class("StrategicPosition")) == len(of_class("DevelopmentPath")) == 5


def test_measurable_2020_targets():
    national = {"kind:meets-national-standard"}
    measurable = {
        entity_id: (
            values(entity_id, "measures"),
            values(entity_id, "comparator"),
            values(entity_id, "targetValue"),
            values(entity_id, "unit"),
        )
        for entity_id in of_class("Target")
    }
    assert measurable == {
        "target/urbanisation-rate-2020": (
            {"indicator/urbanisation-rate"}, {"kind:greater-than"}, {56}, {"%"},
        ),
        "target/air-quality-compliance-2020": (
            {"indicator/air-quality-compliance-ratio"}, national, set(), set(),
        ),
        "target/surface-water-class-iii-2020": (
            {"indicator/surface-water-class-iii-ratio"}, national, set(), set(),
        ),
        "target/foreign-capital-2020": (
            {"indicator/actual-use-of-foreign-capital"}, {"kind:remains-leading"}, set(), set(),
        ),
        "target/foreign-trade-2020": (
            {"indicator/foreign-trade"}, {"kind:remains-leading"}, set(), set(),
        ),
    }  # fmt: skip


def test_every_target_belongs_to_the_goal_of_its_year():
    targets = of_class("Target") | of_class("QualitativeTarget")
    by_goal = {
        goal: {t for t in targets if values(t, "partOfGoal") == {goal}}
        for goal in ("goal/2020", "goal/2025")
    }
    assert len(by_goal["goal/2020"]) == 15 and len(by_goal["goal/2025"]) == 6
    assert by_goal["goal/2020"] | by_goal["goal/2025"] == targets
    for goal, members in by_goal.items():
        assert {year for t in members for year in values(t, "targetYear")} == {int(goal[-4:])}


def test_urbanisation_baseline_is_not_a_target():
    assert values("baseline/urbanisation-rate", "comparator") == {"kind:approaching"}
    assert values("baseline/urbanisation-rate", "targetValue") == {50}
    assert "baseline/urbanisation-rate" not in of_class("Target")


def test_responsibilities_of_chapter_10():
    roles = {
        (next(iter(values(r, "responsibleParty"))), next(iter(values(r, "responsibilityRole"))))
        for r in of_class("Responsibility")
    }
    provinces = ("henan", "hebei", "shanxi", "anhui", "shandong")
    assert roles == {(f"org/{p}-government", "kind:role-principal") for p in provinces} | {
        ("org/state-council-departments", "kind:role-guidance"),
        ("org/state-council-departments", "kind:role-cooperation"),
        ("org/ndrc", "kind:role-supervision"),
        ("org/mohurd", "kind:role-cooperation"),
    }
    assert all(values(r, "responsibleFor") == {"plan"} for r in of_class("Responsibility"))
    for province in provinces:
        assert values(f"org/{province}-government", "governs") == {f"province/{province}"}


def test_every_quote_is_verbatim_in_one_passage():
    assert PART_A.misquoted() == []


def test_each_record_is_defined_once_and_complete():
    assert PART_A.definition_problems() == []
    designations = {
        entity_id
        for entity_id, facts in PART_A.entities.items()
        if entity_id.startswith("designation/") and facts["a"]
    }
    for entity_id in designations:
        assert values(entity_id, "designatedPlace") and values(entity_id, "hasStage"), entity_id
    assert len(FILES) == 5


# ── the same facts, asked of the built graph ─────────────────────────────────────────────
def test_built_graph_numeric_targets_of_2020(built: BuildReport):
    rows = solutions(
        built,
        """SELECT ?indicator ?comparator ?value ?unit WHERE {
            ?target zy:partOfGoal ?goal ; zy:measures/rdfs:label ?indicator ;
                zy:comparator ?comparator ; zy:targetValue ?value ; zy:unit ?unit .
            FILTER(STRENDS(STR(?goal), "goal/2020") && lang(?indicator) = "zh") }""",
        graph="facts",
    )
    assert rows == [("常住人口城镇化率", f"{SITE}vocab/kind/greater-than", "56", "%")]


def test_built_graph_who_is_responsible_for_the_plan(built: BuildReport):
    rows = solutions(
        built,
        """SELECT ?party ?role WHERE {
            ?duty zy:responsibleFor ?plan ; zy:responsibilityRole ?role ;
                zy:responsibleParty/rdfs:label ?party .
            FILTER(STRENDS(STR(?plan), "/id/plan") && lang(?party) = "zh") }""",
        graph="facts",
    )
    role = f"{SITE}vocab/kind/role-"
    provinces = ("河南省", "河北省", "山西省", "安徽省", "山东省")
    assert sorted(rows) == sorted(
        [(f"{province}人民政府", role + "principal") for province in provinces]
        + [
            ("国务院有关部门", role + "guidance"),
            ("国务院有关部门", role + "cooperation"),
            ("国家发展改革委", role + "supervision"),
            ("住房城乡建设部", role + "cooperation"),
        ]
    )


def test_built_graph_plan_period_and_issue_date(built: BuildReport):
    rows = solutions(
        built,
        """SELECT ?issued (DATATYPE(?issued) AS ?type) ?start ?end ?outlook WHERE {
            ?plan dcterms:issued ?issued ; zy:periodStart ?start ; zy:periodEnd ?end ;
                zy:outlookYear ?outlook }""",
        graph="facts",
    )
    gyearmonth = "http://www.w3.org/2001/XMLSchema#gYearMonth"
    assert rows == [("2016-12", gyearmonth, "2016", "2020", "2025")]
