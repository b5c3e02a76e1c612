"""Saved queries as published objects: each .rq file and the metadata in its leading comments."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from zhongyuan_kg.namespaces import PREFIXES
from zhongyuan_kg.paths import QUERIES_DIR

HEADER_PREFIX = "#+"
PARAM_TYPES = ("iri", "string", "integer", "decimal")
VIEWS = ("table", "map")
NAME_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Names the HTTP layer and the CLI keep for paging and format: a saved query that declared one
# could not be given it (tests/test_queries_catalog.py checks that none does).
RESERVED_PARAMS = frozenset({"limit", "offset", "page", "per_page", "format"})
# Paging appends LIMIT/OFFSET to the text, so a saved query must not end with its own.
_TRAILING_SLICE = re.compile(r"\b(LIMIT|OFFSET)\s+\d+\s*$", re.IGNORECASE)


class CatalogError(ValueError):
    """A saved query whose file or metadata is malformed."""


@dataclass(frozen=True)
class Param:
    """One parameter: a variable of the query bound through its own VALUES block."""

    name: str
    type: str
    cls: str | None = None  # for type iri: values must be instances of this class
    scheme: str | None = None  # for type iri: values must be concepts of this SKOS scheme
    subclass_of: str | None = None  # for type iri: values must be this class or a narrower one
    many: bool = False  # a list parameter takes several values
    required: bool = False
    default: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    description: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SavedQuery:
    """A saved query: its SPARQL text (valid as-is) and what the catalog says about it."""

    name: str
    title: dict[str, str]
    description: dict[str, str]
    view: str
    covers: tuple[str, ...]  # the parts of the plan it answers for (plan/ch03, plan/box04 …)
    params: tuple[Param, ...]
    sparql: str
    path: Path

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def _expand(term: str | None) -> str | None:
    """Expand a prefixed name from the metadata (zy:City) to a full IRI."""
    if term is None or term.startswith(("http://", "https://")):
        return term
    prefix, sep, local = term.partition(":")
    if not sep or prefix not in PREFIXES:
        raise CatalogError(f"unknown prefix in {term!r}")
    return PREFIXES[prefix] + local


def _language_map(value: Any, key: str, path: Path) -> dict[str, str]:
    # Exactly zh and en: an unquoted comma in a flow mapping would otherwise cut a text short.
    if not isinstance(value, dict) or set(value) != {"zh", "en"}:
        raise CatalogError(
            f"{path.name}: '{key}' needs exactly zh and en (quote texts with commas)"
        )
    return {lang: str(text) for lang, text in value.items()}


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(str(v) for v in (value if isinstance(value, list) else [value]))


def _param(raw: dict[str, Any], path: Path) -> Param:
    name = raw.get("name", "")
    kind = raw.get("type")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(name)):
        raise CatalogError(f"{path.name}: parameter name {name!r} is not a SPARQL variable name")
    if kind not in PARAM_TYPES:
        raise CatalogError(f"{path.name}: parameter {name}: type must be one of {PARAM_TYPES}")
    if kind == "iri" and not (raw.get("class") or raw.get("scheme") or raw.get("subclassOf")):
        raise CatalogError(
            f"{path.name}: parameter {name}: an iri needs a class, a scheme or a subclassOf"
        )
    return Param(
        name=name,
        type=kind,
        cls=_expand(raw.get("class")),
        scheme=_expand(raw.get("scheme")),
        subclass_of=_expand(raw.get("subclassOf")),
        many=bool(raw.get("list", False)),
        required=bool(raw.get("required", False)),
        default=_as_tuple(raw.get("default")),
        examples=_as_tuple(raw.get("examples")),
        description=_language_map(raw.get("description"), f"{name}.description", path)
        if "description" in raw
        else {},
    )


def values_block(name: str) -> re.Pattern[str]:
    """The pattern of a parameter's VALUES block: `VALUES ?name { … }` on one line."""
    return re.compile(r"VALUES\s+\?" + re.escape(name) + r"\s*\{[^{}\n]*\}")


def _without_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def parse(path: Path) -> SavedQuery:
    """Read one .rq file: leading `#+` lines are YAML metadata, the rest is the query."""
    text = path.read_text(encoding="utf-8")
    header = [
        line[len(HEADER_PREFIX) :].removeprefix(" ")
        for line in text.splitlines()
        if line.startswith(HEADER_PREFIX)
    ]
    try:
        meta = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as error:
        raise CatalogError(f"{path.name}: metadata is not valid YAML: {error}") from error
    name = meta.get("name")
    if name != path.stem or not NAME_PATTERN.match(str(name)):
        raise CatalogError(f"{path.name}: 'name' must equal the file name ({path.stem})")
    view = meta.get("view", "table")
    if view not in VIEWS:
        raise CatalogError(f"{path.name}: view must be one of {VIEWS}")
    params = tuple(_param(raw, path) for raw in meta.get("params") or [])
    for param in params:
        if len(values_block(param.name).findall(text)) != 1:
            raise CatalogError(
                f"{path.name}: parameter {param.name} needs exactly one one-line "
                f"'VALUES ?{param.name} {{ … }}' block in the query"
            )
    if _TRAILING_SLICE.search(_without_comments(text)):
        raise CatalogError(f"{path.name}: no LIMIT/OFFSET at the end: paging adds its own")
    covers = _as_tuple(meta.get("covers"))
    if not covers:
        raise CatalogError(f"{path.name}: 'covers' must name the plan parts it answers for")
    return SavedQuery(
        name=name,
        title=_language_map(meta.get("title"), "title", path),
        description=_language_map(meta.get("description"), "description", path),
        view=view,
        covers=covers,
        params=params,
        sparql=text,
        path=path,
    )


@cache
def load_catalog(folder: Path = QUERIES_DIR) -> dict[str, SavedQuery]:
    """Every saved query in the folder, by name (read once per process: the files are data)."""
    return {query.name: query for query in map(parse, sorted(folder.glob("*.rq")))}
