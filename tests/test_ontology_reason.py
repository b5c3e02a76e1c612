"""The reasoner: HermiT classifies the ontology cleanly and entails what the example needs."""

import os

import pytest
from ontology_synthetic import synthetic_abox
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDFS

from zhongyuan_kg.namespaces import DEFAULT_BASE, ZY
from zhongyuan_kg.ontology import load, reason
from zhongyuan_kg.ontology.hermit import run_hermit
from zhongyuan_kg.paths import ONTOLOGY_DIR

ID = Namespace(DEFAULT_BASE)
EXAMPLE = ONTOLOGY_DIR / "examples" / "example.ttl"
AIRPORT = ID["project/airport/zhengzhou-xinzheng-phase3"]
ZHENGZHOU, LUOYANG, LONGHAI = ID["city/zhengzhou"], ID["city/luoyang"], ID["axis/longhai"]

# What the example must entail, one line per kind of inference.
EXPECTED = {
    # inverse properties
    (ZHENGZHOU, ZY.nodeCityOf, LONGHAI),
    (LUOYANG, ZY.hasDesignation, ID["designation/national-hub/luoyang"]),
    (ID["plan"], DCTERMS.hasPart, ID["plan/box04/p01"]),
    # property chains: hasCitation ∘ citedPassage, involvesPlace ∘ nodeCityOf
    (AIRPORT, PROV.wasDerivedFrom, ID["plan/box04/p01"]),
    (LONGHAI, PROV.wasDerivedFrom, ID["plan/ch03/s01/p03"]),
    (AIRPORT, ZY.onAxis, LONGHAI),
    # transitive locatedIn and its super-property involvesPlace
    (AIRPORT, ZY.locatedIn, ID["province/henan"]),
    (AIRPORT, ZY.involvesPlace, ZHENGZHOU),
    (ID["plan/box04/p01"], DCTERMS.isPartOf, ID["plan"]),
    # defined classes
    (LUOYANG, RDF.type, ZY.NationalHubCity),
    (LUOYANG, RDF.type, ZY.DesignatedCity),
    (ZHENGZHOU, RDF.type, ZY.MainAxisNodeCity),
    (ZHENGZHOU, RDF.type, ZY.NodeCity),
    (AIRPORT, RDF.type, ZY.ProjectOnMainAxis),
    (AIRPORT, RDF.type, ZY.ProjectInPreparation),
    # superclasses
    (AIRPORT, RDF.type, ZY.TransportProject),
    (AIRPORT, RDF.type, ZY.Project),
    (ZHENGZHOU, RDF.type, ZY.Place),
}


@pytest.fixture(scope="module")
def tbox() -> Graph:
    return load.ontology_graph()


@pytest.fixture(scope="module")
def example() -> Graph:
    return Graph().parse(EXAMPLE, format="turtle")


@pytest.mark.java
def test_hermit_finds_the_ontology_consistent_with_no_unsatisfiable_class(tbox):
    entailed, unsatisfiable = run_hermit(reason.reasoner_input(tbox, Graph()))
    assert entailed is not None
    assert unsatisfiable == []
    # HermiT's classification places the defined classes under what their definition implies.
    assert (ZY.RegionalHubCity, RDFS.subClassOf, ZY.TransportHubCity) in entailed


@pytest.mark.java
def test_classify_accepts_the_modules():
    assert len(reason.classify()) == len(load.ontology_graph())


@pytest.mark.java
def test_hermit_entails_the_expected_triples(tbox, example):
    result = reason.materialise(tbox, example)
    assert result.engine.startswith("HermiT (owlready2 0.")
    assert EXPECTED - set(result.graph) == set()
    assert len(result.graph) == 84
    assert not any(t in example for t in result.graph)  # only new triples


@pytest.mark.java
def test_materialised_triples_are_never_trivial(tbox, example):
    result = reason.materialise(tbox, example)
    assert {o for o in result.graph.objects(None, RDF.type)} & {
        OWL.Thing,
        OWL.NamedIndividual,
    } == set()
    assert [(s, p, o) for s, p, o in result.graph if s == o] == []
    assert set(result.graph.predicates()) - {RDF.type} <= {
        ZY.nodeCityOf,
        ZY.hasDesignation,
        ZY.onAxis,
        ZY.locatedIn,
        ZY.involvesPlace,
        ZY.inProvince,
        PROV.wasDerivedFrom,
        DCTERMS.isPartOf,
        DCTERMS.hasPart,
    }


def test_owl_rl_fallback_entails_the_same_triples(tbox, example, monkeypatch):
    monkeypatch.setattr(reason, "java_available", lambda: False)
    result = reason.materialise(tbox, example)
    assert result.engine.startswith("owlrl ") and result.engine.endswith("(no JDK found)")
    assert EXPECTED - set(result.graph) == set()
    assert len(result.graph) == 84


def test_reasoner_input_leaves_out_what_hermit_cannot_take(tbox, example):
    given = reason.reasoner_input(tbox, example)
    assert list(given.objects(None, ZY.text)) == []
    assert list(given.objects(None, ZY.quote)) == []
    assert list(given.subject_objects(OWL.imports)) == []
    assert list(given.objects(None, RDFS.label)) == []
    datatypes = {o.datatype for o in given.objects() if hasattr(o, "datatype") and o.datatype}
    assert str(datatypes) and all("gYearMonth" not in d and "wkt" not in d for d in datatypes)
    assert (ZHENGZHOU, ZY.adminCode, None) in given


@pytest.mark.java
def test_inconsistent_data_names_the_clash(tbox, example):
    broken = Graph() + example
    broken.add((ZHENGZHOU, RDF.type, ZY.Passage))
    with pytest.raises(reason.ReasoningError) as caught:
        reason.materialise(tbox, broken)
    message = str(caught.value)
    assert message.endswith(
        "city/zhengzhou> is both zy:DocumentPart (by asserted zy:Passage) and "
        "zy:Place (by asserted zy:PrefectureLevelCity), which are disjoint"
    )


@pytest.mark.java
def test_a_value_outside_its_range_is_explained(tbox, example):
    broken = Graph() + example
    broken.add((ZHENGZHOU, URIRef("http://www.w3.org/2003/01/geo/wgs84_pos#long"), Literal(113.6)))
    with pytest.raises(
        reason.ReasoningError,
        match=r'wgs:long "113\.6"\^\^xsd:double: the value is not in the range xsd:decimal',
    ):
        reason.materialise(tbox, broken)


@pytest.mark.java
def test_an_unsatisfiable_class_is_named(tmp_path):
    for path in load.module_files():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    with (tmp_path / "designation.ttl").open("a", encoding="utf-8") as module:
        module.write(
            "\nzy:PlaceThatIsAProject a owl:Class ;\n"
            "    rdfs:subClassOf zy:Place , zy:Designation ;\n"
            '    rdfs:label "矛盾"@zh , "Contradiction"@en ;\n'
            '    skos:definition "A place that is a designation."@en , "既是地点又是称号。"@zh ;\n'
            "    rdfs:isDefinedBy <https://w3id.org/zhongyuan-kg/ontology> .\n"
        )
    load.check(tmp_path)  # statically fine: only the reasoner sees the contradiction
    with pytest.raises(reason.ReasoningError) as caught:
        load.check(tmp_path, classify=True)
    assert caught.value.file == tmp_path / "designation.ttl"
    assert caught.value.term == "zy:PlaceThatIsAProject"
    assert caught.value.problem == "unsatisfiable class (equivalent to owl:Nothing)"


@pytest.mark.java
def test_hermit_handles_a_plan_sized_abox_in_under_20_seconds(tbox):
    abox = synthetic_abox(projects=3000)
    assert (len(abox), len(set(abox.subjects()))) == (39687, 8490)
    # CPU seconds of this process and the JVM, not wall time: the machine is shared, and under a
    # load of 7 the same run takes 22 s of wall time for 12.7 s of CPU (8.5 s wall when idle).
    before = os.times()
    result = reason.materialise(tbox, abox)
    after = os.times()
    seconds = sum(
        getattr(after, field) - getattr(before, field)
        for field in ("user", "system", "children_user", "children_system")
    )
    assert len(result.graph) == 46957
    assert seconds < 20, f"HermiT took {seconds:.1f} s of CPU"
