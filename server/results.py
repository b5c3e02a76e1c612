"""SPARQL query results (SELECT and ASK) written as JSON, XML, CSV and TSV from neutral terms."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from .formats import media_type
from .store import Serialized, Term

Row = Sequence[Term | None]


def write_solutions(
    variables: Sequence[str], rows: Iterable[Row], format_name: str, max_rows: int
) -> Serialized:
    """Serialise at most max_rows solutions; `truncated` says whether more were left."""
    kept: list[Row] = []
    truncated = False
    for row in rows:
        if len(kept) == max_rows:
            truncated = True
            break
        kept.append(row)
    writer = _WRITERS[format_name]
    return Serialized(
        writer(variables, kept).encode(), media_type(format_name), len(kept), truncated
    )


def write_boolean(value: bool, format_name: str) -> Serialized:
    """Serialise an ASK answer."""
    if format_name == "json":
        body = json.dumps({"head": {}, "boolean": value})
    else:
        body = (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        )
    return Serialized(body.encode(), media_type(format_name), 1, False)


def _json_term(term: Term) -> dict[str, object]:
    if term.kind == "triple":
        parts = dict(zip(("subject", "predicate", "object"), term.value, strict=True))
        return {"type": "triple", "value": {key: _json_term(t) for key, t in parts.items()}}
    out: dict[str, object] = {"type": term.kind, "value": term.value}
    if term.lang:
        out["xml:lang"] = term.lang
    elif term.datatype:
        out["datatype"] = term.datatype
    return out


def _json(variables: Sequence[str], rows: list[Row]) -> str:
    bindings = [
        {name: _json_term(term) for name, term in zip(variables, row, strict=True) if term}
        for row in rows
    ]
    body = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(body, ensure_ascii=False)


def _xml_term(term: Term) -> str:
    if term.kind == "triple":
        names = ("subject", "predicate", "object")
        inner = "".join(
            f"<{n}>{_xml_term(t)}</{n}>" for n, t in zip(names, term.value, strict=True)
        )
        return f"<triple>{inner}</triple>"
    if term.kind == "literal":
        attribute = (
            f" xml:lang={quoteattr(term.lang)}"
            if term.lang
            else f" datatype={quoteattr(term.datatype)}"
            if term.datatype
            else ""
        )
        return f"<literal{attribute}>{escape(term.value)}</literal>"
    return f"<{term.kind}>{escape(term.value)}</{term.kind}>"


def _xml(variables: Sequence[str], rows: list[Row]) -> str:
    head = "".join(f"<variable name={quoteattr(name)}/>" for name in variables)
    results = "".join(
        "<result>"
        + "".join(
            f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
            for name, term in zip(variables, row, strict=True)
            if term
        )
        + "</result>"
        for row in rows
    )
    return (
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        f"<head>{head}</head><results>{results}</results></sparql>\n"
    )


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "bnode":
        return "_:" + term.value
    if term.kind == "triple":
        return "<< " + " ".join(_tsv_value(t) for t in term.value) + " >>"
    return term.value


def _csv(variables: Sequence[str], rows: list[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, as the SPARQL CSV note asks
    writer.writerow(variables)
    writer.writerows([_csv_value(term) for term in row] for row in rows)
    return buffer.getvalue()


def _tsv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "uri":
        return f"<{term.value}>"
    if term.kind == "bnode":
        return "_:" + term.value
    if term.kind == "triple":
        return "<< " + " ".join(_tsv_value(t) for t in term.value) + " >>"
    text = (
        term.value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    if term.lang:
        return f'"{text}"@{term.lang}'
    return f'"{text}"^^<{term.datatype}>' if term.datatype else f'"{text}"'


def _tsv(variables: Sequence[str], rows: list[Row]) -> str:
    lines = ["\t".join("?" + name for name in variables)]
    lines.extend("\t".join(_tsv_value(term) for term in row) for row in rows)
    return "\n".join(lines) + "\n"


_WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
