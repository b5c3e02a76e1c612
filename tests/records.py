"""What the data tests share: the records merged by id, their checks, SPARQL on the build."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from zhongyuan_kg.graph import text
from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.graph.quotes import QuoteError, locate, parse_quote, quote_items
from zhongyuan_kg.graph.records import load
from zhongyuan_kg.namespaces import DEFAULT_BASE, GRAPH, PREFIXES
from zhongyuan_kg.paths import RECORDS_DIR

Record = dict[str, Any]
Facts = dict[str, set[Any]]  # key → values; a key the records do not give reads as the empty set
Entities = dict[str, Facts]

ID = DEFAULT_BASE  # the build the `built` fixture makes uses the default instance base
# Keys that describe a record or annotate its entity rather than state a fact the tests compare.
NOT_FACTS = frozenset({"id", "label", "altLabel", "comment", "definition", "quote", "extend"})
PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())


# ── the records ─────────────────────────────────────────────────────────────────────────────


@cache
def _records_by_file() -> dict[str, tuple[Record, ...]]:
    # The builder's own loader, so the tests read the files exactly as the build does.
    loaded, errors = load(RECORDS_DIR)
    if errors:
        raise ValueError("\n".join(str(error) for error in errors))
    by_file: dict[str, list[Record]] = {path.name: [] for path in RECORDS_DIR.glob("*.yaml")}
    for record in loaded:
        by_file[record.file].append(record.fields)
    return {name: tuple(fields) for name, fields in by_file.items()}


def read_records(*files: str) -> list[Record]:
    """The records of the named files of graph/data/ in that order (every file if none is named)."""
    by_file = _records_by_file()
    return [record for name in files or sorted(by_file) for record in by_file[name]]


def as_set(value: Any) -> set[Any]:
    """A record value as a set (YAML allows a scalar where a list has one item)."""
    return set(value) if isinstance(value, list) else {value}


def merge(records: Iterable[Record]) -> Entities:
    """Each id's facts from its defining and `extend` records; `zh` holds the defining zh label."""
    entities: Entities = {}
    for record in records:
        facts = entities.setdefault(record["id"], defaultdict(set))
        for key, value in record.items():
            if key not in NOT_FACTS:
                facts[key] |= as_set(value)
        if "a" in record:
            facts["zh"] = {record["label"]["zh"]}
    return entities


def zh_labels(entities: Entities) -> set[str]:
    """The zh labels of these entities."""
    return {label for facts in entities.values() for label in facts["zh"]}


def values_of(entities: Entities, key: str) -> set[Any]:
    """Every value these entities have for one key."""
    return {value for facts in entities.values() for value in facts[key]}


class Curated:
    """The records of some files of graph/data/ and the entities they describe, merged by id."""

    def __init__(self, *files: str) -> None:
        self.records = read_records(*files)
        self.entities = merge(self.records)
        self.defined = {record["id"] for record in self.records if not record.get("extend")}
        self.extended = {record["id"] for record in self.records if record.get("extend")}

    def values(self, entity_id: str, key: str) -> set[Any]:
        """The values one entity has for one key (KeyError for an id these files do not name)."""
        return set(self.entities[entity_id][key])

    def zh_label(self, entity_id: str) -> str:
        """The zh label of an entity these files define."""
        (label,) = self.entities[entity_id]["zh"]
        return label

    def of_class(self, cls: str, stage: str | None = None) -> Entities:
        """The entities defined with one class (and, if given, one stage), by id."""
        return {
            entity_id: facts
            for entity_id, facts in self.entities.items()
            if cls in facts["a"] and (stage is None or f"stage:{stage}" in facts["hasStage"])
        }

    def ids_of(self, cls: str, stage: str | None = None) -> set[str]:
        """The ids of the entities defined with one class (and, if given, one stage)."""
        return set(self.of_class(cls, stage))

    def designated(self, cls: str) -> set[str]:
        """The places that hold a designation of this class."""
        return values_of(self.of_class(cls), "designatedPlace")

    # The checks every file of records must pass.

    def misquoted(self) -> list[str]:
        """Each quote not verbatim in exactly one passage of the plan, with the reason."""
        plan = text.load()
        problems = []
        for record in self.records:
            for item in quote_items(record):
                try:
                    locate(plan, parse_quote(item))
                except QuoteError as error:
                    problems.append(f"{record['id']}: {error}")
        return problems

    def definition_problems(self) -> list[str]:
        """What is wrong with how these records define their ids (none: nothing)."""
        problems = []
        seen: set[str] = set()
        for record in self.records:
            entity_id = record["id"]
            if record.get("extend"):
                if "a" in record or "label" in record:
                    problems.append(f"{entity_id}: an `extend` record has no class or label")
                continue
            if entity_id in seen:
                problems.append(f"{entity_id}: defined twice")
            seen.add(entity_id)
            label = record.get("label") or {}
            # An unquoted comma in a flow map `{zh: …, en: …}` splits the label into extra keys.
            if set(label) != {"zh", "en"} or not all(
                isinstance(name, str) and name for name in label.values()
            ):
                problems.append(f"{entity_id}: needs exactly a zh and an en label, got {label!r}")
            if not record.get("a"):
                problems.append(f"{entity_id}: no class")
            if not record.get("quote"):
                problems.append(f"{entity_id}: no quote")
        return problems


# ── the built graph ─────────────────────────────────────────────────────────────────────────


@cache
def _store(nquads: Path) -> ox.Store:
    # One read-only store per build for the whole session: loading it takes seconds.
    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    return store


def solutions(built: BuildReport, query: str, graph: str | None = None) -> list[tuple[str, ...]]:
    """A SELECT's rows over all named graphs (or only `graph`), IRIs under the base as ids."""
    dataset: dict[str, Any] = (
        {"use_default_graph_as_union": True}
        if graph is None
        else {"default_graph": ox.NamedNode(GRAPH[graph])}
    )
    result = _store(built.dist / "graph.nq").query(PROLOGUE + query, **dataset)
    # Terms become their plain values: literals their lexical form, an unbound variable "".
    return [
        tuple("" if term is None else term.value.removeprefix(ID) for term in solution)
        for solution in result
    ]


def solution_set(built: BuildReport, query: str, graph: str | None = None) -> set[tuple[str, ...]]:
    """The distinct rows of a SELECT, as `solutions` gives them."""
    return set(solutions(built, query, graph))


def zh_labels_where(built: BuildReport, where: str) -> set[str]:
    """The zh labels of every ?x the graph pattern matches, over all named graphs."""
    query = f"SELECT DISTINCT ?label WHERE {{ {where} ?x rdfs:label ?label . "
    query += 'FILTER(lang(?label) = "zh") }'
    return {label for (label,) in solutions(built, query)}


def cited_in(built: BuildReport, parts: Iterable[str]) -> set[str]:
    """The ids of the entities citing a passage inside one of these parts of the plan."""
    members = " ".join(f"<{ID}{part}>" for part in parts)
    query = f"""SELECT DISTINCT ?x WHERE {{
      ?x zy:hasCitation/zy:citedPassage/dcterms:isPartOf+ ?part . VALUES ?part {{ {members} }}
    }}"""
    return {entity for (entity,) in solutions(built, query)}
