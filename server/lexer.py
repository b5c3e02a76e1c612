"""A SPARQL 1.1 tokenizer: enough of the grammar's terminals to see keywords, IRIs and brackets."""

from __future__ import annotations

import re
from typing import NamedTuple

# Codepoint escapes are decoded before the grammar applies (SPARQL 1.1 §19.2), so
# `\u0053ERVICE` is the keyword SERVICE: every check runs on the decoded text.
CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_LOCAL = rf"(?:[\w:]|{_PLX})(?:(?:[\w.:\-\u00B7]|{_PLX})*(?:[\w:\-\u00B7]|{_PLX}))?"
# The first terminal that matches wins, so order matters where two can start with the same
# character: IRI before PUNCT (`<`), PNAME before WORD (letters), VAR and NUMBER before PUNCT
# (`?`, `.`). Otherwise the most frequent come first: each failed alternative costs time.
_TERMINALS = [
    ("VAR", r"[?$]\w+"),
    ("IRI", r"<[^<>\"{}|^`\\\x00-\x20]*>"),
    ("PNAME", rf"(?:[^\W\d_](?:[\w.\-\u00B7]*[\w\-\u00B7])?)?:(?:{_LOCAL})?"),
    ("WORD", r"[^\W\d_]\w*"),
    ("NUMBER", r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"),
    ("PUNCT", r"\^\^|<<|>>|<=|>=|!=|&&|\|\||[{}()\[\].,;*/|^+\-!=<>?]"),
    ("STRING", r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"),
    ("STRING", r'"(?:[^"\\\n\r]|\\.)*"' r"|'(?:[^'\\\n\r]|\\.)*'"),
    ("BNODE", rf"_:{_LOCAL}"),
    ("LANGTAG", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?"),
]
# White space and comments are skipped in the same match as the terminal after them (one regex
# call per token). The skip is possessive: backtracking into it could start a token inside a
# comment.
_SKIP = r"\s*+(?:#[^\n\r]*+\s*+)*+"
_SCANNER = re.compile(_SKIP + "(?:" + "|".join(f"({rx})" for _, rx in _TERMINALS) + ")")
_SKIPPER = re.compile(_SKIP)
_KINDS = ("", *(kind for kind, _ in _TERMINALS))  # by the number of the terminal's group
_UNTERMINATED = re.compile(r"\"\"\"|'''|\"|'")

OPEN = {"{": "}", "(": ")", "[": "]"}
CLOSE = {close: open_ for open_, close in OPEN.items()}
_BRACKETS = frozenset(OPEN) | frozenset(CLOSE)


class Token(NamedTuple):
    """One terminal of the query text: its kind, its text, where it starts and ends."""

    kind: str  # IRI, STRING, BNODE, PNAME, VAR, LANGTAG, NUMBER, WORD, PUNCT, OTHER
    text: str
    start: int
    end: int
    word: str  # the upper-cased text of a bare word (keywords are case-insensitive), else ''


class LexError(ValueError):
    """The text cannot be split into SPARQL terminals (an unterminated string)."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"{message} at line {line}, column {column}")
        self.message, self.line, self.column = message, line, column


def decode_escapes(text: str) -> str:
    """Replace `\\uXXXX` and `\\UXXXXXXXX` codepoint escapes by the characters they name."""

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return CODEPOINT_ESCAPE.sub(char, text)


def position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def tokenize(text: str) -> list[Token]:
    """Split decoded query text into tokens, dropping white space and comments."""
    tokens: list[Token] = []
    scan(text, 0, tokens)
    return tokens


def scan(text: str, offset: int, tokens: list[Token]) -> None:
    """Append the tokens of the text from an offset where the top context starts.

    The tokens already in the list are the ones before the offset (the checks that tell `<`
    from an IRI and a collection from an expression look back at them); a prologue ends in the
    top context, so a scan can resume after one.
    """
    contexts = ["top"]
    size = len(text)
    scanner, new_token = _SCANNER.match, tuple.__new__  # bound once: this loop is the hot path
    while offset < size:
        match = scanner(text, offset)
        if match is None:
            offset = _SKIPPER.match(text, offset).end()
            if offset == size:  # only white space or a comment was left
                break
            if _UNTERMINATED.match(text, offset):
                raise LexError("unterminated string", *position(text, offset))
            # A character no terminal starts with: the engine's parser will name the error.
            tokens.append(Token("OTHER", text[offset], offset, offset + 1, ""))
            offset += 1
            continue
        group = match.lastindex
        start, offset = match.span(group)
        kind = _KINDS[group]
        if text[start] == "<" and contexts[-1] == "expr" and _ends_operand(tokens):
            # Inside an expression `<` after an operand is less-than, as the engines read it:
            # lexing `<?b+'>` as an IRI would hide what follows the quote from the checks.
            kind, offset = "PUNCT", _LESS_THAN.match(text, start).end()
        value = text[start:offset]
        if kind == "PUNCT" and value in _BRACKETS:
            _track(contexts, tokens, value)
        # tuple.__new__ skips NamedTuple's keyword-handling constructor (~90 ns a token).
        tokens.append(
            new_token(Token, (kind, value, start, offset, value.upper() if kind == "WORD" else ""))
        )


_LESS_THAN = re.compile(r"<=|<")
_OPERAND_END = {"VAR", "NUMBER", "STRING", "LANGTAG", "IRI", "PNAME", "BNODE"}


def _ends_operand(tokens: list[Token]) -> bool:
    last = tokens[-1] if tokens else None
    if last is None:
        return False
    return last.kind in _OPERAND_END or last.text in (")", "]") or last.word in ("TRUE", "FALSE")


def _track(contexts: list[str], tokens: list[Token], bracket: str) -> None:
    """Push or pop the bracket context (top, group, expr, list) a bracket opens or closes."""
    if bracket in ("{", "["):
        contexts.append("group")
    elif bracket == "(":
        contexts.append(_paren_context(contexts[-1], tokens))
    elif len(contexts) > 1:
        contexts.pop()


def _paren_context(current: str, tokens: list[Token]) -> str:
    previous = tokens[-1] if tokens else None
    if previous is not None and previous.word == "VALUES":
        return "list"
    if current in ("top", "expr") or previous is None:
        return "expr"  # outside groups: projections, GROUP BY, ORDER BY, HAVING
    if previous.kind == "WORD":
        # Inside a group a bare word before `(` is FILTER, BIND, a function, SELECT or DISTINCT
        # of a sub-select, BY, HAVING …; only `a` (rdf:type) can precede a collection.
        return "list" if previous.word == "A" else "expr"
    before = tokens[-2] if len(tokens) > 1 else None
    if previous.kind in ("PNAME", "IRI") and before is not None and before.kind == "WORD":
        return "expr" if before.word != "A" else "list"  # FILTER ex:fn(…), ORDER BY <fn>(…)
    return "list"  # RDF collections and property-path groups
