"""Curator A's records (preface, chapters 1–3 and 10): read from the YAML, queried in the build."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pyoxigraph import NamedNode, RdfFormat, Store

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "graph" / "data"
PLAN = ROOT / "graph" / "source" / "plan.md"
FILES = (
    "ch00-plan.yaml",
    "ch01-background.yaml",
    "ch02-requirements.yaml",
    "ch03-spatial.yaml",
    "ch10-implementation.yaml",
)
MARKUP = re.compile(r"\*\*|</?b>|</?sup>")


@cache
def raw_records() -> tuple[tuple[str, dict[str, Any]], ...]:
    """Every record of the part as (file name, record), in file order."""
    return tuple(
        (name, record)
        for name in FILES
        for record in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["records"]
    )


def as_list(value: Any) -> list[Any]:
    """A record value as a list (YAML allows a scalar where a list has one item)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@cache
def merged() -> dict[str, dict[str, list[Any]]]:
    """Each id's statements from its defining and extending records, every value as a list."""
    entities: dict[str, dict[str, list[Any]]] = {}
    for _, record in raw_records():
        entity = entities.setdefault(record["id"], {})
        for key, value in record.items():
            if key not in {"id", "extend", "label", "altLabel", "comment"}:
                entity.setdefault(key, []).extend(as_list(value))
    return entities


def values(entity_id: str, key: str) -> set[Any]:
    """The set of values an entity has for one key."""
    return set(merged()[entity_id].get(key, []))


def of_class(class_name: str) -> set[str]:
    """The ids of the entities defined with this class."""
    return {
        entity_id for entity_id, entity in merged().items() if class_name in entity.get("a", [])
    }


def designated(class_name: str) -> set[str]:
    """The places that hold a designation of this class."""
    return {
        place
        for entity_id in of_class(class_name)
        for place in values(entity_id, "designatedPlace")
    }


@cache
def plan_passages() -> tuple[tuple[int, str], ...]:
    """(line number, text without markup) of every non-empty line of the plan."""
    lines = PLAN.read_text(encoding="utf-8").splitlines()
    return tuple(
        (number, MARKUP.sub("", line).strip())
        for number, line in enumerate(lines, start=1)
        if line.strip()
    )


SITE = "https://w3id.org/zhongyuan-kg/"
ID = SITE + "id/"
PREFIXES = f"""PREFIX zy: <{SITE}ontology#>
PREFIX kind: <{SITE}vocab/kind/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def built_store(dist: Path) -> Store:
    """The built graph (all named graphs) in an in-memory Oxigraph store."""
    store = Store()
    store.load(path=str(dist / "graph.nq"), format=RdfFormat.N_QUADS)
    return store


def select(store: Store, query: str, graph: str = "facts") -> list[tuple[str, ...]]:
    """The rows of a SELECT over one named graph, each term as its plain value."""
    rows = store.query(PREFIXES + query, default_graph=NamedNode(f"{SITE}graph/{graph}"))
    return [tuple(term.value for term in row) for row in rows]
