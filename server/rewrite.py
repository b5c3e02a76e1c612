"""Edit a query by its tokens: drop dataset clauses, bind parameters with a leading VALUES block."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib.term import BNode, Identifier, Literal, URIRef

from .analysis import QueryShape, analyse
from .lexer import CLOSE, OPEN

_VARIABLE = re.compile(r"^\w+$")
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANGUAGE = re.compile(r"^[a-zA-Z]+(-[a-zA-Z0-9]+)*$")
_MODIFIERS = {"GROUP", "ORDER", "LIMIT", "OFFSET", "HAVING", "VALUES"}


def values_block(bindings: Mapping[str, Identifier]) -> str:
    """`VALUES (?a ?b) { (t1 t2) }` for one row of typed RDF terms, validated term by term."""
    names, terms = [], []
    for name, term in bindings.items():
        name = name.lstrip("?$")
        if not _VARIABLE.match(name):
            raise ValueError(f"not a variable name: {name!r}")
        names.append("?" + name)
        terms.append(_term(term))
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def _term(term: Identifier) -> str:
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(term):
            raise ValueError(f"not an IRI: {term!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        # n3() escapes the lexical form; the datatype and language are written as given.
        if term.datatype is not None and _IRI_FORBIDDEN.search(term.datatype):
            raise ValueError(f"not a datatype IRI: {term.datatype!r}")
        if term.language is not None and not _LANGUAGE.match(term.language):
            raise ValueError(f"not a language tag: {term.language!r}")
        return term.n3()
    kind = "a blank node" if isinstance(term, BNode) else type(term).__name__
    raise ValueError(f"cannot bind {kind} in VALUES")


def rewrite(shape: QueryShape, bindings: Mapping[str, Identifier] | None = None) -> str:
    """The query text without its FROM clauses and with the bindings joined first in WHERE."""
    edits: list[tuple[int, int, str]] = []
    tokens = shape.tokens
    for clause in shape.dataset_clauses:
        # Blank the clause out character by character so that the engine's error positions
        # still point into the text the user sent.
        start, end = tokens[clause.first].start, tokens[clause.last].end
        edits.append((start, end, re.sub(r"[^\n]", " ", shape.text[start:end])))
    if bindings:
        edits.extend(_values_edits(shape, values_block(bindings)))
    text = shape.text
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def bind(query: str, bindings: Mapping[str, Identifier] | None) -> str:
    """The query with the bindings joined first in its WHERE clause (unchanged without any)."""
    return rewrite(analyse(query), bindings) if bindings else query


def _matching(shape: QueryShape, index: int) -> int:
    depth = 0
    for position in range(index, len(shape.tokens)):
        text = shape.tokens[position].text
        depth += 1 if text in OPEN else -1 if text in CLOSE else 0
        if depth == 0:
            return position
    return len(shape.tokens) - 1


def _values_edits(shape: QueryShape, values: str) -> list[tuple[int, int, str]]:
    tokens = shape.tokens
    index = shape.form_index + 1
    skipped = {i for c in shape.dataset_clauses for i in range(c.first, c.last + 1)}
    groups: list[int] = []
    while index < len(tokens):
        token = tokens[index]
        if token.text in OPEN:
            if token.text == "{" and index not in skipped:
                groups.append(index)
            index = _matching(shape, index) + 1
            continue
        if token.word in _MODIFIERS and shape.form == "DESCRIBE" and not groups:
            break
        index += 1
    if shape.form == "CONSTRUCT" and len(groups) == 1:
        # The short form `CONSTRUCT WHERE { T }`: its group is also the template, which
        # cannot hold VALUES, so spell the template out before the rewritten group.
        open_, close = groups[0], _matching(shape, groups[0])
        template = shape.text[tokens[open_].start : tokens[close].end]
        where = tokens[open_ - 1]
        return [(where.start, where.start, template + " "), *_group_edits(shape, open_, values)]
    if shape.form == "CONSTRUCT":
        return _group_edits(shape, groups[1], values) if len(groups) > 1 else []
    if groups:
        return _group_edits(shape, groups[0], values)
    at = tokens[index].start if index < len(tokens) else len(shape.text)
    return [(at, at, f" WHERE {{ {values} }} ")]


def _group_edits(shape: QueryShape, open_: int, values: str) -> list[tuple[int, int, str]]:
    tokens = shape.tokens
    after = tokens[open_].end
    if open_ + 1 < len(tokens) and tokens[open_ + 1].word == "SELECT":
        # `WHERE { SELECT … }` is a sub-select: it must stay alone in its group, so wrap it.
        close = tokens[_matching(shape, open_)].start
        return [(after, after, f" {values} {{ "), (close, close, " } ")]
    return [(after, after, f" {values} ")]
