"""The OpenAPI 3.1 document of the saved queries validates and says what the .rq files say."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate

from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.queries.catalog import load_catalog
from zhongyuan_kg.queries.local import LocalGraph, load
from zhongyuan_kg.queries.openapi_doc import document
from zhongyuan_kg.queries.paging import PAGE_PARAMS
from zhongyuan_kg.queries.params import resolve
from zhongyuan_kg.server.formats import FORM_FORMATS, offered_types

CATALOG = load_catalog()
FORMATS = FORM_FORMATS["SELECT"]


@pytest.fixture(scope="module")
def graph(built: BuildReport) -> LocalGraph:
    """The session's build of the real records (tests/conftest.py) in the embedded store."""
    return load(built.dist)


@pytest.fixture(scope="module")
def doc(graph: LocalGraph) -> dict[str, Any]:
    return document(CATALOG, graph.candidates, graph.base, FORMATS, offered_types(FORMATS))


def operation(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return doc["paths"][f"/queries/{name}"]["get"]


def test_the_document_is_valid_openapi_3_1(doc):
    validate(doc)
    assert doc["openapi"] == "3.1.0"


def test_one_operation_per_saved_query(doc):
    assert set(doc["paths"]) == {"/queries"} | {f"/queries/{name}" for name in CATALOG}
    ids = [operation(doc, name)["operationId"] for name in CATALOG]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_post_takes_the_get_parameters_as_form_fields(doc, name):
    path_item = doc["paths"][f"/queries/{name}"]
    assert set(path_item) == {"get", "post"}
    get, post = path_item["get"], path_item["post"]
    assert post["operationId"] == get["operationId"] + "_post"
    assert post["responses"] == get["responses"]
    assert "parameters" not in post
    form = post["requestBody"]["content"]["application/x-www-form-urlencoded"]
    fields = form["schema"]["properties"]
    assert list(fields) == [param["name"] for param in get["parameters"]]
    for param in get["parameters"]:
        field = dict(fields[param["name"]])
        field.pop("description", None)
        examples = field.pop("examples", [])
        assert field == param["schema"]
        assert examples == [example["value"] for example in param.get("examples", {}).values()]
    required = [param["name"] for param in get["parameters"] if param.get("required")]
    assert form["schema"].get("required", []) == required
    assert post["requestBody"]["required"] == bool(required)
    assert form["schema"]["additionalProperties"] is False
    assert form["schema"]["not"] == {
        "anyOf": [
            {"required": ["limit", "page"]},
            {"required": ["limit", "per_page"]},
            {"required": ["offset", "page"]},
            {"required": ["offset", "per_page"]},
        ]
    }
    lists = {p.name for p in CATALOG[name].params if p.many}
    assert set(form.get("encoding", {})) == lists


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_parameters_are_the_declared_ones_plus_paging_and_format(doc, name):
    query = CATALOG[name]
    params = {param["name"]: param for param in operation(doc, name)["parameters"]}
    assert set(params) == {p.name for p in query.params} | set(PAGE_PARAMS) | {"format"}
    for declared in query.params:
        described = params[declared.name]
        schema = described["schema"]
        assert (schema["type"] == "array") == declared.many
        scalar = schema["items"] if declared.many else schema
        assert scalar["type"] == {"decimal": "number", "iri": "string"}.get(
            declared.type, declared.type
        )
        assert described["required"] == (declared.required and not declared.default)
        assert len(described["examples"]) == len(declared.examples)


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_enums_hold_every_spelling_of_a_closed_set(doc, graph, name):
    query = CATALOG[name]
    for described in operation(doc, name)["parameters"]:
        declared = query.param(described["name"])
        if declared is None or declared.type != "iri":
            continue
        schema = described["schema"]
        scalar = schema["items"] if declared.many else schema
        candidates = graph.candidates.candidates(declared)
        if len(candidates) > 200:
            assert "enum" not in scalar
            continue
        assert {c.iri for c in candidates} <= set(scalar["enum"])
        # Every spelling in the enum selects a value, and every example is one of them.
        for spelling in scalar["enum"]:
            resolved = resolve(query, {declared.name: [spelling]}, graph.candidates, graph.base)
            assert len(resolved[declared.name]) == 1
        for example in described["examples"].values():
            values = example["value"] if declared.many else [example["value"]]
            assert set(values) <= set(scalar["enum"])


def test_axis_enum_and_response_types(doc):
    axis = operation(doc, "axis-nodes")["parameters"][0]
    assert {value["id"] for value in axis["x-allowed-values"]} == {
        "axis/longhai",
        "axis/jingguang",
        "axis/jinan-zhengzhou-chongqing",
        "axis/taiyuan-zhengzhou-hefei",
    }
    assert "太原—郑州—合肥发展轴" in axis["schema"]["items"]["enum"]
    content = operation(doc, "axis-nodes")["responses"]["200"]["content"]
    assert set(content) == set(offered_types(FORMATS))
    assert "text/csv" in content and "application/sparql-results+json" in content
