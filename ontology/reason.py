"""Materialise what the ontology entails about the data: HermiT through owlready2, or OWL 2 RL."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import NamedTuple

from rdflib import OWL, RDF, Graph, Literal, URIRef

from zhongyuan_kg.namespaces import ZY
from zhongyuan_kg.ontology.closure import Hierarchy, complete
from zhongyuan_kg.ontology.errors import OntologyError
from zhongyuan_kg.ontology.explain import explain_inconsistency
from zhongyuan_kg.ontology.load import (
    declared_terms,
    literal_datatype,
    module_graphs,
    short_name,
    term_files,
)
from zhongyuan_kg.ontology.owl2 import OWL2_DATATYPES

# Long texts that no axiom mentions: leaving them out keeps HermiT's input small.
TEXT_PROPERTIES = frozenset({ZY.text, ZY.quote})
_KEPT_BUILTINS = frozenset({RDF.type, OWL.sameAs, OWL.differentFrom})


class ReasoningError(OntologyError):
    """The reasoner found the data inconsistent or a class unsatisfiable."""


class Materialised(NamedTuple):
    """The entailed triples that were not asserted, and the engine that found them."""

    graph: Graph
    engine: str


def reasoner_input(tbox: Graph, abox: Graph) -> Graph:
    """What the reasoner sees: the logical TBox and the ABox triples that can trigger an axiom.

    Ontology headers and imports (owlready2 would fetch them), annotations (labels, definitions,
    WKT, dates), literals outside the OWL 2 datatype map and the passages' long texts are left
    out: they entail nothing, and HermiT rejects some of them.
    """
    kinds = declared_terms(tbox)
    headers = set(tbox.subjects(RDF.type, OWL.Ontology)) | set(
        abox.subjects(RDF.type, OWL.Ontology)
    )
    keep = Graph()
    for graph, is_tbox in ((tbox, True), (abox, False)):
        for s, p, o in graph:
            kind = kinds.get(p) if isinstance(p, URIRef) else None
            if s in headers or kind == "annotation" or p in TEXT_PROPERTIES:
                continue
            if isinstance(o, Literal) and literal_datatype(o) not in OWL2_DATATYPES:
                continue
            if not is_tbox and kind is None and p not in _KEPT_BUILTINS:
                continue  # an undeclared predicate: the builder rejects those before this step
            keep.add((s, p, o))
    return keep


def materialise(tbox: Graph, abox: Graph) -> Materialised:
    """Only the NEW triples the ontology entails about the ABox's individuals, and the engine.

    HermiT (through owlready2) when a JDK is on PATH, else the OWL 2 RL closure of owlrl.
    Raises ReasoningError when the data is inconsistent or a class is unsatisfiable.
    """
    given = reasoner_input(tbox, abox)
    if java_available():
        from zhongyuan_kg.ontology.hermit import ENGINE, run_hermit

        entailed, unsatisfiable = run_hermit(given)
        engine = ENGINE
        if unsatisfiable:
            raise _unsatisfiable(unsatisfiable, term_files(module_graphs()))
    else:
        entailed, engine = _run_owlrl(given)
    if entailed is None:
        raise ReasoningError(explain_inconsistency(tbox, given), term="owl:Thing")
    kinds = declared_terms(tbox)
    hierarchy = Hierarchy.from_graph(entailed, kinds)
    individuals = {
        node
        for s, p, o in abox
        for node in ((s, o) if p != RDF.type else (s,))
        if isinstance(node, URIRef) and node not in kinds
    }
    result = Graph()
    for triple in complete(entailed, hierarchy, individuals):
        if triple not in abox and triple not in tbox:
            result.add(triple)
    return Materialised(result, engine)


def java_available() -> bool:
    """Whether a JDK is on PATH, so that HermiT can run."""
    return shutil.which("java") is not None


def classify(directory: Path | None = None) -> Graph:
    """Classify the ontology modules alone with HermiT; raise ReasoningError naming the file.

    Returns the merged TBox. Needs a JDK: without one there is nothing to check here.
    """
    from zhongyuan_kg.ontology.hermit import run_hermit

    graphs = module_graphs(directory)
    tbox = Graph()
    for graph in graphs.values():
        tbox += graph
    entailed, unsatisfiable = run_hermit(reasoner_input(tbox, Graph()))
    if entailed is None:
        raise ReasoningError("the ontology is inconsistent", file=directory, term="owl:Thing")
    if unsatisfiable:
        raise _unsatisfiable(unsatisfiable, term_files(graphs))
    return tbox


def _unsatisfiable(classes: list[URIRef], where: dict[URIRef, Path]) -> ReasoningError:
    problems = [
        ReasoningError(
            "unsatisfiable class (equivalent to owl:Nothing)", where.get(c), short_name(c)
        )
        for c in classes
    ]
    first, *rest = problems
    return ReasoningError(first.problem, first.file, first.term, more=rest)


def _run_owlrl(given: Graph) -> tuple[Graph | None, str]:
    import owlrl

    engine = f"owlrl {owlrl.__version__} OWL 2 RL (no JDK found)"
    closed = Graph()
    closed += given
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    error = URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")
    if (None, RDF.type, error) in closed:
        return None, engine
    return closed, engine
