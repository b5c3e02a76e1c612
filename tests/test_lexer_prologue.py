"""The lexer: kinds as the grammar orders them, and a scan resumed after a prologue."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhongyuan_kg.server import lexer

PROLOGUE = (
    "BASE <https://w3id.org/zhongyuan-kg/id/>\nPREFIX zy: <https://w3id.org/zhongyuan-kg/def#>"
)
LONGER = PROLOGUE + "\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"
HEADS = [PROLOGUE, LONGER, "PREFIX : <x:>", "BASE <a:b>", "PREFIX p:<x>PREFIX q:<y>"]
CONTINUATIONS = [
    "SELECT * WHERE { ?s ?p ?o }",
    "SERVICE <http://example.org/> { }",
    "SERVICEex:g",
    "PREFIX ex: <http://example.org/> SELECT * { ex:a ?p ?o }",
    "#comment\nASK {}",
    "<x> ?p ?o",
    ">y> ?p",
    "",
]


def resumed(head: str, text: str) -> list[lexer.Token]:
    """The tokens of the text, scanned from the end of a head whose tokens are known."""
    tokens = lexer.tokenize(head)
    lexer.scan(text, len(head), tokens)
    return tokens


@pytest.mark.parametrize("head", HEADS)
@pytest.mark.parametrize("continuation", CONTINUATIONS)
def test_a_scan_resumed_after_a_prologue_gives_the_same_tokens(head, continuation):
    text = head + continuation
    assert resumed(head, text) == lexer.tokenize(text)


def test_errors_after_a_prologue_are_where_they_were():
    text = PROLOGUE + '\nSELECT * { ?s ?p "unterminated }'
    with pytest.raises(lexer.LexError) as caught:
        resumed(PROLOGUE, text)
    assert (caught.value.line, caught.value.column) == (3, 18)  # the quote's line and column


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  # only a comment", []),
        ("ASK {} # trailing\n  ", ["ASK", "{", "}"]),
        ("ASK#c\n{#c2\n}", ["ASK", "{", "}"]),
        ('ASK { "# not a comment" <a#b> }', ["ASK", "{", '"# not a comment"', "<a#b>", "}"]),
        ("ASK { ?s ?p ?o } #\n\n# x\r\n\t", ["ASK", "{", "?s", "?p", "?o", "}"]),
        ("ASK { ?s ?p ?o ` }", ["ASK", "{", "?s", "?p", "?o", "`", "}"]),
    ],
)
def test_white_space_and_comments_are_skipped_before_each_token(text, expected):
    assert [token.text for token in lexer.tokenize(text)] == expected


def test_a_quote_after_a_comment_is_an_unterminated_string_where_it_stands():
    with pytest.raises(lexer.LexError) as caught:
        lexer.tokenize("ASK { # a comment\n  'open }")
    assert (caught.value.line, caught.value.column) == (2, 3)


def test_tokens_carry_their_span_and_the_upper_cased_word():
    assert lexer.tokenize("select ?x\n{ zy:a }") == [
        ("WORD", "select", 0, 6, "SELECT"),
        ("VAR", "?x", 7, 9, ""),
        ("PUNCT", "{", 10, 11, ""),
        ("PNAME", "zy:a", 12, 16, ""),
        ("PUNCT", "}", 17, 18, ""),
    ]


@settings(max_examples=300, deadline=None)
@given(
    head=st.sampled_from(HEADS),
    tail=st.text(alphabet=st.sampled_from(list("<>{}()?:\"'# \nSERVICEab.^")), max_size=30),
)
def test_any_continuation_tokenizes_as_a_whole_scan(head, tail):
    text = head + tail
    try:
        expected = lexer.tokenize(text)
    except lexer.LexError as error:
        with pytest.raises(lexer.LexError) as again:
            resumed(head, text)
        assert (again.value.line, again.value.column) == (error.line, error.column)
        return
    assert resumed(head, text) == expected


# The grammar's order of the terminals: the lexer tries them most frequent first, which must
# give the same kind wherever two could start at the same character.
GRAMMAR_ORDER = ["IRI", "STRING", "BNODE", "PNAME", "VAR", "LANGTAG", "NUMBER", "WORD", "PUNCT"]
TERMINALS = [
    (kind, re.compile(rx))
    for name in GRAMMAR_ORDER
    for kind, rx in lexer._TERMINALS
    if kind == name
]


def grammar_kind(text: str, start: int) -> tuple[str, int] | None:
    """The kind and end of the first terminal, in the grammar's order, that matches at start."""
    for kind, terminal in TERMINALS:
        if match := terminal.match(text, start):
            return kind, match.end()
    return None


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>?$._:@'\"#=!^|&-+eE1aZé²Ⅳ· \n{}()")), max_size=40))
def test_each_token_is_the_first_terminal_in_the_grammars_order(text):
    try:
        tokens = lexer.tokenize(text)
    except lexer.LexError:
        return
    for token in tokens:
        if token.kind == "OTHER" or token.text in ("<", "<="):  # less-than decided by context
            continue
        assert grammar_kind(text, token.start) == (token.kind, token.end)
