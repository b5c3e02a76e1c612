"""The policy's static side, without a server: tokens, query shapes, dataset choice, rewriting."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef

from zhongyuan_kg.server.analysis import analyse
from zhongyuan_kg.server.errors import ApiError
from zhongyuan_kg.server.lexer import LexError, decode_escapes, tokenize
from zhongyuan_kg.server.policy import Policy
from zhongyuan_kg.server.rewrite import bind, values_block
from zhongyuan_kg.server.settings import resolve
from zhongyuan_kg.server.store import Dataset

GRAPH = "https://w3id.org/zhongyuan-kg/graph/"
DEFAULT = Dataset(
    ("", GRAPH + "facts", GRAPH + "ontology", GRAPH + "provenance", GRAPH + "inferences")
)


@pytest.fixture
def policy() -> Policy:
    # prepare() never touches the pool: static checks need no evaluator.
    return Policy(resolve({"dataset": "unused.nq"}), pool=None)  # type: ignore[arg-type]


def refusal(policy: Policy, query: str, **dataset) -> ApiError:
    with pytest.raises(ApiError) as caught:
        policy.prepare(query, **dataset)
    return caught.value


def test_tokens_keep_strings_iris_and_comments_apart():
    text = 'SELECT ?x { ?x <http://a/#SERVICE> "SERVICE # not a comment" } # SERVICE\nLIMIT 1'
    assert [(t.kind, t.text) for t in tokenize(text)] == [
        ("WORD", "SELECT"),
        ("VAR", "?x"),
        ("PUNCT", "{"),
        ("VAR", "?x"),
        ("IRI", "<http://a/#SERVICE>"),
        ("STRING", '"SERVICE # not a comment"'),
        ("PUNCT", "}"),
        ("WORD", "LIMIT"),
        ("NUMBER", "1"),
    ]


def test_less_than_in_an_expression_is_not_an_iri():
    text = "ASK { FILTER(?a<?b+'>') SERVICE <x:y> {} }"
    assert [t.text for t in tokenize(text)][4:11] == ["?a", "<", "?b", "+", "'>'", ")", "SERVICE"]
    assert [t.kind for t in tokenize("SELECT * { ?s ?p (<a> <b>) }")][6:8] == ["IRI", "IRI"]


@pytest.mark.parametrize(
    "hidden",
    [
        "SELECT * { ?s ?p ?o FILTER(?s<?p+'>') SERVICE <x:y> { } }",
        "SELECT * { { SELECT (?a<?b+'>' AS ?x) { } } SERVICE <x:y> { } }",
        "SELECT * { { SELECT DISTINCT (?a<?b+'>' AS ?x) { } } SERVICE <x:y> { } }",
        "SELECT * { { SELECT ?x { } ORDER BY DESC(?a<?b+'>') } SERVICE <x:y> { } }",
        "SELECT * { { SELECT ?x { } GROUP BY ?x HAVING COUNT(?a<?b+'>') } SERVICE <x:y> { } }",
        "SELECT * { FILTER <x:fn>(?a<?b+'>') SERVICE <x:y> { } }",
        "SELECT * { BIND(STR(?a<?b+'>') AS ?c) SERVICE <x:y> { } }",
        "SELECT (?a<?b+'>' AS ?x) { SERVICE <x:y> { } }",
    ],
)
def test_less_than_cannot_hide_a_keyword(hidden):
    assert "SERVICE" in [t.word for t in tokenize(hidden)]


@pytest.mark.parametrize(
    ("query", "glued"),
    [
        ("PREFIX ex: <http://127.0.0.1:9/> SELECT * { SERVICEex:g { } }", "SERVICEex:g"),
        ("PREFIX : <http://127.0.0.1:9/> SELECT * { SERVICE:g { } }", "SERVICE:g"),
        ("SELECT * { SERVICESILENT <http://127.0.0.1:9/> { } }", "SERVICESILENT"),
        ("PREFIX ex: <http://127.0.0.1:9/> SELECT * FROMex:g { }", "FROMex:g"),
        ("PREFIX add: <x:> SELECT * { ?s add:p ?o }", "add:"),
    ],
)
def test_keywords_glued_to_a_name_are_refused(policy, query, glued):
    # Oxigraph reads all of these as SERVICE, SERVICE SILENT or FROM (measured).
    error = refusal(policy, query)
    assert (error.status, error.code) == (400, "ambiguous-keyword")
    assert error.message.startswith(f"`{glued}` begins with a keyword")


def test_ordinary_names_are_not_glued(policy):
    query = "SELECT ?service ?from WHERE { ?service zy:servedBy ?from ; dcterms:created ?c }"
    assert policy.prepare(query).form == "SELECT"


def test_collections_keep_their_iris():
    for text in (
        "ASK { ?s a (<x:a> <x:b>) }",
        "ASK { ?s <x:p> (<x:a> <x:b>) }",
        "ASK { (<x:a> <x:b>) ?p ?o }",
    ):
        assert [t.text for t in tokenize(text) if t.kind == "IRI"][-2:] == ["<x:a>", "<x:b>"]


def test_prefixed_names_are_not_keywords():
    words = [t.word for t in tokenize("SELECT * { ?s service:x ?o ; from:y ?z }") if t.word]
    assert words == ["SELECT"]


def test_unterminated_string_is_a_lexing_error_with_position():
    with pytest.raises(LexError) as caught:
        tokenize('SELECT * {\n  ?s ?p "open }')
    assert (caught.value.line, caught.value.column) == (2, 9)


def test_codepoint_escapes_are_decoded_once():
    assert decode_escapes("\\u0053ERVICE \\U0001F600") == "SERVICE \U0001f600"


def test_shape_of_a_query():
    shape = analyse(
        "BASE <https://w3id.org/zhongyuan-kg/> PREFIX g: <graph/>\n"
        "SELECT * FROM g:facts FROM NAMED <graph/ontology>\n"
        "WHERE { { ?s ?p ?o } UNION { BIND(1 AS ?x) } }"
    )
    assert shape.form == "SELECT"
    assert shape.prefixes == {"g": GRAPH}
    assert [(c.named, c.iri) for c in shape.dataset_clauses] == [
        (False, GRAPH + "facts"),
        (True, GRAPH + "ontology"),
    ]
    assert (shape.depth, shape.words["UNION"], shape.words["BIND"]) == (3, 1, 1)


def test_default_dataset_with_and_without_inferences(policy):
    assert policy.prepare("ASK {}").dataset == DEFAULT
    assert policy.prepare("ASK {}", inference=False).dataset == Dataset(DEFAULT.default_graphs[:-1])


def test_from_clauses_become_the_dataset_and_leave_the_text(policy):
    query = f"SELECT * FROM <{GRAPH}facts> FROM NAMED <{GRAPH}ontology> WHERE {{ ?s ?p ?o }}"
    prepared = policy.prepare(query)
    assert prepared.dataset == Dataset((GRAPH + "facts",), (GRAPH + "ontology",))
    assert "FROM" not in prepared.text
    assert len(prepared.text) == len(query)  # blanked out, so error positions stay right


@pytest.mark.parametrize(
    ("prologue", "graph"),
    [
        (f"PREFIX g: <{GRAPH}facts#> ", "g:"),
        ("BASE <https://w3id.org/zhongyuan-kg/> ", "<graph/facts#>"),
        ("", f"<{GRAPH}facts#>"),
    ],
)
def test_an_iri_ending_in_an_empty_fragment_keeps_it(policy, prologue, graph):
    # …/facts# is another graph than …/facts, however it is written.
    prepared = policy.prepare(f"{prologue}SELECT * FROM {graph} WHERE {{ ?s ?p ?o }}")
    assert prepared.dataset == Dataset((GRAPH + "facts#",), ())


@pytest.mark.parametrize(
    ("query", "column"),
    [
        ("BASE <http://[::1> ASK {}", 6),
        ("PREFIX x: <http://[::1> ASK {}", 11),
        ("ASK FROM <http://[x> {}", 10),
        ("ASK\nFROM NAMED <https://[v7.x/g> {}", 12),
    ],
)
def test_an_iri_urljoin_cannot_parse_is_a_syntax_error(policy, query, column):
    # urljoin raises "Invalid IPv6 URL" on these (a 500 once); the engine refuses them as well.
    error = refusal(policy, query)
    assert (error.status, error.code) == (400, "syntax-error")
    assert error.message.startswith("invalid IRI <")
    assert error.column == column


def test_protocol_dataset_overrides_from(policy):
    prepared = policy.prepare(
        f"SELECT * FROM <{GRAPH}facts> WHERE {{ ?s ?p ?o }}",
        default_graph_uris=[GRAPH + "ontology"],
    )
    assert prepared.dataset == Dataset((GRAPH + "ontology",), ())


@pytest.mark.parametrize(
    ("query", "dataset", "named"),
    [
        ("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }", {}, "FROM <file:///etc/passwd>"),
        (
            "SELECT * FROM NAMED <http://127.0.0.1/> { ?s ?p ?o }",
            {},
            "FROM NAMED <http://127.0.0.1/>",
        ),
        ("SELECT * FROM x:g { ?s ?p ?o }", {}, "FROM an unresolvable IRI"),
        (
            "ASK {}",
            {"default_graph_uris": ["http://e.org/g"]},
            "default-graph-uri <http://e.org/g>",
        ),
        ("ASK {}", {"named_graph_uris": ["file:///tmp/g"]}, "named-graph-uri <file:///tmp/g>"),
    ],
)
def test_graphs_outside_the_project_are_refused(policy, query, dataset, named):
    error = refusal(policy, query, **dataset)
    assert (error.status, error.code) == (400, "outbound-refused")
    assert named in error.message


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
        "SELECT * { \\u0053ERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
        "SELECT * { sErViCe SILENT ?endpoint { ?s ?p ?o } }",
    ],
)
def test_service_is_refused_with_its_position(policy, query):
    error = refusal(policy, query)
    assert (error.status, error.code, error.line, error.column) == (400, "outbound-refused", 1, 12)


def test_a_codepoint_escape_that_makes_another_is_refused(policy):
    error = refusal(policy, "SELECT * { \\u005Cu0053ERVICE <x:y> { } }")
    assert (error.status, error.message) == (400, "a codepoint escape produces another escape")


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <a:b> <a:c> <a:d> }",
        "drop all",
        "ASK {} ; LOAD <http://x/>",
        "\\u0043LEAR ALL",
    ],
)
def test_updates_are_403(policy, update):
    assert (refusal(policy, update).status, refusal(policy, update).code) == (403, "read-only")


def test_one_operation_per_request(policy):
    assert policy.single_query(["ASK {}"], []) == "ASK {}"
    assert policy.single_query([], []) is None
    assert refusal_of(policy, ["ASK {}"], ["CLEAR ALL"]).status == 400
    assert refusal_of(policy, [], ["CLEAR ALL"]).status == 403
    assert refusal_of(policy, ["ASK {}", "ASK {}"], []).code == "several-queries"


def refusal_of(policy: Policy, queries: list[str], updates: list[str]) -> ApiError:
    with pytest.raises(ApiError) as caught:
        policy.single_query(queries, updates)
    return caught.value


def test_not_a_query_form(policy):
    error = refusal(policy, "PREFIX a: <x:> FOO { }")
    assert (error.code, error.message, error.line, error.column) == (
        "syntax-error",
        "expected SELECT, CONSTRUCT, DESCRIBE or ASK",
        1,
        16,
    )


LUOYANG = "<https://w3id.org/zhongyuan-kg/id/city/luoyang>"
VALUES_C = f"VALUES (?c) {{ ({LUOYANG}) }}"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "SELECT ?l WHERE { ?c rdfs:label ?l }",
            f"SELECT ?l WHERE {{ {VALUES_C}  ?c rdfs:label ?l }}",
        ),
        (
            "SELECT ?l { SELECT ?l { ?c rdfs:label ?l } }",
            f"SELECT ?l {{ {VALUES_C} {{  SELECT ?l {{ ?c rdfs:label ?l }}  }} }}",
        ),
        (
            "CONSTRUCT WHERE { ?c ?p ?o }",
            f"CONSTRUCT {{ ?c ?p ?o }} WHERE {{ {VALUES_C}  ?c ?p ?o }}",
        ),
        (
            "CONSTRUCT { ?c a ?t } WHERE { ?c a ?t }",
            f"CONSTRUCT {{ ?c a ?t }} WHERE {{ {VALUES_C}  ?c a ?t }}",
        ),
        ("DESCRIBE ?c", f"DESCRIBE ?c WHERE {{ {VALUES_C} }} "),
    ],
)
def test_bindings_join_first_in_the_where_clause(query, expected):
    assert bind(query, {"c": URIRef("https://w3id.org/zhongyuan-kg/id/city/luoyang")}) == expected


def test_values_block_writes_typed_terms_and_refuses_others():
    block = values_block({"n": Literal(2020), "zh": Literal("郑州", lang="zh")})
    assert (
        block
        == 'VALUES (?n ?zh) { ("2020"^^<http://www.w3.org/2001/XMLSchema#integer> "郑州"@zh) }'
    )
    with pytest.raises(ValueError, match="blank node"):
        values_block({"x": BNode()})
    with pytest.raises(ValueError, match="not an IRI"):
        values_block({"x": URIRef("http://a> } ; DROP ALL ; <b")})
    with pytest.raises(ValueError, match="not a datatype IRI"):
        values_block({"x": Literal("1", datatype=URIRef("x:a> } SERVICE <http://e/> { <x:b"))})
    with pytest.raises(ValueError, match="not a variable"):
        values_block({"x y": Literal(1)})
