"""check() rejects every kind of broken module, naming the file, the term and the problem."""

from pathlib import Path

import pytest

from zhongyuan_kg.ontology import load
from zhongyuan_kg.ontology.errors import OntologyError

TERM = """
zy:{name} a owl:Class ;
    rdfs:subClassOf zy:Place ;
    rdfs:label "测试"@zh , "Test"@en ;
    skos:definition "A test class."@en , "测试类。"@zh ;
    rdfs:isDefinedBy <https://w3id.org/zhongyuan-kg/ontology> .
"""


@pytest.fixture
def modules(tmp_path: Path) -> Path:
    """A private copy of ontology/src that a test may break."""
    for path in load.module_files():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    return tmp_path


def _append(folder: Path, module: str, text: str) -> Path:
    path = folder / module
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
    return path


def _error(folder: Path) -> OntologyError:
    with pytest.raises(OntologyError) as caught:
        load.check(folder)
    return caught.value


def test_the_copy_passes(modules):
    assert len(load.check(modules)) == len(load.ontology_graph())


def test_parse_error_names_the_file(modules):
    path = _append(modules, "place.ttl", "\nzy:Oops a owl:Class ;;; rdfs:label .\n")
    error = _error(modules)
    assert error.file == path
    assert error.term is None
    assert error.problem.startswith("Turtle parse error:")
    assert str(error).startswith(f"{path}: Turtle parse error:")


def test_undeclared_term(modules):
    path = _append(
        modules, "project.ttl", TERM.format(name="Ferry").replace("zy:Place", "zy:Vessel")
    )
    error = _error(modules)
    assert (error.file, error.term, error.problem) == (path, "zy:Vessel", "used but never declared")


def test_illegal_punning_of_an_annotation_and_object_property(modules):
    # dcterms:isPartOf is an object property; using it as an annotation too is illegal.
    path = _append(
        modules,
        "external.ttl",
        "\ndcterms:isPartOf a owl:AnnotationProperty .\n",
    )
    error = _error(modules)
    assert error.file == modules / "external.ttl" == path
    assert error.term == "dcterms:isPartOf"
    assert error.problem == "illegal punning: declared as annotation and object property"


def test_object_property_with_a_literal(modules):
    path = _append(modules, "place.ttl", '\nzy:Place zy:locatedIn "somewhere" .\n')
    error = _error(modules)
    assert (error.file, error.term) == (path, "zy:locatedIn")
    assert error.problem == 'object property used with the literal "somewhere"'


def test_datatype_outside_the_owl2_map(modules):
    path = _append(
        modules,
        "strategy.ttl",
        """
zy:announced a owl:DatatypeProperty ;
    rdfs:range xsd:date ;
    rdfs:label "公布日期"@zh , "announced"@en ;
    skos:definition "A date."@en , "日期。"@zh ;
    rdfs:isDefinedBy <https://w3id.org/zhongyuan-kg/ontology> .
""",
    )
    error = _error(modules)
    assert (error.file, error.term) == (path, "zy:announced")
    assert error.problem.startswith("range xsd:date is outside the OWL 2 datatype map")


def test_transitive_property_in_a_cardinality_restriction(modules):
    path = _append(
        modules,
        "place.ttl",
        TERM.format(name="SingleSite")
        + "zy:SingleSite rdfs:subClassOf [ a owl:Restriction ; owl:onProperty zy:locatedIn ; "
        'owl:maxCardinality "1"^^xsd:nonNegativeInteger ] .\n',
    )
    error = _error(modules)
    assert (error.file, error.term) == (path, "zy:locatedIn")
    assert error.problem == (
        "a transitive or chained property cannot be used in a cardinality restriction in OWL 2 DL"
    )


def test_chain_that_makes_the_hierarchy_cyclic(modules):
    # onAxis ⊑ involvesPlace would loop: the chain involvesPlace ∘ nodeCityOf ⊑ onAxis.
    path = _append(modules, "project.ttl", "\nzy:onAxis rdfs:subPropertyOf zy:involvesPlace .\n")
    error = _error(modules)
    assert error.file == modules / "place.ttl"
    assert path.name == "project.ttl"
    assert error.term == "zy:onAxis"
    assert "property chain makes the hierarchy cyclic" in error.problem


def test_missing_label_and_definition_are_all_reported(modules):
    path = _append(
        modules,
        "place.ttl",
        "\nzy:Plateau a owl:Class ;\n    rdfs:subClassOf zy:NaturalFeature ;\n"
        '    rdfs:label "Plateau"@en .\n',
    )
    error = _error(modules)
    found = {(e.file, e.term, e.problem) for e in error.problems}
    assert found == {
        (path, "zy:Plateau", "has no rdfs:label in Chinese (@zh)"),
        (path, "zy:Plateau", "has no definition (skos:definition in en and zh, or rdfs:comment)"),
        (path, "zy:Plateau", "has no rdfs:isDefinedBy"),
    }
    assert str(error).startswith("3 ontology problems:\n")


def test_a_term_from_a_module_that_is_not_imported(modules):
    # strategy.ttl imports external and kind only: zy:Place is not visible there (Protégé
    # opening strategy.ttl alone would show it undeclared).
    path = _append(
        modules, "strategy.ttl", "\nzy:focusArea a owl:ObjectProperty ; rdfs:range zy:Place .\n"
    )
    error = _error(modules)
    assert (error.file, error.term) == (path, "zy:Place")
    assert error.problem == "used but declared only in a module this one does not import"
