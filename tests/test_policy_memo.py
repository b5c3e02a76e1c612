"""The prologue memo changes no answer: shapes and policy decisions are those of a fresh read."""

from __future__ import annotations

import sys
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhongyuan_kg.namespaces import PREFIXES
from zhongyuan_kg.server import analysis
from zhongyuan_kg.server.analysis import NO_MEMO, QueryShape, analyse
from zhongyuan_kg.server.errors import ApiError
from zhongyuan_kg.server.lexer import LexError
from zhongyuan_kg.server.policy import Policy
from zhongyuan_kg.server.prologue_memo import PrologueMemo
from zhongyuan_kg.server.settings import resolve

BASE = "https://w3id.org/zhongyuan-kg/id/"
GRAPHS = "https://w3id.org/zhongyuan-kg/graph/"
PROLOGUE = f"BASE <{BASE}>\n" + "".join(f"PREFIX {n}: <{i}>\n" for n, i in PREFIXES.items())
HEADS = [
    PROLOGUE,
    PROLOGUE + "PREFIX g: <https://w3id.org/zhongyuan-kg/graph/>\n",
    "PREFIX service: <http://example.org/s#>\n",  # a prefix named like a keyword
    "PREFIX fromg: <https://w3id.org/zhongyuan-kg/graph/>\n",
    "BASE <http://example.org/a/>\nPREFIX g: <graph/>\n",
    "BASE <http://example.org/b/>\nPREFIX g: <graph/>\n",  # the same, another BASE
    "PREFIX g: <https://w3id.org/zhongyuan-kg/graph/>",
    "PREFIX g: <https://w3id.org/zhongyuan-kg/graph#>",  # one character apart
    "PREFIX p:<x:>PREFIX q:<y:>",
    "PREFIX a:b <x:> ",  # not a declaration: the name is not a bare prefix
]
BODIES = [
    "SELECT ?s WHERE { ?s ?p ?o }",
    "SELECT * FROM g:facts WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED fromg:facts { GRAPH ?g { ?s ?p ?o } }",
    "ASK { ?s service:p ?o }",
    "PREFIX g: <http://elsewhere.example/> SELECT * FROM g:x { ?s ?p ?o }",
    "BASE <http://example.org/c/> SELECT * FROM <graph/x> { }",
    "SERVICE <http://example.org/> { }",
    "SELECT * { ?s ?p ?o FILTER(?s<?p+'>') SERVICE <x:y> { } }",
    "INSERT DATA { <a> <b> <c> }",
    'SELECT * { ?s ?p "open }',
    ">x> ASK {}",
    "",
]


def read_with(memo: PrologueMemo, text: str) -> QueryShape | tuple[str, int, int]:
    """The shape of a text, or where it fails to lex, read with a memo."""
    try:
        return analyse(text, PREFIXES, BASE, memo=memo)
    except LexError as error:
        return ("lex", error.line, error.column)


def fresh(text: str) -> QueryShape | tuple[str, int, int]:
    """The shape read without any memo."""
    return read_with(NO_MEMO, text)


@pytest.fixture
def policy() -> Policy:
    # prepare() never touches the pool: static checks need no evaluator.
    return Policy(resolve({"dataset": "unused.nq"}), pool=None)  # type: ignore[arg-type]


def decision(policy: Policy, query: str) -> tuple:
    """What the policy makes of a query: the prepared text, form and dataset, or the refusal."""
    try:
        prepared = policy.prepare(query)
    except ApiError as error:
        return (error.status, error.code, error.message, error.line, error.column)
    return (prepared.text, prepared.form, prepared.dataset)


@pytest.mark.parametrize("head", HEADS)
def test_every_body_after_a_remembered_head_reads_as_a_fresh_read(head):
    memo = PrologueMemo(capacity=8)
    for body in BODIES:
        # Remembered from the previous query (the same head), or learned by this one.
        assert read_with(memo, head + body) == fresh(head + body)
    assert len(memo) <= 3  # the head, and the head with a body's own PREFIX or BASE


def test_heads_that_start_alike_never_lend_each_other_their_meaning():
    memo = PrologueMemo(capacity=8)
    for _round in range(2):
        for head in HEADS:
            for body in BODIES[:3]:
                assert read_with(memo, head + body) == fresh(head + body)


def test_a_prologue_means_what_the_settings_before_it_say():
    memo = PrologueMemo(capacity=8)
    text = "PREFIX g: <graph/> SELECT * FROM g:facts {}"
    first = analyse(text, {"x": "http://x/"}, "http://example.org/a/", memo=memo)
    second = analyse(text, {"x": "http://x/"}, "http://example.org/b/", memo=memo)
    third = analyse(text, {"y": "http://y/"}, "http://example.org/b/", memo=memo)
    assert [s.dataset_clauses[0].iri for s in (first, second)] == [
        "http://example.org/a/graph/facts",
        "http://example.org/b/graph/facts",
    ]
    assert (second.prefixes, third.prefixes) == (
        {"x": "http://x/", "g": "http://example.org/b/graph/"},
        {"y": "http://y/", "g": "http://example.org/b/graph/"},
    )
    assert len(memo) == 3


def test_a_shape_changed_by_its_caller_does_not_change_the_memo():
    memo = PrologueMemo(capacity=8)
    text = PROLOGUE + "ASK {}"
    analyse(text, PREFIXES, BASE, memo=memo).prefixes["zy"] = "http://changed/"
    analyse(text, PREFIXES, BASE, memo=memo).words["BIND"] += 99
    again, expected = analyse(text, PREFIXES, BASE, memo=memo), fresh(text)
    assert isinstance(expected, QueryShape)
    assert (again.prefixes, again.words["BIND"]) == (expected.prefixes, 0)
    assert again == expected


def test_a_keyword_named_prefix_is_refused_from_memory_as_at_first(policy):
    query = "PREFIX service: <http://example.org/s#>\nASK { ?s service:p ?o }"
    refusals = {decision(policy, query) for _ in range(3)}
    assert refusals == {
        (
            400,
            "ambiguous-keyword",
            "`service:` begins with a keyword that the engine would read on its own (SERVICE, "
            "FROM or an update keyword): separate it with a space, or rename the prefix",
            1,
            8,
        )
    }


def test_a_prefix_spelled_with_codepoint_escapes_is_refused_like_its_plain_spelling(policy):
    plain = decision(policy, "PREFIX service: <x:>\nASK {}")
    escaped = decision(policy, "PREFIX \\u0073ervice: <x:>\nASK {}")
    assert plain == escaped
    assert plain[1:2] == ("ambiguous-keyword",)


def test_the_dataset_follows_the_base_of_each_query_not_the_last_one_remembered(policy):
    body = "SELECT * FROM g:facts { ?s ?p ?o }"
    own = decision(policy, f"BASE <{GRAPHS}x/>\nPREFIX g: <../>\n{body}")
    other = decision(policy, "BASE <http://example.org/>\nPREFIX g: <../>\n" + body)
    own_again = decision(policy, f"BASE <{GRAPHS}x/>\nPREFIX g: <../>\n{body}")
    assert own[1:] == own_again[1:] == ("SELECT", own[2])
    assert own[2].default_graphs == (GRAPHS + "facts",)
    assert other == (
        400,
        "outbound-refused",
        "FROM <http://example.org/facts> is not a graph of this dataset: only graphs under "
        f"<{GRAPHS}> can be named (nothing is ever fetched)",
        None,
        None,
    )


def test_memory_is_bounded_and_the_busiest_prologue_stays():
    memo = PrologueMemo(capacity=4)
    busy = PROLOGUE + "ASK {}"
    for number in range(40):
        analyse(f"PREFIX p{number}: <http://example.org/{number}#> ASK {{}}", memo=memo)
        analyse(busy, memo=memo)
    assert len(memo) == 4
    assert memo.lookup(busy, None, {}) is not None  # used after every other: never the oldest
    assert memo.lookup("PREFIX p0: <http://example.org/0#> ASK {}", None, {}) is None


def test_the_characters_kept_are_bounded_and_a_huge_prologue_is_read_but_not_kept():
    memo = PrologueMemo(capacity=64, max_chars=1600)
    texts = [f"PREFIX p{n}: <http://example.org/{'x' * 60}/{n}#> ASK {{}}" for n in range(40)]
    for text in texts:
        assert read_with(memo, text) == fresh(text)
    assert len(memo) == 1600 // len(texts[-1].removesuffix(" ASK {}"))  # 16 of 97 characters
    huge = "".join(f"PREFIX a{n}: <b>\n" for n in range(20)) + "ASK {}"  # ~330 > 1600 / 16
    assert read_with(memo, huge) == fresh(huge)
    assert memo.lookup(huge, BASE, PREFIXES) is None


def test_long_iris_are_resolved_against_the_base_without_being_kept():
    long_iri = "graph/" + "x" * 2000
    before = analysis._cached_join.cache_info()
    shape = analyse(f"BASE <{GRAPHS}a/> SELECT * FROM <{long_iri}> {{}}", memo=NO_MEMO)
    assert shape.dataset_clauses[0].iri == GRAPHS + "a/" + long_iri
    after = analysis._cached_join.cache_info()
    assert (after.hits, after.misses) == (before.hits, before.misses)  # never asked


@settings(max_examples=300, deadline=None)
@given(
    head=st.sampled_from(HEADS),
    tail=st.text(alphabet=st.sampled_from(list("<>{}()?:\"'# \nSERVICEFROMab.^")), max_size=30),
)
def test_any_continuation_reads_as_a_fresh_read(head, tail):
    memo = PrologueMemo(capacity=4)
    read_with(memo, head + "ASK {}")  # remember the head
    assert read_with(memo, head + tail) == fresh(head + tail)


def test_threads_sharing_a_memo_get_the_shapes_of_a_fresh_read():
    # Request threads read at once while the memo forgets and learns prologues (80 > 16 kept).
    memo = PrologueMemo(capacity=16)
    texts = [
        f"PREFIX p{n % 80}: <http://example.org/{n % 80}#> SELECT * {{ ?s p{n % 80}:x ?o }}"
        for n in range(4000)
    ]
    expected = {text: fresh(text) for text in set(texts)}
    failures: list[BaseException] = []

    def work(chunk: list[str]) -> None:
        try:
            for text in chunk:
                assert read_with(memo, text) == expected[text]
        except BaseException as error:  # reported below, in the test's own thread
            failures.append(error)

    threads = [threading.Thread(target=work, args=(texts[n::8],)) for n in range(8)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so that a race shows
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
    assert len(memo) == 16
