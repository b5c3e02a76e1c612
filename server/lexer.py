"""A SPARQL 1.1 tokenizer: enough of the grammar's terminals to see keywords, IRIs and brackets."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

# Codepoint escapes are decoded before the grammar applies (SPARQL 1.1 §19.2), so
# `\u0053ERVICE` is the keyword SERVICE: every check runs on the decoded text.
CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_LOCAL = rf"(?:[\w:]|{_PLX})(?:(?:[\w.:\-\u00B7]|{_PLX})*(?:[\w:\-\u00B7]|{_PLX}))?"
_TERMINALS = [
    ("SPACE", r"\s+"),
    ("COMMENT", r"#[^\n\r]*"),
    ("IRI", r"<[^<>\"{}|^`\\\x00-\x20]*>"),
    ("STRING", r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"),
    ("STRING", r'"(?:[^"\\\n\r]|\\.)*"' r"|'(?:[^'\\\n\r]|\\.)*'"),
    ("BNODE", rf"_:{_LOCAL}"),
    ("PNAME", rf"(?:[^\W\d_](?:[\w.\-\u00B7]*[\w\-\u00B7])?)?:(?:{_LOCAL})?"),
    ("VAR", r"[?$]\w+"),
    ("LANGTAG", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?"),
    ("NUMBER", r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"),
    ("WORD", r"[^\W\d_]\w*"),
    ("PUNCT", r"\^\^|<<|>>|<=|>=|!=|&&|\|\||[{}()\[\].,;*/|^+\-!=<>?]"),
]
_SCANNER = re.compile("|".join(f"(?P<{kind}{i}>{rx})" for i, (kind, rx) in enumerate(_TERMINALS)))
_UNTERMINATED = re.compile(r"\"\"\"|'''|\"|'")

OPEN = {"{": "}", "(": ")", "[": "]"}
CLOSE = {close: open_ for open_, close in OPEN.items()}


@dataclass(frozen=True, slots=True)
class Token:
    """One terminal of the query text: its kind, its text and where it starts."""

    kind: str  # IRI, STRING, BNODE, PNAME, VAR, LANGTAG, NUMBER, WORD, PUNCT, OTHER
    text: str
    start: int
    end: int

    @property
    def word(self) -> str:
        """The upper-cased text of a bare word (keywords are case-insensitive), else ''."""
        return self.text.upper() if self.kind == "WORD" else ""


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
    tokens, offset = _PROLOGUES.lookup(text)
    known = len(tokens)
    _scan(text, offset, tokens)
    _PROLOGUES.remember(text, tokens, known)
    return tokens


def _scan(text: str, offset: int, tokens: list[Token]) -> None:
    # The prologue is always read in the top context, so a scan resumed after one starts there.
    contexts = ["top"]
    size = len(text)
    while offset < size:
        if text[offset] == "<" and contexts[-1] == "expr" and _ends_operand(tokens):
            # Inside an expression `<` after an operand is less-than, as the engines read it:
            # lexing `<?b+'>` as an IRI would hide what follows the quote from the checks.
            match = _LESS_THAN.match(text, offset)
        else:
            match = _SCANNER.match(text, offset)
        if match is None:
            if _UNTERMINATED.match(text, offset):
                raise LexError("unterminated string", *position(text, offset))
            # A character no terminal starts with: the engine's parser will name the error.
            tokens.append(Token("OTHER", text[offset], offset, offset + 1))
            offset += 1
            continue
        kind = (match.lastgroup or "PUNCT").rstrip("0123456789")
        if kind not in ("SPACE", "COMMENT"):
            token = Token(kind, match.group(), offset, match.end())
            _track(contexts, tokens, token)
            tokens.append(token)
        offset = match.end()


class _PrologueMemo:
    """The tokens of recently seen prologues (BASE and PREFIX declarations), by their text.

    Clients send the same long prologue before every query; tokenizing it was most of the
    lexer's time. A prologue ends with the `>` of an IRI token, which no longer token can
    extend, and every token before it is decided by characters before it, so its tokens are
    the same whatever follows: a text that starts with a remembered prologue is scanned from
    its end.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._tokens: dict[str, tuple[Token, ...]] = {}
        self._changing = threading.Lock()  # one writer at a time; readers copy, never wait

    def lookup(self, text: str) -> tuple[list[Token], int]:
        """The tokens of the longest remembered prologue the text starts with, and its end."""
        # Request threads share the memo: iterate over a copy of the items (copied atomically
        # under the GIL), never over the dict another thread may be changing.
        best, tokens = "", ()
        for prologue, known in list(self._tokens.items()):
            if len(prologue) > len(best) and text.startswith(prologue):
                best, tokens = prologue, known
        return list(tokens), len(best)

    def remember(self, text: str, tokens: list[Token], known: int) -> None:
        """Keep the prologue of a tokenized text (known: its first tokens are declarations)."""
        end = _prologue_end(tokens, known)
        if end == known:  # nothing new: no prologue, or the one that was looked up
            return
        prologue = text[: tokens[end - 1].end]
        with self._changing:
            if prologue in self._tokens:
                return
            while len(self._tokens) >= self.capacity:  # forget the oldest
                del self._tokens[next(iter(self._tokens))]
            self._tokens[prologue] = tuple(tokens[:end])


def _prologue_end(tokens: list[Token], index: int) -> int:
    """How many leading tokens are BASE <iri> and PREFIX name: <iri> declarations.

    The first `index` tokens are known to be declarations already.
    """
    while True:
        head = tokens[index].word if index < len(tokens) else ""
        if head == "BASE" and _kinds(tokens, index + 1, ("IRI",)):
            index += 2
        elif head == "PREFIX" and _kinds(tokens, index + 1, ("PNAME", "IRI")):
            index += 3
        else:
            return index


def _kinds(tokens: list[Token], start: int, kinds: tuple[str, ...]) -> bool:
    found = tokens[start : start + len(kinds)]
    return tuple(token.kind for token in found) == kinds


_PROLOGUES = _PrologueMemo(capacity=32)


_LESS_THAN = re.compile(r"(?P<PUNCT><=|<)")
_OPERAND_END = {"VAR", "NUMBER", "STRING", "LANGTAG", "IRI", "PNAME", "BNODE"}


def _ends_operand(tokens: list[Token]) -> bool:
    last = tokens[-1] if tokens else None
    if last is None:
        return False
    return last.kind in _OPERAND_END or last.text in (")", "]") or last.word in ("TRUE", "FALSE")


def _track(contexts: list[str], tokens: list[Token], token: Token) -> None:
    """Push or pop the bracket context (top, group, expr, list) a token opens or closes."""
    if token.text in ("{", "["):
        contexts.append("group")
    elif token.text == "(":
        contexts.append(_paren_context(contexts[-1], tokens))
    elif token.text in CLOSE and len(contexts) > 1:
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
