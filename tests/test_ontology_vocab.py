"""The closed namespaces hold exactly the ontology's terms: a typo raises."""

import pytest

from zhongyuan_kg import namespaces
from zhongyuan_kg.ontology import load
from zhongyuan_kg.ontology.vocab import KIND, STAGE, ZY


def test_known_terms_resolve_to_the_open_namespaces():
    assert ZY.City == namespaces.ZY.City
    assert ZY["onAxis"] == namespaces.ZY.onAxis
    assert STAGE["kaizhan-qianqi-gongzuo"] == namespaces.STAGE["kaizhan-qianqi-gongzuo"]
    assert KIND["hub-regional"] == namespaces.KIND["hub-regional"]


def test_a_typo_raises():
    with pytest.raises(AttributeError, match="term 'Cty' not in namespace"):
        _ = ZY.Cty
    with pytest.raises(KeyError):
        _ = STAGE["jian-she"]


def test_the_namespaces_match_the_ontology():
    declared = {str(t) for t in load.declared_terms(load.ontology_graph())}
    for closed, namespace in (
        (ZY, namespaces.ZY),
        (STAGE, namespaces.STAGE),
        (KIND, namespaces.KIND),
    ):
        expected = {t for t in declared if t.startswith(str(namespace))}
        assert {str(closed[name]) for name in dir(closed)} == expected
    assert len(dir(ZY)) == 265
