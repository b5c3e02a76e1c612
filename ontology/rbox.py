"""OWL 2 DL's global restrictions on properties: simple properties and a regular hierarchy."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph
from rdflib.collection import Collection
from rdflib.term import Node

from zhongyuan_kg.ontology.errors import OntologyError
from zhongyuan_kg.ontology.load import short_name


def problem_at(problem: str, file: Path | None, term: Node | None) -> OntologyError:
    """An OntologyError naming the term by its prefixed name."""
    return OntologyError(problem, file=file, term=None if term is None else short_name(term))


_CARDINALITIES = (
    OWL.cardinality,
    OWL.minCardinality,
    OWL.maxCardinality,
    OWL.qualifiedCardinality,
    OWL.minQualifiedCardinality,
    OWL.maxQualifiedCardinality,
)
# Characteristics and axioms OWL 2 DL allows only on simple properties (section 11.2).
_SIMPLE_ONLY_TYPES = (
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    OWL.IrreflexiveProperty,
    OWL.AsymmetricProperty,
)


def _inverses(merged: Graph) -> dict[Node, set[Node]]:
    inverse: dict[Node, set[Node]] = defaultdict(set)
    for a, b in merged.subject_objects(OWL.inverseOf):
        inverse[a].add(b)
        inverse[b].add(a)
    return inverse


def _chains(merged: Graph) -> list[tuple[Node, list[Node]]]:
    chains = []
    for prop, head in merged.subject_objects(OWL.propertyChainAxiom):
        chains.append((prop, list(Collection(merged, head))))
    return chains


def _non_simple(merged: Graph) -> set[Node]:
    """Properties that are transitive, have a chain, or have such a sub-property (or inverse)."""
    composite = set(merged.subjects(RDF.type, OWL.TransitiveProperty))
    composite |= {prop for prop, _ in _chains(merged)}
    inverse = _inverses(merged)
    result = set(composite)
    changed = True
    while changed:
        changed = False
        for sub, sup in merged.subject_objects(RDFS.subPropertyOf):
            if sub in result and sup not in result:
                result.add(sup)
                changed = True
        for sub, sup in merged.subject_objects(OWL.equivalentProperty):
            for a, b in ((sub, sup), (sup, sub)):
                if a in result and b not in result:
                    result.add(b)
                    changed = True
        for prop in list(result):
            for inv in inverse.get(prop, ()):
                if inv not in result:
                    result.add(inv)
                    changed = True
    return result


def simple_only(graphs: dict[Path, Graph], merged: Graph) -> Iterator[OntologyError]:
    """Transitive or chained properties used where OWL 2 DL wants a simple one."""
    non_simple = _non_simple(merged)
    for path, graph in graphs.items():
        for rdf_type in _SIMPLE_ONLY_TYPES:
            for prop in graph.subjects(RDF.type, rdf_type):
                if prop in non_simple:
                    yield problem_at(
                        "a transitive or chained property cannot be "
                        f"{short_name(rdf_type)} in OWL 2 DL",
                        path,
                        prop,
                    )
        for restriction, prop in graph.subject_objects(OWL.onProperty):
            if prop not in non_simple:
                continue
            for cardinality in _CARDINALITIES:
                if (restriction, cardinality, None) in graph:
                    yield problem_at(
                        "a transitive or chained property cannot be used in a cardinality "
                        "restriction in OWL 2 DL",
                        path,
                        prop,
                    )
            if (restriction, OWL.hasSelf, None) in graph:
                yield problem_at(
                    "a non-simple property cannot be used with owl:hasSelf", path, prop
                )
        for a, b in graph.subject_objects(OWL.propertyDisjointWith):
            for prop in (a, b):
                if prop in non_simple:
                    yield problem_at("a non-simple property cannot be disjoint", path, prop)


def regularity(graphs: dict[Path, Graph], merged: Graph) -> Iterator[OntologyError]:
    """Chains must not loop back through the property hierarchy (OWL 2 regularity)."""
    inverse = _inverses(merged)
    # Treat a property and its inverse as one node: the order must rank them together anyway.
    rep: dict[Node, Node] = {}
    for prop in set(inverse) | {p for p in merged.subjects(RDF.type, OWL.ObjectProperty)}:
        group = {prop} | inverse.get(prop, set())
        rep[prop] = min(group, key=str)

    def node(prop: Node) -> Node:
        return rep.get(prop, prop)

    edges: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in merged.subject_objects(RDFS.subPropertyOf):
        edges[node(sub)].add(node(sup))
    for a, b in merged.subject_objects(OWL.equivalentProperty):
        edges[node(a)].add(node(b))
        edges[node(b)].add(node(a))
    strict: list[tuple[Node, Node]] = []
    for prop, members in _chains(merged):
        for index, member in enumerate(members):
            at_end = index in (0, len(members) - 1)
            if at_end and member == prop:
                continue  # R ∘ S ⊑ R and S ∘ R ⊑ R are the allowed recursive forms
            strict.append((node(member), node(prop)))
            edges[node(member)].add(node(prop))

    def reaches(start: Node, goal: Node) -> bool:
        seen, todo = {start}, [start]
        while todo:
            current = todo.pop()
            if current == goal:
                return True
            for nxt in edges.get(current, ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    where = {p: path for path, g in graphs.items() for p, _ in _chains(g)}
    for member, prop in strict:
        if reaches(prop, member):
            yield problem_at(
                f"property chain makes the hierarchy cyclic: {short_name(prop)} leads back to "
                f"{short_name(member)} (OWL 2 regularity restriction)",
                where.get(prop, Path("?")),
                prop,
            )
