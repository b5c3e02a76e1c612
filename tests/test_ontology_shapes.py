"""The data shapes accept the example and reject a broken one with the specific violation."""

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS

from zhongyuan_kg.namespaces import DEFAULT_BASE, KIND, ZY
from zhongyuan_kg.ontology import load, shapes
from zhongyuan_kg.paths import ONTOLOGY_DIR

ID = Namespace(DEFAULT_BASE)
SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES = Namespace("https://w3id.org/zhongyuan-kg/shapes#")
AIRPORT = ID["project/airport/zhengzhou-xinzheng-phase3"]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load.ontology_graph()


@pytest.fixture
def example() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "examples" / "example.ttl", format="turtle")


def test_the_example_conforms(example, ontology):
    conforms, report = shapes.validate(example, ontology)
    assert conforms, report
    assert shapes.violations(example, ontology) == []


def test_a_project_without_stage_place_or_citation(example, ontology):
    for prop in (ZY.hasStage, ZY.locatedIn, ZY.hasCitation):
        example.remove((AIRPORT, prop, None))
    conforms, report = shapes.validate(example, ontology)
    assert not conforms
    assert "Constraint Violation" in report
    assert shapes.violations(example, ontology) == [
        (
            AIRPORT,
            "needs a place: zy:involvesPlace or one of its sub-properties "
            "(locatedIn, inProvince, hasTerminus, passesThrough, alongRiver, onMountain)",
        ),
        (AIRPORT, "zy:hasCitation: needs a zy:hasCitation (the quote it comes from)"),
        (AIRPORT, "zy:hasStage: needs at least one zy:hasStage (a verb of the stage scheme)"),
    ]


def test_a_project_typed_only_as_project_and_a_stage_from_the_wrong_scheme(example, ontology):
    example.remove((AIRPORT, RDF.type, None))
    example.add((AIRPORT, RDF.type, ZY.Project))
    example.remove((AIRPORT, ZY.hasStage, None))
    example.add((AIRPORT, ZY.hasStage, KIND["hub-regional"]))
    assert shapes.violations(example, ontology) == [
        (
            AIRPORT,
            "rdf:type: needs a kind: a type that is a subclass of zy:Project, "
            "not zy:Project itself",
        ),
        (
            KIND["hub-regional"],
            "skos:inScheme: a stage must be a concept of the stage scheme (stage:…)",
        ),
    ]


def test_a_place_without_its_chinese_label(example, ontology):
    city = ID["city/luoyang"]
    example.remove((city, RDFS.label, None))
    example.add((city, RDFS.label, Literal("Luoyang", lang="en")))
    assert shapes.violations(example, ontology) == [
        (city, "rdfs:label: needs an rdfs:label in Chinese (@zh)"),
    ]


def test_a_citation_with_two_passages_and_a_designation_without_place(example, ontology):
    citation = ID["citation/hub-luoyang"]
    example.add((citation, ZY.citedPassage, ID["plan/box04/p01"]))
    designation = ID["designation/national-hub/luoyang"]
    example.remove((designation, ZY.designatedPlace, None))
    example.remove((designation, ZY.hubLevel, None))
    assert shapes.violations(example, ontology) == [
        (citation, "zy:citedPassage: needs exactly one zy:citedPassage (a zy:Passage)"),
        (designation, "zy:designatedPlace: needs a zy:designatedPlace that is a zy:Place"),
        (designation, "zy:hubLevel: needs exactly one zy:hubLevel from the hub-level scheme"),
    ]


def test_the_project_place_shape_lists_every_sub_property_of_involves_place(ontology):
    # Core SHACL cannot follow rdfs:subPropertyOf*, so the shape lists them: keep them in step.
    data_shapes = Graph().parse(shapes.DATA_SHAPES, format="turtle")
    members = Collection(data_shapes, data_shapes.value(SHAPES.Project, SH["or"]))
    listed = {data_shapes.value(member, SH.path) for member in members}
    expected = set(ontology.transitive_subjects(RDFS.subPropertyOf, ZY.involvesPlace))
    assert listed == expected
    assert len(expected) == 7


def _target(example: Graph, kind: URIRef) -> URIRef:
    target = ID["target/household-broadband-100m"]
    example.add((target, RDF.type, kind))
    example.add((target, ZY.measures, ID["indicator/household-broadband"]))
    example.add((ID["indicator/household-broadband"], RDF.type, ZY.Indicator))
    example.add((ID["indicator/household-broadband"], RDFS.label, Literal("家庭宽带", lang="zh")))
    example.add((ID["indicator/household-broadband"], RDFS.label, Literal("broadband", lang="en")))
    example.add((target, ZY.comparator, KIND["at-least"]))
    example.add((target, ZY.hasCitation, ID["citation/hub-luoyang"]))
    return target


def test_a_sectoral_target_needs_no_goal_or_year(example, ontology):
    _target(example, ZY.SectoralTarget)
    assert shapes.violations(example, ontology) == []


def test_a_goal_target_needs_its_goal_and_year(example, ontology):
    target = _target(example, ZY.Target)
    assert shapes.violations(example, ontology) == [
        (
            target,
            "needs a zy:partOfGoal and a zy:targetYear, unless it is a zy:SectoralTarget "
            "(a target stated outside the goals)",
        ),
    ]
