"""The build's calls into the ontology package: check, reason, validate shapes, publish."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from zhongyuan_kg.graph.rdf import new_graph
from zhongyuan_kg.ontology.errors import OntologyError
from zhongyuan_kg.ontology.owl2 import OWL2_DATATYPES

Triple = tuple[Node, Node, Node]


class StepFailed(RuntimeError):
    """The ontology, the reasoner or the shapes rejected the build; the message says why."""


class ShapesViolated(StepFailed):
    """The data violates the data shapes: one (focus node, message) per violation."""

    def __init__(self, found: list[tuple[URIRef, str]]) -> None:
        self.violations = found
        lines = "\n".join(f"  {focus}: {message}" for focus, message in found)
        super().__init__(f"SHACL: {len(found)} violation(s):\n{lines}")


def check_ontology() -> Graph:
    """The merged ontology after its static OWL 2 DL checks and shapes; raises StepFailed."""
    from zhongyuan_kg.ontology.load import check

    try:
        return check()
    except OntologyError as error:
        raise StepFailed(f"ontology: {error}") from error


def reasonable(triple: Triple) -> bool:
    """Whether a triple may go to the reasoner (any literal is in the OWL 2 datatype map)."""
    value = triple[2]
    if not isinstance(value, Literal) or value.language is not None or value.datatype is None:
        return True
    return value.datatype in OWL2_DATATYPES


def materialise(tbox: Graph, facts: Graph, structure: Graph) -> tuple[Graph, str]:
    """The entailed triples not already asserted, and the name of the engine that found them."""
    from zhongyuan_kg.ontology.reason import materialise as ontology_materialise

    asserted = facts + structure  # the ontology package drops what HermiT cannot take
    try:
        result = ontology_materialise(tbox, asserted)
    except OntologyError as error:
        raise StepFailed(f"reasoner: {error}") from error
    inferred, engine = result.graph, result.engine
    fresh = new_graph()
    for triple in inferred:
        if triple not in asserted and triple not in tbox:
            fresh.add(triple)
    return fresh, engine


def validate_shapes(tbox: Graph, *graphs: Graph) -> str:
    """Validate the data against the data shapes: the summary, or StepFailed with the report."""
    from zhongyuan_kg.ontology.shapes import validate, violations

    # The TBox goes into the data graph itself: pyshacl's own ontology mix-in (ont_graph) clones
    # it node by node and takes minutes here; merged, sh:targetClass still sees the subclasses.
    data = new_graph()
    for graph in (tbox, *graphs):
        data += graph
    nothing = Graph()
    conforms, _ = validate(data, nothing)
    if not conforms:
        raise ShapesViolated(violations(data, nothing))
    return f"conforms ({len(data)} triples checked against the data shapes)"


def write_ontology(directory: Path) -> dict[str, Path]:
    """Publish the ontology files and catalog into a folder; keyed by path inside the folder."""
    from zhongyuan_kg.ontology.publish import write_ontology as ontology_write

    try:
        written = ontology_write(directory)
    except OntologyError as error:
        raise StepFailed(f"ontology: {error}") from error
    return {path.relative_to(directory).as_posix(): path for path in written}
