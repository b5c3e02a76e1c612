"""What a query text is made of, read from its tokens: form, prologue, dataset clauses, sizes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

from .lexer import CLOSE, OPEN, LexError, Token, scan
from .lexer import position as line_and_column
from .prologue_memo import Prologue, PrologueMemo

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


def _resolved(shape: QueryShape, token: Token) -> str | None:
    """`resolve` in the shape's declarations; an IRI urljoin cannot parse is a syntax error."""
    try:
        return resolve(token, shape.prefixes, shape.base)
    except ValueError:  # `<http://[::1>`, "Invalid IPv6 URL" (a 500 once): the engine's error too
        where = line_and_column(shape.text, token.start)
        raise LexError(f"invalid IRI {token.text}", *where) from None


# Prologues repeat from query to query, and urljoin is slow: remember recent resolutions.
_cached_join = lru_cache(maxsize=1024)(urljoin)
_CACHED_JOIN_CHARS = 1024


def _join(base: str, iri: str) -> str:
    # The cache keeps its arguments and answers: long ones are joined afresh, or 1024 IRIs of
    # a 64k-character query each would keep ~130M characters.
    if len(base) + len(iri) > _CACHED_JOIN_CHARS:
        joined = urljoin(base, iri)
    else:
        joined = _cached_join(base, iri)
    # urljoin drops an empty fragment, which RFC 3986 keeps: `PREFIX g: <…/graph/facts#>`
    # names …/facts#, another graph than …/facts (as the engine reads it).
    if iri.endswith("#") and not joined.endswith("#"):
        joined += "#"
    return joined


# Clients send the same long prologue before every query: read it once (a few dozen kept).
_PROLOGUES = PrologueMemo(capacity=64)
NO_MEMO = PrologueMemo(capacity=0)  # remembers nothing: every prologue is read afresh


def _unescape_local(local: str) -> str:
    # PN_LOCAL backslash escapes stand for the character itself; %XX stays as written.
    out, chars = [], iter(local)
    for char in chars:
        out.append(next(chars, "") if char == "\\" else char)
    return "".join(out)


def analyse(
    text: str,
    predeclared: Mapping[str, str] | None = None,
    base: str | None = None,
    *,
    memo: PrologueMemo | None = None,
) -> QueryShape:
    """Tokenize decoded query text and collect its form, prologue, dataset clauses and sizes.

    The declarations are read from the memo when it knows them (by default the module's own;
    `memo=NO_MEMO` reads everything afresh).
    """
    predeclared = predeclared or {}
    if memo is None:
        memo = _PROLOGUES
    known = memo.lookup(text, base, predeclared)
    if known is None:
        shape = QueryShape(text=text, tokens=[], base=base, prefixes=dict(predeclared))
        scan(text, 0, shape.tokens)
    else:
        shape = QueryShape(text, list(known.tokens), base=known.base, prefixes=dict(known.prefixes))
        scan(text, len(known.text), shape.tokens)
    first = len(known.tokens) if known else 0
    index = shape.body_index = _read_prologue(shape, first)
    if index > first:  # declarations the memo did not know
        known = _prologue(shape)
        memo.remember(known, base, predeclared)
    if known is not None:
        shape.glued = known.glued
        # Into an empty Counter, dict.update copies in C (Counter.update loops in Python).
        dict.update(shape.words, known.words)
    tokens = shape.tokens
    if index < len(tokens) and tokens[index].word in QUERY_FORMS:
        shape.form, shape.form_index = tokens[index].word, index
    _collect(shape, index)
    return shape


def _collect(shape: QueryShape, first: int) -> None:
    """Note the keywords, guarded words, dataset clauses and nesting of the tokens from first."""
    tokens, counts = shape.tokens, shape.words
    depth = 0  # the tokens before first are declarations: no brackets among them
    for position in range(first, len(tokens)):
        kind, text, _, _, word = tokens[position]
        if word:
            # The exact keyword is a keyword; anything longer is glued.
            glued = word not in GUARDED_KEYWORDS and word.startswith(_GUARDED_HEADS)
            if glued and shape.glued is None:
                shape.glued = tokens[position]
            counts[word] = counts.get(word, 0) + 1  # Counter's += calls __missing__ for new words
            if word in UPDATE_KEYWORDS:
                if shape.update_keyword is None:
                    shape.update_keyword = tokens[position]
            elif word == "SERVICE":
                if shape.service is None:
                    shape.service = tokens[position]
            elif word == "FROM":
                shape.dataset_clauses.append(_dataset_clause(shape, position))
        elif kind == "PUNCT":
            if text in OPEN:
                depth += 1
                if depth > shape.depth:
                    shape.depth = depth
            elif text in CLOSE:
                depth -= 1
        elif kind == "PNAME" and shape.glued is None and _glued_prefix(text):
            shape.glued = tokens[position]


def _glued_prefix(pname: str) -> bool:
    """Whether a prefixed name's prefix begins with a guarded keyword (`SERVICE:g`, `FROMex:g`)."""
    return pname.partition(":")[0].upper().startswith(_GUARDED_HEADS)


def _prologue(shape: QueryShape) -> Prologue:
    """The declarations of an analysed query as the memo keeps them."""
    declarations = QueryShape(shape.text, shape.tokens[: shape.body_index])
    _collect(declarations, 0)
    end = declarations.tokens[-1].end
    return Prologue(
        shape.text[:end],
        tuple(declarations.tokens),
        shape.base,
        dict(shape.prefixes),
        declarations.glued,
        dict(declarations.words),
    )


def _read_prologue(shape: QueryShape, index: int) -> int:
    """The index of the first token after the declarations, reading them from index."""
    tokens = shape.tokens
    while index < len(tokens):
        word = tokens[index].word
        if word == "BASE" and index + 1 < len(tokens) and tokens[index + 1].kind == "IRI":
            shape.base = _resolved(shape, tokens[index + 1])
            index += 2
        elif word == "PREFIX" and index + 2 < len(tokens):
            name, iri = tokens[index + 1], tokens[index + 2]
            if name.kind != "PNAME" or not name.text.endswith(":") or iri.kind != "IRI":
                break
            shape.prefixes[name.text[:-1]] = _resolved(shape, iri) or ""
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
    iri = _resolved(shape, graph) if graph is not None else None
    end = graph.end if graph is not None else tokens[index].end
    return DatasetClause(named, iri, index, last, shape.text[tokens[index].start : end])
