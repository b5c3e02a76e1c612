"""SHACL validation: shapes about the data and shapes about the ontology itself."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph, Namespace, URIRef

from zhongyuan_kg.ontology.errors import OntologyError
from zhongyuan_kg.ontology.load import short_name
from zhongyuan_kg.paths import ONTOLOGY_DIR

SHAPES_DIR = ONTOLOGY_DIR / "shapes"
DATA_SHAPES = SHAPES_DIR / "data.ttl"
ONTOLOGY_SHAPES = SHAPES_DIR / "ontology.ttl"
SH = Namespace("http://www.w3.org/ns/shacl#")


@cache
def _shapes(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def validate(data: Graph, ontology: Graph) -> tuple[bool, str]:
    """Check the data against the data shapes, with the ontology's class hierarchy in view."""
    conforms, _, report = shacl_validate(
        _with_ontology(data, ontology), shacl_graph=_shapes(DATA_SHAPES), inference="none"
    )
    return bool(conforms), str(report)


def _with_ontology(data: Graph, ontology: Graph) -> Graph:
    # The ontology's subclass triples beside the data let sh:targetClass reach instances of
    # every subclass. Merged here rather than through pySHACL's ont_graph, whose deep copy of
    # the ontology's lists takes minutes.
    merged = Graph()
    merged += data
    merged += ontology
    return merged


def violations(data: Graph, ontology: Graph) -> list[tuple[URIRef, str]]:
    """Each data-shape violation as (focus node, message), for tests and reports."""
    _, results, _ = shacl_validate(
        _with_ontology(data, ontology), shacl_graph=_shapes(DATA_SHAPES), inference="none"
    )
    return _results(results)


def _results(results: Graph) -> list[tuple[URIRef, str]]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        message = results.value(result, SH.resultMessage)
        path = results.value(result, SH.resultPath)
        text = str(message) if message is not None else "violates a shape"
        if path is not None:
            text = f"{short_name(path)}: {text}" if isinstance(path, URIRef) else text
        found.append((focus, text))
    return sorted(found, key=lambda item: (str(item[0]), item[1]))


def ontology_problems(graph: Graph, where: dict[URIRef, Path]) -> list[OntologyError]:
    """Every term of the ontology that the ontology shapes reject, naming its file."""
    conforms, results, _ = shacl_validate(graph, shacl_graph=_shapes(ONTOLOGY_SHAPES))
    if conforms:
        return []
    return [
        OntologyError(message, file=where.get(focus), term=short_name(focus))
        for focus, message in _results(results)
    ]
