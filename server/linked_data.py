"""Dereferencing: `/id/…`, `/vocab/…` and `/ontology` answer HTML or RDF by Accept or extension.

Convention: the IRI itself answers `200` with the representation content negotiation chose,
`Vary: Accept`, a `Content-Location` naming the extension URL of that representation
(`/id/city/zhengzhou.ttl`) and `Link: rel="alternate"` headers for the others.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, abort, request, send_file
from rdflib import URIRef

from .app import endpoint
from .conditional import not_modified, not_modified_response, stamp
from .formats import content_type
from .i18n import current
from .links import VOCAB
from .lookup import construct
from .resource_page import not_found_page, resource_page

bp = Blueprint("linked_data", __name__)

# Representation name → (extension, media types accepted for it; the first is sent).
REPRESENTATIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "html": ("html", ("text/html", "application/xhtml+xml")),
    "ttl": ("ttl", ("text/turtle", "application/x-turtle")),
    "nt": ("nt", ("application/n-triples",)),
    "jsonld": ("jsonld", ("application/ld+json",)),
    "rdfxml": ("rdf", ("application/rdf+xml",)),
}
BY_EXTENSION = {extension: name for name, (extension, _) in REPRESENTATIONS.items()}
BY_EXTENSION["owl"] = "rdfxml"
OX_WRITERS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}

# The description of a resource: what it says, labels of what it points to, what points to it.
DESCRIPTION = """
CONSTRUCT { ?s ?p ?o . ?o rdfs:label ?ol . ?x ?q ?s . ?x rdfs:label ?xl . }
WHERE {
  { ?s ?p ?o OPTIONAL { ?o rdfs:label ?ol } }
  UNION
  { ?x ?q ?s OPTIONAL { ?x rdfs:label ?xl } }
}"""

# Files of the build that may be downloaded from /dist/ (nothing else there is served).
DIST_FILES: dict[str, str] = {
    "graph.ttl": "text/turtle",
    "graph.nt": "application/n-triples",
    "graph.nq": "application/n-quads",
    "graph.trig": "application/trig",
    "graph.jsonld": "application/ld+json",
    "graph.owl": "application/rdf+xml",
    "ontology.ttl": "text/turtle",
    "ontology.owl": "application/rdf+xml",
    "ontology.html": "text/html",
    "void.ttl": "text/turtle",
    "build.json": "application/json",
    "catalog-v001.xml": "application/xml",
}
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)


def dist_folder() -> Path:
    """The folder of the served build (beside the dataset file)."""
    return Path(endpoint().settings["dataset"]).parent


def choose(extension: str | None) -> str:
    """The representation asked for by extension, `format=`, or Accept (HTML for `*/*`)."""
    if extension is not None:
        return BY_EXTENSION[extension]
    asked = request.args.get("format")
    if asked in REPRESENTATIONS:
        return asked
    offered = [kind for _, (_, kinds) in REPRESENTATIONS.items() for kind in kinds]
    best = request.accept_mimetypes.best_match(offered, default="text/html")
    return next(name for name, (_, kinds) in REPRESENTATIONS.items() if best in kinds)


def split_extension(path: str) -> tuple[str, str | None]:
    """`city/zhengzhou.ttl` → (`city/zhengzhou`, `ttl`); paths without a known one stay whole."""
    stem, dot, extension = path.rpartition(".")
    if dot and "/" not in extension and extension in BY_EXTENSION:
        return stem, extension
    return path, None


def _alternates(response: Response, url: str, chosen: str) -> Response:
    links = [
        f'<{url}.{extension}>; rel="alternate"; type="{kinds[0]}"'
        for name, (extension, kinds) in REPRESENTATIONS.items()
    ]
    response.headers["Link"] = ", ".join(links)
    response.headers["Content-Location"] = f"{url}.{REPRESENTATIONS[chosen][0]}"
    return response


def _is_iri(text: str) -> bool:
    # A path that makes no IRI (`%00`, a byte that is no UTF-8) names nothing in the graph;
    # asked of the engine, it would come back as a syntax error in a query never written.
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def dereference(iri: URIRef, url: str, extension: str | None) -> Response:
    """The HTML page or the RDF description of one IRI of the graph."""
    chosen = choose(extension)
    if not _is_iri(iri):
        return not_found_page(iri, status_only=chosen != "html")
    found = endpoint()
    etag = found.build.etag("resource", str(iri), chosen, current())
    if not_modified(request, found.build, etag):
        return not_modified_response(found.build, etag)
    if chosen == "html":
        response = resource_page(iri)
        if response.status_code == 404:
            return response
    else:
        body, triples = construct(DESCRIPTION, chosen, {"s": iri})
        if triples == 0:
            return not_found_page(iri, status_only=True)
        response = Response(body, content_type=content_type(chosen))
    return stamp(_alternates(response, url, chosen), found.build, etag)


@bp.route("/id/<path:path>")
def instance(path: str) -> Response:
    """An instance IRI under the graph's base (configurable: the `base_iri` setting)."""
    stem, extension = split_extension(path)
    return dereference(URIRef(endpoint().settings["base_iri"] + stem), f"/id/{stem}", extension)


@bp.route("/vocab/<path:path>")
def concept(path: str) -> Response:
    """A SKOS concept or scheme of our vocabularies (`/vocab/stage/jiancheng`)."""
    stem, extension = split_extension(path)
    return dereference(URIRef(VOCAB + stem), f"/vocab/{stem}", extension)


@lru_cache(maxsize=8)
def _ontology_as(path: Path, modified: int, format_name: str) -> bytes:
    # pyoxigraph, not rdflib: rdflib's JSON-LD writer goes through deprecated APIs.
    triples = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    return ox.serialize(triples, format=OX_WRITERS[format_name])


def _inline_style_hashes(html: str) -> str:
    # The ontology docs carry their CSS inline: allow exactly those blocks, nothing else.
    digests = (
        base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
        for block in _STYLE.findall(html)
    )
    return " ".join(f"'sha256-{digest}'" for digest in digests)


@bp.route("/ontology", defaults={"extension": None})
@bp.route("/ontology.<extension>")
def ontology(extension: str | None) -> Response:
    """The ontology: its documentation for browsers, Turtle, RDF/XML, N-Triples or JSON-LD."""
    if extension is not None and extension not in BY_EXTENSION:
        abort(404)
    chosen = choose(extension)
    folder = dist_folder()
    if chosen == "html":
        path = folder / "ontology.html"
        if not path.exists():
            abort(404, description="the ontology documentation has not been built")
        html = path.read_text(encoding="utf-8")
        response = Response(html, content_type="text/html; charset=utf-8")
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; style-src 'self' {_inline_style_hashes(html)}; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
        )
    elif chosen == "ttl" and (folder / "ontology.ttl").exists():
        response = send_file(folder / "ontology.ttl", mimetype="text/turtle")
    elif chosen == "rdfxml" and (folder / "ontology.owl").exists():
        response = send_file(folder / "ontology.owl", mimetype="application/rdf+xml")
    else:
        source = folder / "ontology.ttl"
        if not source.exists():
            abort(404, description="the ontology has not been built")
        body = _ontology_as(source, source.stat().st_mtime_ns, chosen)
        response = Response(body, content_type=content_type(chosen))
    response.vary.add("Accept")
    return _alternates(response, "/ontology", chosen)


@bp.route("/dist/<name>")
def download(name: str) -> Response:
    """A file of the build, read-only, from a fixed list."""
    if name not in DIST_FILES:
        abort(404, description=f"no such download: {name}")
    path = dist_folder() / name
    if not path.exists():
        abort(404, description=f"{name} is not in this build")
    return send_file(path, mimetype=DIST_FILES[name], conditional=True)
