"""Complete a reasoner's answer: every superclass, super-property, inverse and transitive step."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
# Memberships that say nothing: every individual is a Thing and a NamedIndividual.
TRIVIAL_CLASSES = frozenset({OWL.Thing, OWL.NamedIndividual, RDFS.Resource})


def _closure(pairs: Iterable[tuple[Node, Node]]) -> dict[URIRef, set[URIRef]]:
    """Reflexive-transitive closure of a relation between IRIs."""
    direct: dict[URIRef, set[URIRef]] = defaultdict(set)
    for a, b in pairs:
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            direct[a].add(b)
    result: dict[URIRef, set[URIRef]] = {}
    for start in list(direct):
        seen, todo = {start}, [start]
        while todo:
            for nxt in direct.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        result[start] = seen
    return result


@dataclass
class Hierarchy:
    """The classified class and property hierarchies, as the reasoner left them."""

    terms: frozenset[URIRef]
    classes: frozenset[URIRef]
    object_properties: frozenset[URIRef]
    superclasses: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    superproperties: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    inverses: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    transitive: frozenset[URIRef] = frozenset()
    chains: list[tuple[URIRef, list[URIRef]]] = field(default_factory=list)

    @classmethod
    def from_graph(cls, graph: Graph, kinds: dict[URIRef, str]) -> Hierarchy:
        """Read the hierarchies from a reasoned graph; `kinds` is declared_terms of the TBox."""
        equivalent_classes = list(graph.subject_objects(OWL.equivalentClass))
        equivalent_props = list(graph.subject_objects(OWL.equivalentProperty))
        inverses: dict[URIRef, set[URIRef]] = defaultdict(set)
        for a, b in graph.subject_objects(OWL.inverseOf):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                inverses[a].add(b)
                inverses[b].add(a)
        for prop in graph.subjects(RDF.type, OWL.SymmetricProperty):
            if isinstance(prop, URIRef):
                inverses[prop].add(prop)
        return cls(
            terms=frozenset(kinds),
            classes=frozenset(t for t, k in kinds.items() if k == "class"),
            object_properties=frozenset(t for t, k in kinds.items() if k == "object"),
            superclasses=_closure(
                [*graph.subject_objects(RDFS.subClassOf), *equivalent_classes]
                + [(b, a) for a, b in equivalent_classes]
            ),
            superproperties=_closure(
                [*graph.subject_objects(RDFS.subPropertyOf), *equivalent_props]
                + [(b, a) for a, b in equivalent_props]
            ),
            inverses=dict(inverses),
            transitive=frozenset(
                p for p in graph.subjects(RDF.type, OWL.TransitiveProperty) if isinstance(p, URIRef)
            ),
            chains=[
                (prop, list(Collection(graph, head)))
                for prop, head in graph.subject_objects(OWL.propertyChainAxiom)
                if isinstance(prop, URIRef)
            ],
        )

    def supers_of_class(self, cls: URIRef) -> set[URIRef]:
        """The class and all its named superclasses."""
        return self.superclasses.get(cls, {cls}) | {cls}

    def supers_of_property(self, prop: URIRef) -> set[URIRef]:
        """The property and all its super-properties."""
        return self.superproperties.get(prop, {prop}) | {prop}


def _types(graph: Graph, hierarchy: Hierarchy, individuals: set[URIRef]) -> Iterator[Triple]:
    for ind, cls in graph.subject_objects(RDF.type):
        if ind in individuals and isinstance(cls, URIRef) and cls in hierarchy.classes:
            for sup in hierarchy.supers_of_class(cls):
                if sup not in TRIVIAL_CLASSES and sup in hierarchy.classes:
                    yield ind, RDF.type, sup


def _links(graph: Graph, hierarchy: Hierarchy, individuals: set[URIRef]) -> set[Triple]:
    """Object property assertions closed under sub-properties, inverses, transitivity and chains."""

    def named(node: Node) -> bool:
        # Individuals of the data, or of the ontology (SKOS concepts), never classes or properties.
        return isinstance(node, URIRef) and (
            node in individuals or (node in hierarchy.terms and node not in hierarchy.classes)
        )

    links: set[Triple] = set()
    for prop in hierarchy.object_properties:
        for s, o in graph.subject_objects(prop):
            if named(s) and named(o) and (s in individuals or o in individuals):
                links.add((s, prop, o))
    while True:
        grown = set(links)
        for s, p, o in links:
            grown.update((s, sup, o) for sup in hierarchy.supers_of_property(p))
            grown.update((o, inv, s) for inv in hierarchy.inverses.get(p, ()))
        grown = _chained(_transitive(grown, hierarchy), hierarchy)
        if len(grown) == len(links):
            return links
        links = grown


def _transitive(links: set[Triple], hierarchy: Hierarchy) -> set[Triple]:
    """Close each transitive property over the links found so far."""
    by_prop: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
    for s, p, o in links:
        if p in hierarchy.transitive:
            by_prop[p][s].add(o)
    closed = set(links)
    for prop, edges in by_prop.items():
        for start in list(edges):
            seen, todo = set(), list(edges[start])
            while todo:
                node = todo.pop()
                if node in seen:
                    continue
                seen.add(node)
                todo.extend(edges.get(node, ()))
            closed.update((start, prop, far) for far in seen)
    return closed


def _chained(links: set[Triple], hierarchy: Hierarchy) -> set[Triple]:
    """Add what each property chain (p1 ∘ … ∘ pn ⊑ q) entails over the links found so far."""
    if not hierarchy.chains:
        return links
    successors: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
    for s, p, o in links:
        successors[p][s].add(o)
    grown = set(links)
    for prop, members in hierarchy.chains:
        pairs = {(s, o) for s, objects in successors[members[0]].items() for o in objects}
        for member in members[1:]:
            step = successors[member]
            pairs = {(s, far) for s, o in pairs for far in step.get(o, ())}
        grown.update((s, prop, o) for s, o in pairs)
    return grown


def complete(graph: Graph, hierarchy: Hierarchy, individuals: set[URIRef]) -> Iterator[Triple]:
    """Every class membership and object link of the individuals, reflexive links left out."""
    yield from _types(graph, hierarchy, individuals)
    for s, p, o in _links(graph, hierarchy, individuals):
        if s != o:
            yield s, p, o
