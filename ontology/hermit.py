"""Run HermiT (bundled with owlready2) over a graph and read back everything it entails."""

from __future__ import annotations

import io
from typing import NamedTuple

import owlready2
from rdflib import Graph, URIRef

ENGINE = f"HermiT (owlready2 {owlready2.VERSION})"


class HermitResult(NamedTuple):
    """The graph after reasoning (None when inconsistent) and the unsatisfiable classes."""

    graph: Graph | None
    unsatisfiable: list[URIRef]


def run_hermit(given: Graph) -> HermitResult:
    """Classify and realise `given` with HermiT (class and property hierarchies, individual types).

    Object property values are not asked of HermiT: its property-value classification (-Y) took
    16–50 s on a plan-sized ABox, against 5 s for everything else, and the links it would add
    follow from the property axioms alone (closure.py completes them).
    """
    world = owlready2.World()
    try:
        # owlready2 reads N-Triples and RDF/XML, not Turtle.
        data = given.serialize(format="nt", encoding="utf-8")
        world.get_ontology("https://w3id.org/zhongyuan-kg/reasoning-input").load(
            fileobj=io.BytesIO(data), format="ntriples"
        )
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return HermitResult(None, [])
        unsatisfiable = sorted(
            URIRef(cls.iri)
            for cls in world.inconsistent_classes()
            if isinstance(cls, owlready2.ThingClass) and cls is not owlready2.Nothing
        )
        graph = Graph()
        for s, p, o in world.as_rdflib_graph():
            graph.add((s, p, o))
        return HermitResult(graph, unsatisfiable)
    finally:
        world.close()
