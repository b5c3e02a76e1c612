"""The data shapes accept the example and reject a broken one with the specific violation."""

import pytest
from rdflib import RDF, Graph, Literal, Namespace
from rdflib.namespace import RDFS

from zhongyuan_kg.namespaces import DEFAULT_BASE, KIND, ZY
from zhongyuan_kg.ontology import load, shapes
from zhongyuan_kg.paths import ONTOLOGY_DIR

ID = Namespace(DEFAULT_BASE)
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
            "(locatedIn, inProvince, hasTerminus, passesThrough)",
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
