"""Content negotiation and the MIME ↔ format tables."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from zhongyuan_kg.server.formats import (
    FORM_FORMATS,
    MEDIA_TYPES,
    NotAcceptable,
    content_type,
    negotiate,
    offered_types,
)

SELECT, CONSTRUCT = FORM_FORMATS["SELECT"], FORM_FORMATS["CONSTRUCT"]


def accept(header: str) -> MIMEAccept:
    return parse_accept_header(header, MIMEAccept)


@pytest.mark.parametrize(
    ("formats", "header", "expected"),
    [
        (SELECT, "", "json"),
        (SELECT, "*/*", "json"),
        (SELECT, "application/sparql-results+xml", "xml"),
        (SELECT, "text/csv;q=0.4, text/tab-separated-values;q=0.8", "tsv"),
        (SELECT, "text/*", "csv"),
        (SELECT, "application/xml;q=0.9, application/json", "json"),
        (CONSTRUCT, "", "ttl"),
        (CONSTRUCT, "application/rdf+xml;q=0.5, application/n-triples", "nt"),
        (CONSTRUCT, "text/plain", "nt"),
        (CONSTRUCT, "application/json", "jsonld"),
        (CONSTRUCT, "application/*", "nt"),
        (FORM_FORMATS["ASK"], "text/csv, application/sparql-results+xml;q=0.1", "xml"),
    ],
)
def test_accept_header(formats, header, expected):
    assert negotiate(formats, [], accept(header)) == expected


@pytest.mark.parametrize(
    ("formats", "values", "expected"),
    [
        (SELECT, ["csv"], "csv"),
        (SELECT, ["TSV"], "tsv"),
        (SELECT, ["text/csv"], "csv"),
        (SELECT, ["", "xml"], "xml"),
        (CONSTRUCT, ["turtle"], "ttl"),
        (CONSTRUCT, ["json-ld", "application/ld+json,application/x-json+ld"], "jsonld"),
        (CONSTRUCT, ["xml"], "rdfxml"),
        (CONSTRUCT, ["rdf+xml", "application/rdf+xml"], "rdfxml"),
        (CONSTRUCT, ["nquads"], "nq"),
    ],
)
def test_format_parameter_wins_over_accept(formats, values, expected):
    assert negotiate(formats, values, accept("image/png")) == expected


def test_nothing_acceptable_lists_every_type():
    with pytest.raises(NotAcceptable) as caught:
        negotiate(SELECT, [], accept("image/png, text/html"))
    assert caught.value.offered == [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
        "application/json",
        "application/xml",
        "text/xml",
    ]
    with pytest.raises(NotAcceptable):
        negotiate(FORM_FORMATS["ASK"], ["csv"], accept("*/*"))


def test_tables_are_consistent():
    for formats in FORM_FORMATS.values():
        assert set(offered_types(formats)) == {t for name in formats for t in MEDIA_TYPES[name]}
    assert content_type("csv") == "text/csv; charset=utf-8"
    assert content_type("json") == "application/sparql-results+json"
