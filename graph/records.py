"""Load the curated records (graph/data/*.yaml) and check them against the format and ontology."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from rdflib import RDF, RDFS, SKOS, XSD, Literal, URIRef

from zhongyuan_kg.graph import geo
from zhongyuan_kg.graph.quotes import QuoteError, locate, parse_quote, quote_items
from zhongyuan_kg.graph.terms import Terms, UnknownTerm, expand
from zhongyuan_kg.graph.text import Document, Passage
from zhongyuan_kg.namespaces import ZY

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)+$")
LANGUAGES = ("zh", "en")
LANGUAGE_MAPS = {
    "label": RDFS.label,
    "altLabel": SKOS.altLabel,
    "comment": RDFS.comment,
    "definition": SKOS.definition,
}
# Keys that steer the builder instead of naming a property.
DIRECTIVES = frozenset(
    {"id", "a", "extend", "quote", "adcodeName", "adcodeParent", "coordinates", "coordinateSource"}
)
COORDINATE_SOURCE = ZY.coordinateSource
GENERATED_PREFIXES = ("plan", "citation")  # the builder mints these IRIs; records never define them
YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# libyaml's safe loader reads the records nine times faster than the pure-Python one, same result.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, order=True)
class RecordError:
    """One problem: the file, the record's id and the reason."""

    file: str
    record: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.reason}"


class InvalidRecords(ValueError):
    """The records have problems; all of them are listed."""

    def __init__(self, errors: Iterable[RecordError]) -> None:
        self.errors = sorted(set(errors))
        lines = "\n".join(f"  {error}" for error in self.errors)
        super().__init__(f"{len(self.errors)} problem(s) in the records:\n{lines}")


@dataclass(frozen=True)
class Record:
    """One record as written in a file."""

    file: str
    index: int
    fields: dict[str, Any]

    @property
    def id(self) -> str:
        value = self.fields.get("id")
        return value if isinstance(value, str) else f"#{self.index}"

    @property
    def extends(self) -> bool:
        return self.fields.get("extend") is True


@dataclass(frozen=True)
class Location:
    """Where a place is, in WGS84, with the source of the numbers."""

    longitude: Decimal
    latitude: Decimal
    source: str
    adcode: str | None = None


@dataclass
class Entity:
    """Everything the records say about one id: its defining record merged with its extensions."""

    id: str
    file: str
    classes: list[URIRef] = field(default_factory=list)
    literals: list[tuple[URIRef, Literal]] = field(default_factory=list)
    links: list[tuple[URIRef, str | URIRef]] = field(default_factory=list)  # str: an entity id
    citations: list[tuple[Passage, str]] = field(default_factory=list)
    location: Location | None = None


def load(directory: Path) -> tuple[list[Record], list[RecordError]]:
    """Every record of every `*.yaml` file in a directory (name order) and the files' errors."""
    records: list[Record] = []
    errors: list[RecordError] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            content = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}
        except yaml.YAMLError as error:
            errors.append(RecordError(path.name, "-", f"not valid YAML: {error}"))
            continue
        items = content.get("records") if isinstance(content, dict) else None
        if not isinstance(items, list):
            errors.append(RecordError(path.name, "-", "needs a top-level `records:` list"))
            continue
        for index, item in enumerate(items, start=1):
            if isinstance(item, dict):
                records.append(Record(path.name, index, item))
            else:
                errors.append(RecordError(path.name, f"#{index}", "a record is a mapping"))
    return records, errors


def defining_files(records: list[Record]) -> dict[str, str]:
    """The file that defines each id (the first defining record's file)."""
    files: dict[str, str] = {}
    for record in records:
        if not record.extends:
            files.setdefault(record.id, record.file)
    return files


def validate(records: list[Record], terms: Terms, document: Document) -> list[Entity]:
    """The entities the records define; raises InvalidRecords listing every problem."""
    validator = _Validator(terms, document)
    entities = validator.run(records)
    if validator.errors:
        raise InvalidRecords(validator.errors)
    return entities


def load_and_validate(directory: Path, terms: Terms, document: Document) -> list[Entity]:
    """Load a records directory and validate it; raises InvalidRecords listing every problem."""
    records, errors = load(directory)
    validator = _Validator(terms, document)
    entities = validator.run(records)
    if errors or validator.errors:
        raise InvalidRecords([*errors, *validator.errors])
    return entities


class _Validator:
    """Checks records one key at a time, collecting errors instead of stopping at the first."""

    def __init__(self, terms: Terms, document: Document) -> None:
        self.terms = terms
        self.document = document
        self.document_ids = {part.path for part in document.parts} | {
            passage.path for passage in document.passages
        }
        self.errors: list[RecordError] = []
        self.record: Record | None = None

    def fail(self, reason: str) -> None:
        assert self.record is not None
        self.errors.append(RecordError(self.record.file, self.record.id, reason))

    def run(self, records: list[Record]) -> list[Entity]:
        entities, definers = self.define(records)
        known = set(entities) | self.document_ids
        for record in records:
            self.record = record
            entity = entities.get(record.id)
            if entity is None and record.extends and record.id in self.document_ids:
                entity = entities.setdefault(record.id, Entity(record.id, record.file))
            # A second defining record was reported already: its statements would only add noise.
            if entity is not None and (record.extends or id(record) in definers):
                self.fill(record, entity, known)
        return [entities[key] for key in sorted(entities)]

    def define(self, records: list[Record]) -> tuple[dict[str, Entity], set[int]]:
        """One entity per defining record (and which records those are); duplicates are errors."""
        entities: dict[str, Entity] = {}
        definers: set[int] = set()
        for record in records:
            self.record = record
            if not self.valid_id(record):
                continue
            if record.extends:
                continue
            first = entities.get(record.id)
            if first is not None:
                self.fail(
                    f"defines `{record.id}` again (first defined in {first.file}): "
                    "give one of them `extend: true`"
                )
                continue
            entities[record.id] = Entity(
                record.id, record.file, classes=list(self.classes(record.fields.get("a")))
            )
            definers.add(id(record))
        orphans = (r for r in records if r.extends and ID_PATTERN.match(r.id))
        for record in orphans:
            self.record = record
            if record.id not in entities and record.id not in self.document_ids:
                self.fail(f"extends `{record.id}`, which no record defines")
        return entities, definers

    def valid_id(self, record: Record) -> bool:
        value = record.fields.get("id")
        if not isinstance(value, str):
            self.fail("needs an `id`")
            return False
        if record.extends and value in self.document_ids:
            return True
        if not ID_PATTERN.match(value):
            self.fail(f"id `{value}` is not lower-case ASCII words joined by - and /")
            return False
        if value.split("/")[0] in GENERATED_PREFIXES:
            self.fail(f"id `{value}` is generated by the builder; records may only extend it")
            return False
        return True

    def fill(self, record: Record, entity: Entity, known: set[str]) -> None:
        fields = record.fields
        if record.extends:
            for key in ("a", "label"):
                if key in fields:
                    self.fail(f"`{key}` belongs to the defining record, not to `extend: true`")
        else:
            self.require_label(fields.get("label"))
        for key, value in fields.items():
            if key in LANGUAGE_MAPS:
                entity.literals.extend(self.language_map(key, value))
            elif key not in DIRECTIVES:
                self.property(key, value, entity, known)
        if "adcodeName" in fields or "coordinates" in fields:
            self.locate(fields, entity)
        elif "coordinateSource" in fields or "adcodeParent" in fields:
            self.fail("`coordinateSource`/`adcodeParent` go with `coordinates`/`adcodeName`")
        self.cite(record, entity)

    def classes(self, value: Any) -> Iterator[URIRef]:
        if value is None:
            self.fail("needs `a` (its class)")
            return
        for name in value if isinstance(value, list) else [value]:
            uri = self.term(name, "a")
            if uri is not None and uri not in self.terms.classes:
                self.fail(f"`a`: {name} is not a class the ontology declares")
            elif uri is not None:
                yield uri

    def require_label(self, value: Any) -> None:
        if not isinstance(value, dict):
            self.fail("needs `label` with zh and en")
            return
        for language in LANGUAGES:
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                self.fail(f"`label` needs a non-empty `{language}`")

    def language_map(self, key: str, value: Any) -> Iterator[tuple[URIRef, Literal]]:
        if not isinstance(value, dict):
            self.fail(f"`{key}` is a map of languages (zh, en)")
            return
        for language, texts in value.items():
            if language not in LANGUAGES:
                self.fail(
                    f"`{key}`: unknown language `{language}` (use zh or en; a comma inside "
                    "{…} ends the value: put the text in quotes)"
                )
                continue
            if key == "label" and not isinstance(texts, str):
                self.fail(f"`label.{language}` is one string (other names go to `altLabel`)")
                continue
            for text in texts if isinstance(texts, list) else [texts]:
                if not isinstance(text, str) or not text.strip():
                    self.fail(f"`{key}.{language}`: {text!r} is not a non-empty string")
                else:
                    yield LANGUAGE_MAPS[key], Literal(text, lang=language)

    def term(self, name: Any, key: str) -> URIRef | None:
        if not isinstance(name, str):
            self.fail(f"`{key}`: {name!r} is not a term name")
            return None
        try:
            return expand(name)
        except UnknownTerm as error:
            self.fail(f"`{key}`: {error.args[0]}")
            return None

    def property(self, key: str, value: Any, entity: Entity, known: set[str]) -> None:
        prop = self.term(key, key)
        if prop is None:
            return
        values = value if isinstance(value, list) else [value]
        if prop in self.terms.object_properties:
            for item in values:
                target = self.link(key, item, known)
                if target is not None:
                    entity.links.append((prop, target))
        elif prop in self.terms.data_properties:
            for item in values:
                for literal in self.literals(key, item, self.terms.datatype(prop)):
                    entity.literals.append((prop, literal))
        else:
            self.fail(f"`{key}` is not a property the ontology declares (undefined term)")

    def link(self, key: str, item: Any, known: set[str]) -> str | URIRef | None:
        if not isinstance(item, str):
            self.fail(f"`{key}`: {item!r} is not an id or a prefixed name")
            return None
        if ":" in item:
            uri = self.term(item, key)
            if uri is not None and uri not in self.terms.individuals | self.terms.classes:
                self.fail(f"`{key}`: {item} is not a term the ontology declares (undefined term)")
                return None
            return uri
        if item not in known:
            self.fail(f"`{key}` names an unknown place/entity `{item}` (no record defines it)")
            return None
        return item

    def literals(self, key: str, item: Any, datatype: URIRef) -> Iterator[Literal]:
        if isinstance(item, dict) and datatype in (XSD.string, RDF.langString, RDFS.Literal):
            for language, text in item.items():
                if language in LANGUAGES and isinstance(text, str):
                    yield Literal(text, lang=language)
                else:
                    self.fail(f"`{key}`: {language}: {text!r} is not a zh/en string")
            return
        literal = typed_literal(item, datatype)
        if literal is None:
            self.fail(f"`{key}`: {item!r} is not a valid {datatype.n3()}")
        else:
            yield literal

    def locate(self, fields: dict[str, Any], entity: Entity) -> None:
        if entity.location is not None:
            self.fail("place located twice (adcodeName or coordinates in two records)")
            return
        if "adcodeName" in fields:
            name, parent = fields["adcodeName"], fields.get("adcodeParent")
            try:
                facts = geo.resolve(str(name), None if parent is None else str(parent))
            except geo.GeoError as error:
                self.fail(f"adcodeName: {error}")
                return
            entity.location = Location(
                _decimal(facts.longitude), _decimal(facts.latitude), facts.source, facts.adcode
            )
            return
        point, source = fields.get("coordinates"), fields.get("coordinateSource")
        if (
            not isinstance(point, list)
            or len(point) != 2
            or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in point)
            or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90)
        ):
            self.fail(f"coordinates: {point!r} is not [longitude, latitude] in degrees")
        elif not isinstance(source, str) or not source.strip():
            self.fail("coordinates need `coordinateSource` saying where they come from")
        else:
            entity.location = Location(_decimal(point[0]), _decimal(point[1]), source)

    def cite(self, record: Record, entity: Entity) -> None:
        items = quote_items(record.fields)
        for item in items:
            try:
                quote = parse_quote(item)
                entity.citations.append((locate(self.document, quote), quote.text))
            except QuoteError as error:
                self.fail(f"quote: {error}")
        if not items and not self.is_place(entity):
            self.fail("needs a `quote` (only places may go without one)")

    def is_place(self, entity: Entity) -> bool:
        return any(uri in self.terms.place_classes for uri in entity.classes)


def typed_literal(value: Any, datatype: URIRef) -> Literal | None:
    """A literal of the given datatype for a YAML value, or None if the value does not fit."""
    if isinstance(value, bool):
        return Literal(value) if datatype == XSD.boolean else None
    if datatype in (XSD.string, RDFS.Literal):
        # Plain literals: RDF 1.1 makes them xsd:string, and every store writes them this way.
        return Literal(value) if isinstance(value, str) else None
    if datatype == XSD.integer:
        return Literal(value, datatype=XSD.integer) if isinstance(value, int) else None
    if datatype == XSD.decimal:
        if not isinstance(value, int | float | str):
            return None
        try:
            return Literal(_decimal(value), datatype=XSD.decimal)
        except InvalidOperation:
            return None
    if datatype == XSD.gYearMonth:
        ok = isinstance(value, str) and YEAR_MONTH.match(value)
        return Literal(value, datatype=XSD.gYearMonth) if ok else None
    return Literal(value, datatype=datatype) if isinstance(value, str) else None


def _decimal(value: float | int | str) -> Decimal:
    # str() first so that a YAML float such as 0.1 keeps the digits the curator wrote.
    number = Decimal(str(value))
    if not number.is_finite():
        raise InvalidOperation(value)
    return number
