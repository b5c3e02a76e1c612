"""The lexer's prologue memo gives exactly the tokens of a fresh scan, whatever follows it."""

from __future__ import annotations

import sys
import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from zhongyuan_kg.server import lexer

PROLOGUE = (
    "BASE <https://w3id.org/zhongyuan-kg/id/>\nPREFIX zy: <https://w3id.org/zhongyuan-kg/def#>\n"
)
LONGER = PROLOGUE + "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
CONTINUATIONS = [
    "SELECT * WHERE { ?s ?p ?o }",
    "SERVICE <http://example.org/> { }",
    "SERVICEex:g",
    "PREFIX ex: <http://example.org/> SELECT * { ex:a ?p ?o }",
    "#comment\nASK {}",
    "<x> ?p ?o",
    '"unterminated',
    "",
]


def fresh(text: str) -> list[lexer.Token]:
    tokens: list[lexer.Token] = []
    lexer._scan(text, 0, tokens)
    return tokens


def test_a_remembered_prologue_is_reused_and_gives_the_same_tokens():
    lexer.tokenize(PROLOGUE + "ASK {}")
    assert PROLOGUE.rstrip("\n") in lexer._PROLOGUES._tokens  # it ends with its last IRI
    for continuation in CONTINUATIONS[:-2]:
        assert lexer.tokenize(PROLOGUE + continuation) == fresh(PROLOGUE + continuation)


def test_the_longest_remembered_prologue_wins():
    lexer.tokenize(PROLOGUE + "ASK {}")
    lexer.tokenize(LONGER + "ASK {}")
    tokens, offset = lexer._PROLOGUES.lookup(LONGER + "SELECT * {}")
    assert offset == len(LONGER.rstrip("\n"))
    assert len(tokens) == 2 + 3 + 3
    assert [token.text for token in tokens][-3:] == [
        "PREFIX",
        "rdfs:",
        "<http://www.w3.org/2000/01/rdf-schema#>",
    ]


def test_errors_after_a_remembered_prologue_are_where_they_were():
    lexer.tokenize(PROLOGUE + "ASK {}")
    text = PROLOGUE + 'SELECT * { ?s ?p "unterminated }'
    try:
        lexer.tokenize(text)
    except lexer.LexError as error:
        assert (error.line, error.column) == (3, 18)  # the quote's line and column
    else:
        raise AssertionError("an unterminated string must be refused")


def test_memory_is_bounded():
    for number in range(lexer._PROLOGUES.capacity + 10):
        lexer.tokenize(f"PREFIX p{number}: <http://example.org/{number}#> ASK {{}}")
    assert len(lexer._PROLOGUES._tokens) == lexer._PROLOGUES.capacity


@settings(max_examples=300, deadline=None)
@given(
    head=st.sampled_from([PROLOGUE, LONGER, "PREFIX : <x:>", "BASE <a:b>"]),
    tail=st.text(alphabet=st.sampled_from(list("<>{}()?:\"'# \nSERVICEab.^")), max_size=30),
)
def test_any_continuation_tokenizes_as_a_fresh_scan(head, tail):
    lexer.tokenize(head + "ASK {}")  # remember the head
    text = head + tail
    try:
        expected = fresh(text)
    except lexer.LexError as error:
        expected_error = (error.line, error.column)
        try:
            lexer.tokenize(text)
        except lexer.LexError as again:
            assert (again.line, again.column) == expected_error
        else:
            raise AssertionError("the memo hid a lexing error") from None
        return
    assert lexer.tokenize(text) == expected


def test_threads_sharing_the_memo_get_the_tokens_of_a_fresh_scan():
    # Many request threads tokenize at once while the memo forgets and learns prologues.
    texts = [
        f"PREFIX p{n % 40}: <http://example.org/{n % 40}#> SELECT * {{ ?s p{n % 40}:x ?o }}"
        for n in range(4000)
    ]
    failures: list[BaseException] = []

    def work(chunk: list[str]) -> None:
        try:
            for text in chunk:
                assert lexer.tokenize(text) == fresh(text)
        except BaseException as error:  # reported below, in the test's own thread
            failures.append(error)

    threads = [threading.Thread(target=work, args=(texts[n::8],)) for n in range(8)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so that a race shows (it did, once)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
