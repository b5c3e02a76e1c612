"""Say why data is inconsistent: the individual, the two disjoint kinds, where each came from."""

from __future__ import annotations

from collections import defaultdict

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from zhongyuan_kg.ontology.load import literal_datatype, short_name

MAX_REPORTED = 10


def _disjoint_pairs(tbox: Graph) -> set[frozenset[Node]]:
    pairs = {frozenset(pair) for pair in tbox.subject_objects(OWL.disjointWith)}
    for group in tbox.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(Collection(tbox, tbox.value(group, OWL.members)))
        pairs.update(frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1 :])
    return pairs


def _reasons(tbox: Graph, data: Graph) -> dict[Node, dict[Node, str]]:
    """For each individual, each named class it must belong to and why (asserted types first)."""
    origins: list[tuple[Node, Node, str]] = [
        (ind, cls, f"asserted {short_name(cls)}") for ind, cls in data.subject_objects(RDF.type)
    ]
    for prop, domain in tbox.subject_objects(RDFS.domain):
        if isinstance(domain, URIRef):
            origins += [
                (ind, domain, f"the domain of {short_name(prop)}") for ind in data.subjects(prop)
            ]
    for prop, rng in tbox.subject_objects(RDFS.range):
        if isinstance(rng, URIRef):
            origins += [
                (ind, rng, f"the range of {short_name(prop)}")
                for ind in data.objects(None, prop)
                if isinstance(ind, URIRef)
            ]
    reasons: dict[Node, dict[Node, str]] = defaultdict(dict)
    for ind, cls, why in origins:
        found = reasons[ind]
        if cls in found:
            continue
        found[cls] = why
        todo = [cls]
        while todo:
            for sup in tbox.objects(todo.pop(), RDFS.subClassOf):
                if isinstance(sup, URIRef) and sup not in found:
                    found[sup] = why
                    todo.append(sup)
    return reasons


def _datatype_clashes(tbox: Graph, data: Graph) -> list[str]:
    """Data property values whose datatype is not the property's range (34.5 as xsd:double …)."""
    clashes = []
    for prop, rng in tbox.subject_objects(RDFS.range):
        if (prop, RDF.type, OWL.DatatypeProperty) not in tbox or rng == RDFS.Literal:
            continue
        for ind, value in data.subject_objects(prop):
            datatype = literal_datatype(value) if isinstance(value, Literal) else None
            compatible = datatype == rng or (rng == XSD.decimal and datatype == XSD.integer)
            if not compatible:
                clashes.append(
                    f"{short_name(ind)} {short_name(prop)} {short_name(value)}: "
                    f"the value is not in the range {short_name(rng)}"
                )
    return sorted(clashes)


def explain_inconsistency(tbox: Graph, data: Graph) -> str:
    """A readable account of why the reasoner found the data inconsistent."""
    pairs = _disjoint_pairs(tbox)
    clashes = _datatype_clashes(tbox, data)
    for ind, found in sorted(_reasons(tbox, data).items(), key=lambda item: str(item[0])):
        for pair in pairs:
            a, b = sorted(pair, key=str)
            if a in found and b in found:
                clashes.append(
                    f"{short_name(ind)} is both {short_name(a)} (by {found[a]}) and "
                    f"{short_name(b)} (by {found[b]}), which are disjoint"
                )
    if not clashes:
        return (
            "the data is inconsistent with the ontology (no disjoint-class or datatype clash "
            "found by the quick check: look at functional properties and restrictions)"
        )
    more = f" … and {len(clashes) - MAX_REPORTED} more" if len(clashes) > MAX_REPORTED else ""
    return "inconsistent: " + "; ".join(clashes[:MAX_REPORTED]) + more
