"""What a query text is made of, read from its tokens: form, prologue, dataset clauses, sizes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

from .lexer import CLOSE, OPEN, Token, tokenize

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"}
)
# Oxigraph and rdflib read a keyword without waiting for its end: `SERVICE:g`, `SERVICEex:g`,
# `SERVICESILENT` and `FROMex:g` are SERVICE or FROM to them (measured: pyoxigraph 0.5, rdflib
# 7.6), though SPARQL's grammar makes them prefixed names. No SPARQL word starts with these.
GUARDED_KEYWORDS = UPDATE_KEYWORDS | {"SERVICE", "FROM"}
_GUARDED_HEADS = tuple(sorted(GUARDED_KEYWORDS))


@dataclass(frozen=True)
class DatasetClause:
    """One `FROM` or `FROM NAMED` clause: its graph IRI (None if unresolvable) and token span."""

    named: bool
    iri: str | None
    first: int  # index of the FROM token
    last: int  # index of the graph token
    text: str


@dataclass
class QueryShape:
    """The facts about a query the policy decides on."""

    text: str
    tokens: list[Token]
    form: str | None = None
    form_index: int = -1
    body_index: int = 0  # the first token after the prologue
    base: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)
    update_keyword: Token | None = None
    service: Token | None = None
    glued: Token | None = None  # a word or prefix that starts with a guarded keyword
    dataset_clauses: list[DatasetClause] = field(default_factory=list)
    depth: int = 0
    words: Counter[str] = field(default_factory=Counter)


def resolve(token: Token, prefixes: dict[str, str], base: str | None) -> str | None:
    """The absolute IRI an IRI or prefixed-name token stands for, or None."""
    if token.kind == "IRI":
        iri = token.text[1:-1]
        return _join(base, iri) if base else iri
    if token.kind == "PNAME":
        prefix, _, local = token.text.partition(":")
        namespace = prefixes.get(prefix)
        return None if namespace is None else namespace + _unescape_local(local)
    return None


# Prologues repeat from query to query, and urljoin is slow: remember recent resolutions.
_join = lru_cache(maxsize=1024)(urljoin)


def _unescape_local(local: str) -> str:
    # PN_LOCAL backslash escapes stand for the character itself; %XX stays as written.
    out, chars = [], iter(local)
    for char in chars:
        out.append(next(chars, "") if char == "\\" else char)
    return "".join(out)


def analyse(
    text: str, predeclared: dict[str, str] | None = None, base: str | None = None
) -> QueryShape:
    """Tokenize decoded query text and collect its form, prologue, dataset clauses and sizes."""
    shape = QueryShape(text=text, tokens=tokenize(text), base=base)
    shape.prefixes = dict(predeclared or {})
    index = shape.body_index = _read_prologue(shape)
    tokens = shape.tokens
    if index < len(tokens) and tokens[index].word in QUERY_FORMS:
        shape.form, shape.form_index = tokens[index].word, index
    depth = 0
    for position, token in enumerate(tokens):
        word = token.word
        if shape.glued is None and _glued(token, word):
            shape.glued = token
        if word:
            shape.words[word] += 1
            if word in UPDATE_KEYWORDS and shape.update_keyword is None:
                shape.update_keyword = token
            elif word == "SERVICE" and shape.service is None:
                shape.service = token
            elif word == "FROM":
                shape.dataset_clauses.append(_dataset_clause(shape, position))
        if token.text in OPEN:
            depth += 1
            shape.depth = max(shape.depth, depth)
        elif token.text in CLOSE:
            depth -= 1
    return shape


def _glued(token: Token, word: str) -> bool:
    if word:  # the exact keyword is a keyword; anything longer is glued
        return word not in GUARDED_KEYWORDS and word.startswith(_GUARDED_HEADS)
    if token.kind == "PNAME":  # `SERVICE:g` as much as `SERVICEex:g`
        return token.text.partition(":")[0].upper().startswith(_GUARDED_HEADS)
    return False


def _read_prologue(shape: QueryShape) -> int:
    tokens, index = shape.tokens, 0
    while index < len(tokens):
        word = tokens[index].word
        if word == "BASE" and index + 1 < len(tokens) and tokens[index + 1].kind == "IRI":
            shape.base = resolve(tokens[index + 1], shape.prefixes, shape.base)
            index += 2
        elif word == "PREFIX" and index + 2 < len(tokens):
            name, iri = tokens[index + 1], tokens[index + 2]
            if name.kind != "PNAME" or not name.text.endswith(":") or iri.kind != "IRI":
                break
            shape.prefixes[name.text[:-1]] = resolve(iri, shape.prefixes, shape.base) or ""
            index += 3
        else:
            break
    return index


def _dataset_clause(shape: QueryShape, index: int) -> DatasetClause:
    tokens = shape.tokens
    last = index + 1
    named = last < len(tokens) and tokens[last].word == "NAMED"
    if named:
        last += 1
    graph = tokens[last] if last < len(tokens) else None
    iri = resolve(graph, shape.prefixes, shape.base) if graph is not None else None
    end = graph.end if graph is not None else tokens[index].end
    return DatasetClause(named, iri, index, last, shape.text[tokens[index].start : end])
