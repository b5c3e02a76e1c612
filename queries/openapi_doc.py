"""The OpenAPI 3.1 description of the saved queries: one operation per query, typed parameters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from zhongyuan_kg import __version__
from zhongyuan_kg.queries.allowed import allowed_values
from zhongyuan_kg.queries.catalog import Param, SavedQuery
from zhongyuan_kg.queries.paging import MAX_OFFSET, MAX_PAGE, MAX_PAGE_SIZE
from zhongyuan_kg.queries.params import MAX_LIST_LENGTH, MAX_VALUE_LENGTH, CandidateSource

SCALARS = {"string": "string", "integer": "integer", "decimal": "number", "iri": "string"}
PAGING = (
    ("limit", 1, MAX_PAGE_SIZE, "at most this many rows (with offset; not with page/per_page)"),
    ("offset", 0, MAX_OFFSET, "skip this many rows first"),
    ("page", 1, MAX_PAGE, "the page to return, from 1 (with per_page; not with limit/offset)"),
    ("per_page", 1, MAX_PAGE_SIZE, "rows per page (default 100)"),
)
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "allowed": {"type": "array", "items": {"type": "string"}},
            },
        }
    },
}
LINK_HEADER = {
    "description": "RFC 8288 links to the first, previous and next pages (when paging)",
    "schema": {"type": "string"},
}


def _both(texts: Mapping[str, str]) -> str:
    return f"{texts['en']}\n\n{texts['zh']}" if texts else ""


def _value_schema(param: Param, spellings: Sequence[str] | None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": SCALARS[param.type]}
    if schema["type"] == "string":
        # What params.resolve refuses whatever the value: over-long text and NUL characters.
        schema.update(maxLength=MAX_VALUE_LENGTH, pattern="^[^\\u0000]*$")
    if param.type == "iri" and spellings is not None:
        schema["enum"] = list(spellings)
    return schema


def _parameter(param: Param, source: CandidateSource, base: str) -> dict[str, Any]:
    allowed = allowed_values(param, source, base)
    spellings = None if allowed is None else [s for value in allowed for s in value.spellings]
    value = _value_schema(param, list(dict.fromkeys(spellings)) if spellings else spellings)
    schema = {"type": "array", "items": value, "maxItems": MAX_LIST_LENGTH} if param.many else value
    if param.default:
        schema["default"] = list(param.default) if param.many else param.default[0]
    described = _both(param.description)
    if param.type == "iri":
        described += "\n\nGive an IRI, an id path or a label in Chinese or English."
    out: dict[str, Any] = {
        "name": param.name,
        "in": "query",
        "required": param.required and not param.default,
        "description": described.strip(),
        "schema": schema,
    }
    if param.many:
        out.update(style="form", explode=True)
    if param.examples:
        examples = list(param.examples)
        out["examples"] = {
            f"example{index}": {"value": [example] if param.many else example}
            for index, example in enumerate(examples, start=1)
        }
    if allowed is not None:
        out["x-allowed-values"] = [value.as_dict() for value in allowed]
    return out


def _paging_parameters(formats: Sequence[str]) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = []
    for name, lowest, highest, description in PAGING:
        schema: dict[str, Any] = {"type": "integer", "minimum": lowest}
        if highest is not None:
            schema["maximum"] = highest
        params.append({"name": name, "in": "query", "description": description, "schema": schema})
    params.append(
        {
            "name": "format",
            "in": "query",
            "description": "result format by name or media type (overrides Accept)",
            "schema": {"type": "string", "enum": list(formats)},
        }
    )
    return params


def _responses(media_types: Sequence[str]) -> dict[str, Any]:
    error = {
        "application/json": {"schema": ERROR_SCHEMA},
        "text/plain": {"schema": {"type": "string"}},
    }
    return {
        "200": {
            "description": "the query's results",
            "headers": {"Link": LINK_HEADER},
            "content": {media: {"schema": {"type": "string"}} for media in media_types},
        },
        "400": {"description": "a parameter is wrong; the message says which", "content": error},
        "406": {"description": "no offered format is acceptable", "content": error},
        "503": {"description": "the server is busy or the query timed out", "content": error},
    }


def _form_body(parameters: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A form-encoded request body whose fields are the given query parameters."""
    properties: dict[str, Any] = {}
    for param in parameters:
        field: dict[str, Any] = dict(param["schema"])
        if param.get("description"):
            field["description"] = param["description"]
        if "examples" in param:
            # JSON Schema's `examples` is a list of values, not OpenAPI's map of Example objects.
            field["examples"] = [example["value"] for example in param["examples"].values()]
        properties[param["name"]] = field
    required = [param["name"] for param in parameters if param.get("required")]
    # Unlike query parameters, a body schema can say what the server refuses: unknown fields and
    # limit/offset mixed with page/per_page.
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "not": {
            "anyOf": [
                {"required": [one, other]}
                for one in ("limit", "offset")
                for other in ("page", "per_page")
            ]
        },
    }
    if required:
        schema["required"] = required
    # A list field repeats its name, as in the query string (`axis=…&axis=…`).
    encoding = {
        param["name"]: {"style": "form", "explode": True}
        for param in parameters
        if param["schema"]["type"] == "array"
    }
    media: dict[str, Any] = {"schema": schema}
    if encoding:
        media["encoding"] = encoding
    return {
        "required": bool(required),
        "content": {"application/x-www-form-urlencoded": media},
    }


def operations(
    query: SavedQuery,
    source: CandidateSource,
    base: str,
    formats: Sequence[str],
    media_types: Sequence[str],
) -> dict[str, Any]:
    """The path item of one saved query: GET, and POST taking the same parameters as a form."""
    parameters = [_parameter(p, source, base) for p in query.params] + _paging_parameters(formats)
    shared = {
        "summary": f"{query.title['en']} / {query.title['zh']}",
        "description": _both(query.description),
        "tags": ["saved queries"],
        "responses": _responses(media_types),
        "x-covers": list(query.covers),
        "x-view": query.view,
    }
    operation_id = query.name.replace("-", "_")
    return {
        "get": {"operationId": operation_id, **shared, "parameters": parameters},
        "post": {
            "operationId": f"{operation_id}_post",
            **shared,
            "requestBody": _form_body(parameters),
        },
    }


def document(
    catalog: Mapping[str, SavedQuery],
    source: CandidateSource,
    base: str,
    formats: Sequence[str],
    media_types: Sequence[str],
    server_url: str = "/",
) -> dict[str, Any]:
    """The whole OpenAPI 3.1 document: the catalog listing and one path per saved query."""
    paths: dict[str, Any] = {
        "/queries": {
            "get": {
                "operationId": "list_saved_queries",
                "summary": "The saved queries, their parameters and allowed values",
                "tags": ["saved queries"],
                "responses": {
                    "200": {
                        "description": "the catalog (JSON for clients, HTML for browsers)",
                        "content": {
                            "application/json": {"schema": {"type": "object"}},
                            "text/html": {"schema": {"type": "string"}},
                        },
                    }
                },
            }
        }
    }
    for name, query in sorted(catalog.items()):
        paths[f"/queries/{name}"] = operations(query, source, base, formats, media_types)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "zhongyuan-kg saved queries",
            "version": __version__,
            "description": "Questions to the Central Plains Urban Agglomeration Development Plan "
            "(中原城市群发展规划, 2016), answered from its knowledge graph.",
        },
        "servers": [{"url": server_url}],
        "tags": [{"name": "saved queries"}],
        "paths": paths,
    }
