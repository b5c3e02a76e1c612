"""Static OWL 2 DL checks over the Turtle modules: declarations, punning, datatypes, regularity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from zhongyuan_kg.ontology.errors import OntologyError
from zhongyuan_kg.ontology.load import (
    UNREASONED_MODULES,
    declared_terms,
    literal_datatype,
    short_name,
)
from zhongyuan_kg.ontology.owl2 import OWL2_DATATYPES, is_builtin
from zhongyuan_kg.ontology.rbox import problem_at, regularity, simple_only


def _declarations(merged: Graph) -> tuple[dict[URIRef, set[str]], set[URIRef]]:
    """Every kind each IRI is declared with, and the set of declared datatypes."""
    kinds: dict[URIRef, set[str]] = defaultdict(set)
    single = declared_terms(merged)
    for term, kind in single.items():
        kinds[term].add(kind)
    # declared_terms keeps one kind per term; look again for the punning a term must not have.
    for rdf_type, kind in (
        (OWL.ObjectProperty, "object"),
        (OWL.DatatypeProperty, "datatype"),
        (OWL.AnnotationProperty, "annotation"),
        (OWL.Class, "class"),
    ):
        for term in merged.subjects(RDF.type, rdf_type):
            if isinstance(term, URIRef):
                kinds[term].add(kind)
    datatypes = {t for t in merged.subjects(RDF.type, RDFS.Datatype) if isinstance(t, URIRef)}
    return kinds, datatypes


def _import_closures(graphs: dict[Path, Graph]) -> tuple[dict[Path, set[Path]], list]:
    """Each module with the modules it imports, directly or not; and imports of unknown IRIs."""
    by_iri = {o: path for path, g in graphs.items() for o in g.subjects(RDF.type, OWL.Ontology)}
    direct: dict[Path, set[Path]] = {}
    unknown = []
    for path, graph in graphs.items():
        direct[path] = set()
        for imported in graph.objects(None, OWL.imports):
            if imported in by_iri:
                direct[path].add(by_iri[imported])
            else:
                unknown.append(
                    problem_at("imports an ontology that is not a local module", path, imported)
                )
    closures = {}
    for path in graphs:
        seen, todo = {path}, [path]
        while todo:
            for nxt in direct[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        closures[path] = seen
    return closures, unknown


def _undeclared(graphs: dict[Path, Graph], merged: Graph) -> Iterator[OntologyError]:
    """Every IRI a module uses must be declared in it or in a module it imports."""
    closures, unknown = _import_closures(graphs)
    yield from unknown
    ontologies = set(merged.subjects(RDF.type, OWL.Ontology)) | set(
        merged.objects(None, OWL.imports)
    )
    ontologies |= set(merged.objects(None, OWL.versionIRI))
    everywhere = merged_known(merged)
    for path, graph in graphs.items():
        visible = Graph()
        for module in closures[path]:
            visible += graphs[module]
        kinds, datatypes = _declarations(visible)
        annotation_props = {t for t, k in kinds.items() if "annotation" in k}
        known = set(kinds) | datatypes | ontologies
        reported: set[URIRef] = set()
        for s, p, o in graph:
            used = [s, p]
            # Annotation values may be any IRI (a licence, a source): only logical objects count.
            if p not in annotation_props and p not in (OWL.imports, OWL.versionIRI):
                used.append(o)
            for term in used:
                undeclared = isinstance(term, URIRef) and term not in known
                if undeclared and not is_builtin(term) and term not in reported:
                    reported.add(term)
                    problem = (
                        "used but declared only in a module this one does not import"
                        if term in everywhere
                        else "used but never declared"
                    )
                    yield problem_at(problem, path, term)


def merged_known(merged: Graph) -> set[URIRef]:
    """Every IRI declared anywhere in the merged ontology."""
    kinds, datatypes = _declarations(merged)
    return set(kinds) | datatypes


def _punning(merged: Graph, kinds: dict, datatypes: set, where: dict) -> Iterator[OntologyError]:
    for term, found in kinds.items():
        properties = found & {"object", "datatype", "annotation"}
        if len(properties) > 1:
            yield problem_at(
                "illegal punning: declared as " + " and ".join(sorted(properties)) + " property",
                where.get(term, Path("?")),
                term,
            )
        if "class" in found and term in datatypes:
            yield problem_at("illegal punning: both a class and a datatype", where.get(term), term)


def _usage(graphs: dict[Path, Graph], kinds: dict) -> Iterator[OntologyError]:
    def kind_of(term: Node) -> set[str]:
        return kinds.get(term, set()) if isinstance(term, URIRef) else set()

    for path, graph in graphs.items():
        for s, p, o in graph:
            pk = kind_of(p)
            if "object" in pk and isinstance(o, Literal):
                yield problem_at(f"object property used with the literal {o.n3()}", path, p)
            elif "datatype" in pk and not isinstance(o, Literal):
                yield problem_at(f"data property used with the resource {short_name(o)}", path, p)
            if p in (OWL.onProperty, OWL.inverseOf, RDFS.subPropertyOf, OWL.equivalentProperty):
                for prop in (s, o):
                    if "annotation" in kind_of(prop) and p != RDFS.subPropertyOf:
                        yield problem_at(f"annotation property used in {short_name(p)}", path, prop)
            if p in (RDFS.subPropertyOf, OWL.equivalentProperty, OWL.propertyDisjointWith):
                a = kind_of(s) & {"object", "datatype", "annotation"}
                b = kind_of(o) & {"object", "datatype", "annotation"}
                if a and b and a != b and not is_builtin(o):
                    yield problem_at(
                        f"{short_name(p)} relates a {'/'.join(a)} property "
                        f"to a {'/'.join(b)} property",
                        path,
                        s,
                    )


def _data_ranges(graphs: dict[Path, Graph], kinds: dict) -> Iterator[OntologyError]:
    for path, graph in graphs.items():
        if path.name in UNREASONED_MODULES:
            continue
        for s, p, o in graph:
            pk = kinds.get(p, set()) if isinstance(p, URIRef) else set()
            data_range = p == RDFS.range and "datatype" in kinds.get(s, set())
            if data_range and isinstance(o, URIRef) and o not in OWL2_DATATYPES:
                yield problem_at(
                    f"range {short_name(o)} is outside the OWL 2 datatype map "
                    "(declare it in geometry.ttl as an annotation property instead)",
                    path,
                    s,
                )
            if isinstance(o, Literal) and "annotation" not in pk and not is_builtin(p):
                datatype = literal_datatype(o)
                if datatype is not None and datatype not in OWL2_DATATYPES:
                    yield problem_at(
                        f"value {o.n3()} has a datatype outside the OWL 2 datatype map", path, s
                    )
            if p in (OWL.someValuesFrom, OWL.allValuesFrom, OWL.onDataRange):
                prop = graph.value(s, OWL.onProperty)
                data_prop = "datatype" in kinds.get(prop, set())
                if data_prop and isinstance(o, URIRef) and o not in OWL2_DATATYPES:
                    yield problem_at(
                        f"data range {short_name(o)} is outside the OWL 2 datatype map", path, prop
                    )


def static_problems(graphs: dict[Path, Graph], merged: Graph) -> list[OntologyError]:
    """Every static OWL 2 DL problem in the modules, in file order."""
    kinds, datatypes = _declarations(merged)
    where: dict[URIRef, Path] = {}
    for path, graph in graphs.items():
        for term in graph.subjects(RDF.type):
            if isinstance(term, URIRef):
                where.setdefault(term, path)
    problems: list[OntologyError] = []
    problems += _undeclared(graphs, merged)
    problems += _punning(merged, kinds, datatypes, where)
    problems += _usage(graphs, kinds)
    problems += _data_ranges(graphs, kinds)
    problems += simple_only(graphs, merged)
    problems += regularity(graphs, merged)
    return problems


__all__ = ["static_problems"]
