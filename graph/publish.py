"""Write the named graphs as the dumps: TriG, N-Quads, sorted N-Triples, Turtle, JSON-LD."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from zhongyuan_kg.namespaces import PREFIXES

# file name → (format, whether it keeps the named graphs)
DUMPS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "graph.trig": (ox.RdfFormat.TRIG, True),
    "graph.nq": (ox.RdfFormat.N_QUADS, True),
    "graph.nt": (ox.RdfFormat.N_TRIPLES, False),
    "graph.ttl": (ox.RdfFormat.TURTLE, False),
    "graph.jsonld": (ox.RdfFormat.JSON_LD, True),
}
LINE_FORMATS = (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES)  # written sorted, line by line


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term of an rdflib term (plain literals stay plain: RDF 1.1 xsd:string)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and term.datatype != XSD.string:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def dataset(graphs: Mapping[URIRef, Graph]) -> ox.Dataset:
    """The named graphs as one pyoxigraph dataset, blank nodes canonically named (RDFC-1.0)."""
    result = ox.Dataset(
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(str(name)))  # type: ignore[arg-type]
        for name, graph in graphs.items()
        for s, p, o in graph
    )
    # Only the ontology's OWL axioms have blank nodes; canonical names keep dumps byte-identical.
    result.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return result


def merged(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The distinct triples of all graphs, sorted."""
    return sorted({quad.triple for quad in quads}, key=str)


def serialise(
    quads: list[ox.Quad], triples: list[ox.Triple], fmt: ox.RdfFormat, named: bool
) -> bytes:
    """One dump as bytes; line formats come out sorted so that equal input gives equal bytes."""
    data = quads if named else triples
    prefixes = None if fmt in LINE_FORMATS else PREFIXES
    output = ox.serialize(data, format=fmt, prefixes=prefixes)
    if fmt in LINE_FORMATS:
        return b"".join(sorted(output.splitlines(keepends=True)))
    return output


def write_dumps(graphs: Mapping[URIRef, Graph], directory: Path) -> dict[str, Path]:
    """Write every dump of DUMPS into a directory; returns file name → path."""
    quads = sorted(dataset(graphs), key=str)
    triples = merged(quads)
    written = {}
    for name, (fmt, named) in DUMPS.items():
        path = directory / name
        path.write_bytes(serialise(quads, triples, fmt, named))
        written[name] = path
    return written


def write_graph(graph: Graph, path: Path, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> Path:
    """Write one rdflib graph (no named graphs) in a pyoxigraph format, triples sorted."""
    triples = sorted(
        (ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph),  # type: ignore[arg-type]
        key=str,
    )
    path.write_bytes(ox.serialize(triples, format=fmt, prefixes=PREFIXES))
    return path
