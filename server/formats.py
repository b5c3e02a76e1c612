"""Result formats: the MIME ↔ format tables and content negotiation by parameter or Accept."""

from __future__ import annotations

from werkzeug.datastructures import MIMEAccept

# format name → media types, the first one being what the response says it is.
RESULT_FORMATS: dict[str, tuple[str, ...]] = {
    "json": ("application/sparql-results+json", "application/json"),
    "xml": ("application/sparql-results+xml", "application/xml", "text/xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
}
GRAPH_FORMATS: dict[str, tuple[str, ...]] = {
    "ttl": ("text/turtle", "application/x-turtle"),
    "nt": ("application/n-triples", "text/plain"),
    "jsonld": ("application/ld+json", "application/json"),
    "rdfxml": ("application/rdf+xml", "application/xml", "text/xml"),
    "trig": ("application/trig",),
    "nq": ("application/n-quads",),
}
# Which formats each query form can be answered in, in the order preferred for `*/*`.
FORM_FORMATS: dict[str, tuple[str, ...]] = {
    "SELECT": ("json", "xml", "csv", "tsv"),
    "ASK": ("json", "xml"),
    "CONSTRUCT": ("ttl", "nt", "jsonld", "rdfxml", "trig", "nq"),
    "DESCRIBE": ("ttl", "nt", "jsonld", "rdfxml", "trig", "nq"),
}
DESCRIPTION_FORMATS = ("ttl", "rdfxml", "jsonld", "nt")
# Other names clients send as `format` (SPARQLWrapper: turtle, n3, rdf+xml, json-ld; and `xml` or
# `json` asked of a CONSTRUCT mean RDF/XML or JSON-LD).
FORMAT_ALIASES: dict[str, str] = {
    "turtle": "ttl",
    "n3": "ttl",
    "ntriples": "nt",
    "n-triples": "nt",
    "json-ld": "jsonld",
    "rdf+xml": "rdfxml",
    "rdf": "rdfxml",
    "nquads": "nq",
    "n-quads": "nq",
    "xml": "rdfxml",
    "json": "jsonld",
}
MEDIA_TYPES: dict[str, tuple[str, ...]] = {**RESULT_FORMATS, **GRAPH_FORMATS}
TEXT_FORMATS = frozenset({"csv", "tsv", "ttl", "nt", "trig", "nq"})  # get `charset=utf-8`


class NotAcceptable(LookupError):
    """No offered format fits the request; carries the media types that would."""

    def __init__(self, offered: list[str]) -> None:
        super().__init__("no acceptable format")
        self.offered = offered


def media_type(format_name: str) -> str:
    """The media type a response in this format is labelled with."""
    return MEDIA_TYPES[format_name][0]


def content_type(format_name: str) -> str:
    """The Content-Type header value for a format (UTF-8 declared on text types)."""
    kind = media_type(format_name)
    return f"{kind}; charset=utf-8" if format_name in TEXT_FORMATS else kind


def offered_types(formats: tuple[str, ...]) -> list[str]:
    """Every media type that selects one of the formats, main types first."""
    main = [MEDIA_TYPES[name][0] for name in formats]
    aliases = [alias for name in formats for alias in MEDIA_TYPES[name][1:] if alias not in main]
    return main + list(dict.fromkeys(aliases))


def _named(formats: tuple[str, ...], requested: str) -> str | None:
    # A value may be a list, as SPARQLWrapper sends `application/ld+json,application/x-json+ld`.
    for item in requested.split(","):
        wanted = item.split(";")[0].strip().lower()
        for name in formats:
            if wanted in (name, *MEDIA_TYPES[name]) or FORMAT_ALIASES.get(wanted) == name:
                return name
    return None


def negotiate(formats: tuple[str, ...], requested: list[str], accept: MIMEAccept) -> str:
    """Pick a format: the first known `format` value (a name or media types) wins over Accept."""
    values = [value for value in requested if value.strip()]
    if values:
        for value in values:
            if found := _named(formats, value):
                return found
        raise NotAcceptable(offered_types(formats))
    if not accept:  # no Accept header: anything goes
        return formats[0]
    best = accept.best_match(offered_types(formats))
    if best is None:
        raise NotAcceptable(offered_types(formats))
    return next(name for name in formats if best in MEDIA_TYPES[name])
