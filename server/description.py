"""The Service Description of `/sparql` (RDF, or an HTML query page for browsers) and VoID."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, send_file, url_for
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ..namespaces import (
    GRAPH_FACTS,
    GRAPH_INFERENCES,
    GRAPH_ONTOLOGY,
    GRAPH_PROVENANCE,
    PREFIXES,
    SD,
    VOID,
)
from .app import endpoint
from .conditional import not_modified, not_modified_response, stamp
from .errors import ApiError
from .formats import DESCRIPTION_FORMATS, GRAPH_FORMATS, NotAcceptable, content_type, negotiate

bp = Blueprint("description", __name__)

FORMATS_NS = "http://www.w3.org/ns/formats/"
# W3C format IRIs for sd:resultFormat, by our format names.
RESULT_FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "ttl": "Turtle",
    "nt": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
    "trig": "TriG",
    "nq": "N-Quads",
}
RDFLIB_WRITERS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
GRAPH_ROLES = {
    str(GRAPH_FACTS): "the statements of the plan",
    str(GRAPH_ONTOLOGY): "the ontology",
    str(GRAPH_PROVENANCE): "document structure and passages",
    str(GRAPH_INFERENCES): "what the reasoner inferred",
}
EXAMPLE_QUERY = """SELECT ?city ?label WHERE {
  ?city a zy:City ;
        rdfs:label ?label .
  FILTER(LANG(?label) = "zh")
}
ORDER BY ?city
LIMIT 50"""


def service_graph() -> Graph:
    """The sd: description of this endpoint, its dataset, formats and limits."""
    found = endpoint()
    info = found.pool.start()
    service_iri = URIRef(url_for("sparql.sparql", _external=True))
    graph = Graph()
    for prefix, namespace in (("sd", SD), ("void", VOID), ("dcterms", DCTERMS), ("rdfs", RDFS)):
        graph.bind(prefix, str(namespace))
    graph.bind("formats", FORMATS_NS)
    add = graph.add
    add((service_iri, RDF.type, SD.Service))
    add((service_iri, SD.endpoint, service_iri))
    add((service_iri, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMAT_IRIS.values():
        add((service_iri, SD.resultFormat, URIRef(FORMATS_NS + name)))
    add((service_iri, DCTERMS.title, Literal("中原城市群发展规划 knowledge graph", lang="en")))
    add((service_iri, RDFS.comment, Literal(_limits_text(found.settings), lang="en")))
    add((service_iri, RDFS.seeAlso, URIRef(url_for("description.void", _external=True))))
    add((service_iri, RDFS.seeAlso, URIRef(request.host_url.rstrip("/") + "/queries")))
    dataset, default = BNode(), BNode()
    add((service_iri, SD.defaultDataset, dataset))
    add((dataset, RDF.type, SD.Dataset))
    add((dataset, SD.defaultGraph, default))
    add((default, RDF.type, SD.Graph))
    chosen = [g for g in found.policy.default_dataset().default_graphs if g]
    if set(chosen) >= set(info.graphs):  # the default graph is the merge of all named graphs
        add((service_iri, SD.feature, SD.UnionDefaultGraph))
    add((default, DCTERMS.description, Literal("union of " + ", ".join(chosen), lang="en")))
    add(
        (
            default,
            VOID.triples,
            Literal(sum(info.graphs.get(g, 0) for g in chosen), datatype=XSD.integer),
        )
    )
    for name, size in info.graphs.items():
        named, inner = BNode(), BNode()
        add((dataset, SD.namedGraph, named))
        add((named, RDF.type, SD.NamedGraph))
        add((named, SD.name, URIRef(name)))
        add((named, SD.graph, inner))
        add((inner, RDF.type, SD.Graph))
        add((inner, VOID.triples, Literal(size, datatype=XSD.integer)))
        if name in GRAPH_ROLES:
            add((inner, DCTERMS.description, Literal(GRAPH_ROLES[name], lang="en")))
    return graph


def _limits_text(settings: dict) -> str:
    return (
        f"Read-only; no SERVICE; queries stop after {settings['timeout']:g} s; results are cut "
        f"to {settings['max_rows']} rows (header X-Result-Truncated); inferences are "
        f"{'in' if settings['inference'] else 'not in'} the default graph (inference=… to choose)."
    )


def describe_service() -> Response:
    """The service description as RDF, or the HTML query page when a browser asks."""
    found = endpoint()
    accept = request.accept_mimetypes
    wanted = request.args.getlist("format")
    if not any(wanted) and accept and accept["text/html"] > accept["text/turtle"]:
        return _query_page()
    try:
        format_name = negotiate(DESCRIPTION_FORMATS, wanted, accept)
    except NotAcceptable as error:
        offered = ", ".join([*error.offered, "text/html"])
        raise ApiError(406, "not-acceptable", f"the description comes as: {offered}") from None
    etag = found.build.etag("service-description", format_name, request.host_url)
    if not_modified(request, found.build, etag):
        return not_modified_response(found.build, etag)
    body = service_graph().serialize(format=RDFLIB_WRITERS[format_name], encoding="utf-8")
    return stamp(Response(body, content_type=content_type(format_name)), found.build, etag)


def _query_page() -> Response:
    found = endpoint()
    page = render_template(
        "sparql.html",
        example=EXAMPLE_QUERY,
        prefixes=PREFIXES,
        settings=found.settings,
        result_formats=("json", "xml", "csv", "tsv"),
        graph_formats=tuple(GRAPH_FORMATS),
    )
    response = Response(page, content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


@bp.route("/.well-known/void")
def void() -> Response:
    """The VoID description the build wrote (`dist/void.ttl`)."""
    path = endpoint().settings["dataset"].parent / "void.ttl"
    if not path.exists():
        abort(404, description="no VoID description: the graph has not been built with one")
    return send_file(path, mimetype="text/turtle")
