"""Records are validated against the format, the ontology and the text; every problem is named."""

from pathlib import Path

import pytest
from rdflib import RDFS, Literal, URIRef

from zhongyuan_kg.graph import rdf, records, text
from zhongyuan_kg.graph.terms import load_terms
from zhongyuan_kg.namespaces import DEFAULT_BASE, GEO, PROV, STAGE, WGS, ZY

GOOD = """\
records:
  - id: province/henan
    a: Province
    label: {zh: 河南, en: Henan Province}
    adcodeName: 河南省
    quote: 以河南省郑州市
  - id: city/zhengzhou
    a: PrefectureLevelCity
    label: {zh: 郑州, en: Zhengzhou}
    altLabel: {zh: [郑州市, 郑]}
    adcodeName: 郑州市
    inProvince: province/henan
  - id: project/airport/zhengzhou-xinzheng-phase3
    a: AirportProject
    label: {zh: 郑州新郑国际机场三期工程, en: Zhengzhou Xinzheng International Airport Phase III}
    quote: 适时启动郑州新郑国际机场三期工程及北货运区等配套设施建设
    hasStage: stage:shishi-qidong
    locatedIn: city/zhengzhou
  - id: city/zhengzhou
    extend: true
    quote: {text: 郑州, line: 63}
"""


@pytest.fixture(scope="module")
def terms():
    return load_terms()


@pytest.fixture(scope="module")
def document():
    return text.load()


def write(folder: Path, name: str, content: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


def problems(folder: Path, terms, document) -> list[str]:
    with pytest.raises(records.InvalidRecords) as caught:
        records.load_and_validate(folder, terms, document)
    return [str(error) for error in caught.value.errors]


def test_good_records_become_entities_and_triples(tmp_path, terms, document):
    write(tmp_path, "good.yaml", GOOD)
    entities = records.load_and_validate(tmp_path, terms, document)
    assert [entity.id for entity in entities] == [
        "city/zhengzhou",
        "project/airport/zhengzhou-xinzheng-phase3",
        "province/henan",
    ]
    facts = rdf.facts_graph(entities, DEFAULT_BASE)
    city = URIRef(DEFAULT_BASE + "city/zhengzhou")
    project = URIRef(DEFAULT_BASE + "project/airport/zhengzhou-xinzheng-phase3")
    assert set(facts.objects(city, RDFS.label)) == {
        Literal("郑州", lang="zh"),
        Literal("Zhengzhou", lang="en"),
    }
    assert (project, ZY.hasStage, STAGE["shishi-qidong"]) in facts
    assert (project, ZY.locatedIn, city) in facts
    assert facts.value(city, ZY.adminCode) == Literal("410100")
    assert round(float(facts.value(city, WGS.long)), 1) == 113.6
    wkt = facts.value(URIRef(f"{city}/geometry"), GEO.asWKT)
    assert wkt.datatype == GEO.wktLiteral and wkt.startswith("POINT(113.6")
    cited = rdf.citations_graph(entities, DEFAULT_BASE)
    passage = URIRef(DEFAULT_BASE + "plan/box04/p01")
    assert set(cited.objects(project, PROV.wasDerivedFrom)) == {passage}
    assert set(cited.objects(city, PROV.wasDerivedFrom)) == {
        URIRef(DEFAULT_BASE + "plan/preface/p02")
    }
    (citation,) = cited.objects(project, ZY.hasCitation)
    assert citation == rdf.citation_iri(
        DEFAULT_BASE,
        "project/airport/zhengzhou-xinzheng-phase3",
        document.at_line(319),
        "适时启动郑州新郑国际机场三期工程及北货运区等配套设施建设",
    )
    assert (citation, ZY.citedPassage, passage) in cited
    assert not [
        node
        for triple in facts | cited
        for node in triple
        if not isinstance(node, URIRef | Literal)
    ]


@pytest.mark.parametrize(
    ("change", "record", "reason"),
    [
        (
            ("三期工程及", "四期工程及"),
            "project/airport/zhengzhou-xinzheng-phase3",
            "quote: quote not in the plan text",
        ),
        (
            ("locatedIn: city/zhengzhou", "locatedIn: city/kaifeng"),
            "project/airport/zhengzhou-xinzheng-phase3",
            "`locatedIn` names an unknown place/entity `city/kaifeng`",
        ),
        (
            ("hasStage: stage:shishi-qidong", "hasStage: stage:no-such-verb"),
            "project/airport/zhengzhou-xinzheng-phase3",
            "`hasStage`: stage:no-such-verb is not a term the ontology declares",
        ),
        (
            ("a: AirportProject", "a: Aerodrome"),
            "project/airport/zhengzhou-xinzheng-phase3",
            "`a`: Aerodrome is not a class the ontology declares",
        ),
        (
            ("    locatedIn:", "    nearTo: city/zhengzhou\n    locatedIn:"),
            "project/airport/zhengzhou-xinzheng-phase3",
            "`nearTo` is not a property the ontology declares",
        ),
        (
            ("{zh: 郑州, en: Zhengzhou}", "{zh: 郑州}"),
            "city/zhengzhou",
            "`label` needs a non-empty `en`",
        ),
        (
            ("en: Henan Province", "en: Henan, a province"),
            "province/henan",
            "unknown language `a province`",
        ),
        (
            ("  - id: city/zhengzhou\n    extend: true", "  - id: city/zhengzhou\n    a: City"),
            "city/zhengzhou",
            "defines `city/zhengzhou` again (first defined in good.yaml)",
        ),
        (
            ("adcodeName: 郑州市", "adcodeName: 郑州新区"),
            "city/zhengzhou",
            "adcodeName: '郑州新区' is not in cpca",
        ),
        (
            ("id: project/airport/zhengzhou-xinzheng-phase3", "id: project/Airport"),
            "project/Airport",
            "id `project/Airport` is not lower-case ASCII words joined by - and /",
        ),
    ],
)
def test_each_bad_record_is_named_with_its_reason(
    tmp_path, terms, document, change, record, reason
):
    old, new = change
    assert old in GOOD
    write(tmp_path, "good.yaml", GOOD.replace(old, new, 1))
    found = problems(tmp_path, terms, document)
    assert any(p.startswith(f"good.yaml: {record}: ") and reason in p for p in found), found


def test_all_problems_are_collected_across_files(tmp_path, terms, document):
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", GOOD.split("  - id: project")[0])
    found = problems(tmp_path, terms, document)
    assert found == [
        "b.yaml: city/zhengzhou: defines `city/zhengzhou` again (first defined in a.yaml): "
        "give one of them `extend: true`",
        "b.yaml: province/henan: defines `province/henan` again (first defined in a.yaml): "
        "give one of them `extend: true`",
    ]


def test_non_places_need_a_quote_and_generated_ids_are_reserved(tmp_path, terms, document):
    write(
        tmp_path,
        "c.yaml",
        "records:\n"
        "  - id: plan/ch01\n    a: Chapter\n    label: {zh: 章, en: Chapter}\n    quote: 规划背景\n"
        "  - id: org/ndrc\n    a: GovernmentBody\n    label: {zh: 国家发展改革委, en: NDRC}\n",
    )
    assert problems(tmp_path, terms, document) == [
        "c.yaml: org/ndrc: needs a `quote` (only places may go without one)",
        "c.yaml: plan/ch01: id `plan/ch01` is generated by the builder; records may only extend it",
    ]
