"""The HTML page of one resource: labels, types, statements both ways, sources, map, text."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, render_template, request
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Identifier

from .describe import Description, Link, citations, contents, describe, part_text
from .i18n import current
from .lookup import term_labels
from .mapdata import locator_map

HIDDEN = frozenset({RDF.type, RDFS.label})  # shown in the page's heading instead


@dataclass
class Group:
    """The values of one property, as a row of the page's tables."""

    predicate: URIRef
    links: list[Link]


def grouped(links: list[Link], hidden: frozenset[URIRef] = frozenset()) -> list[Group]:
    """Statements grouped by property, asserted values first."""
    groups: dict[URIRef, list[Link]] = {}
    for link in links:
        if link.predicate not in hidden:
            groups.setdefault(link.predicate, []).append(link)
    return [
        Group(predicate, sorted(values, key=lambda link: (link.inferred, str(link.value))))
        for predicate, values in groups.items()
    ]


def term_label(term: Identifier) -> dict[str, str]:
    """Labels of an ontology or vocabulary term (empty for terms from elsewhere)."""
    return term_labels().get(term, {}) if isinstance(term, URIRef) else {}


def resource_page(iri: URIRef) -> Response:
    """The page of `iri`, or the not-found page when the graph says nothing about it."""
    description = describe(iri)
    if description is None:
        return not_found_page(iri)
    return Response(render(description), content_type="text/html; charset=utf-8")


def render(description: Description) -> str:
    """The HTML of a resource page."""
    document = description.is_document_part
    point = description.point
    return render_template(
        "pages/resource.html",
        d=description,
        outgoing=grouped(description.outgoing, HIDDEN),
        incoming=grouped(description.incoming),
        citations=citations(description.iri),
        paragraphs=part_text(description.iri) if document else [],
        contents=contents(description.iri) if document else [],
        locator=locator_map(point, current()) if point else None,
        term_label=term_label,
    )


def not_found_page(iri: URIRef, *, status_only: bool = False) -> Response:
    """404: a page with a search box for browsers, one line of text for data clients."""
    if status_only or not request.accept_mimetypes.accept_html:
        return Response(
            f"404 not-found: the graph holds nothing about <{iri}>\n", 404, mimetype="text/plain"
        )
    guess = str(iri).rstrip("/").rsplit("/", 1)[-1]
    page = render_template("pages/not_found.html", iri=str(iri), guess=guess)
    return Response(page, 404, content_type="text/html; charset=utf-8")
