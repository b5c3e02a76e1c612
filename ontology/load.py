"""Load the ontology's Turtle modules, list its terms and check them before anyone uses them."""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from zhongyuan_kg.namespaces import PREFIXES
from zhongyuan_kg.ontology.errors import OntologyError
from zhongyuan_kg.ontology.owl2 import BUILTIN_ANNOTATIONS
from zhongyuan_kg.paths import ONTOLOGY_DIR

__all__ = [
    "SRC_DIR",
    "UNREASONED_MODULES",
    "OntologyError",
    "check",
    "datatype_range",
    "declared_terms",
    "module_files",
    "module_graphs",
    "ontology_graph",
    "short_name",
]

SRC_DIR = ONTOLOGY_DIR / "src"
UMBRELLA = "zhongyuan.ttl"
# Modules whose values use datatypes outside the OWL 2 datatype map: never given to the reasoner.
UNREASONED_MODULES = frozenset({"geometry.ttl"})

_OBJECT_TYPES = (
    OWL.ObjectProperty,
    OWL.TransitiveProperty,
    OWL.SymmetricProperty,
    OWL.AsymmetricProperty,
    OWL.ReflexiveProperty,
    OWL.IrreflexiveProperty,
    OWL.InverseFunctionalProperty,
)


def module_files(directory: Path | None = None) -> list[Path]:
    """The Turtle modules of the ontology, umbrella first, then by name."""
    folder = Path(directory) if directory is not None else SRC_DIR
    files = sorted(folder.glob("*.ttl"))
    return sorted(files, key=lambda path: (path.name != UMBRELLA, path.name))


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes so every serialisation reads the same."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def parse_module(path: Path) -> Graph:
    """Parse one module, turning a syntax error into an OntologyError naming the file."""
    graph = bind_prefixes(Graph())
    try:
        graph.parse(path, format="turtle")
    except Exception as error:  # rdflib raises several unrelated types for bad Turtle
        raise OntologyError(f"Turtle parse error: {error}", file=path) from error
    return graph


def module_graphs(directory: Path | None = None) -> dict[Path, Graph]:
    """Every module parsed on its own, keyed by its file."""
    files = module_files(directory)
    if not files:
        raise OntologyError("no Turtle modules found", file=directory or SRC_DIR)
    return {path: parse_module(path) for path in files}


def ontology_graph(directory: Path | None = None) -> Graph:
    """All modules merged into one graph: the TBox and the SKOS schemes."""
    merged = bind_prefixes(Graph())
    for graph in module_graphs(directory).values():
        merged += graph
    return merged


def declared_terms(graph: Graph) -> dict[URIRef, str]:
    """Every declared term mapped to its kind.

    Kinds: ``class``, ``object``, ``datatype`` (a data property), ``annotation``, ``concept``
    (a SKOS concept) and ``individual``. The annotation properties built into OWL 2
    (rdfs:label, rdfs:comment …) are included; datatypes (rdfs:Datatype) are not terms a record
    can use and are left out.
    """
    kinds: dict[URIRef, str] = {term: "annotation" for term in BUILTIN_ANNOTATIONS}

    def mark(rdf_type: URIRef, kind: str) -> None:
        for term in graph.subjects(RDF.type, rdf_type):
            if isinstance(term, URIRef):
                kinds.setdefault(term, kind)

    # Order matters: a SKOS concept is also an owl:NamedIndividual; the first kind wins.
    for rdf_type in (OWL.Class, RDFS.Class):
        mark(rdf_type, "class")
    for rdf_type in _OBJECT_TYPES:
        mark(rdf_type, "object")
    mark(OWL.DatatypeProperty, "datatype")
    mark(OWL.AnnotationProperty, "annotation")
    mark(SKOS.Concept, "concept")
    concept_classes = set(graph.transitive_subjects(RDFS.subClassOf, SKOS.Concept))
    for concept_class in concept_classes:
        mark(concept_class, "concept")
    mark(OWL.NamedIndividual, "individual")
    return kinds


def datatype_range(graph: Graph, prop: URIRef) -> URIRef | None:
    """The datatype a data (or annotation) property's values take, or None if it has none."""
    for rng in graph.objects(prop, RDFS.range):
        if not isinstance(rng, URIRef):
            continue
        is_datatype = (rng, RDF.type, RDFS.Datatype) in graph or str(rng).startswith(
            (str(RDFS), "http://www.w3.org/2001/XMLSchema#", str(RDF))
        )
        if is_datatype:
            return rng
    return None


def term_files(graphs: dict[Path, Graph]) -> dict[URIRef, Path]:
    """The file that declares each term (the first file where it is typed)."""
    where: dict[URIRef, Path] = {}
    for path, graph in graphs.items():
        for term in graph.subjects(RDF.type):
            if isinstance(term, URIRef):
                where.setdefault(term, path)
    return where


def check(directory: Path | None = None, *, classify: bool = False) -> Graph:
    """Parse every module, run the static OWL 2 DL checks and the ontology shapes.

    Raises OntologyError naming the file, the term and the problem (further problems are in
    its ``more``); returns the merged graph when everything passes. With ``classify`` HermiT
    then classifies the modules too (needs a JDK), catching inconsistency and unsatisfiable
    classes; the build gets the same from the reasoner step.
    """
    # Imported here: both modules import this one for the loaders.
    from zhongyuan_kg.ontology.checks import static_problems
    from zhongyuan_kg.ontology.shapes import ontology_problems

    graphs = module_graphs(directory)
    merged = bind_prefixes(Graph())
    for graph in graphs.values():
        merged += graph
    problems = static_problems(graphs, merged)
    if not problems:
        problems = ontology_problems(merged, term_files(graphs))
    if problems:
        first, *rest = problems
        raise OntologyError(first.problem, file=first.file, term=first.term, more=rest)
    if classify:
        from zhongyuan_kg.ontology.reason import classify as classify_modules

        classify_modules(directory)
    return merged


_NAMES = Graph()
bind_prefixes(_NAMES)


def short_name(term: Node) -> str:
    """A term as a prefixed name when a project prefix fits (zy:City), else in N3."""
    if isinstance(term, URIRef | Literal):
        return term.n3(_NAMES.namespace_manager)
    return str(term)


def literal_datatype(value: Literal) -> URIRef | None:
    """A literal's datatype: rdf:langString when tagged, xsd:string when plain (as in RDF 1.1)."""
    if value.language is not None:
        return RDF.langString
    return value.datatype if value.datatype is not None else XSD.string
