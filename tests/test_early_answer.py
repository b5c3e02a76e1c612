"""Which requests are plain queries (answered before Flask), and what their query is."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from zhongyuan_kg.server.early_answer import FORM_TYPE, QUERY_TYPE, negotiated, plain_query

ASK = "ASK { <city/zhengzhou> ?p ?o }"


def get(query_string: str, **environ: str) -> str | None:
    # As a WSGI server hands the query string: latin-1 characters standing for its bytes.
    latin = query_string.encode("utf-8").decode("latin-1")
    return plain_query({"QUERY_STRING": latin, **environ}, "GET", b"")


def post(body: bytes, content_type: str = FORM_TYPE, **environ: str) -> str | None:
    return plain_query({"CONTENT_TYPE": content_type, **environ}, "POST", body)


def test_a_get_with_only_a_query_is_plain():
    assert get(urlencode({"query": ASK})) == ASK
    assert get(urlencode({"query": "SELECT ?l { <city/郑州> rdfs:label ?l }"})) == (
        "SELECT ?l { <city/郑州> rdfs:label ?l }"
    )
    assert get("query=") == ""  # empty, refused later by the policy (through Flask)
    # A percent escape that is not UTF-8 stays as written, as in Werkzeug's request.args.
    assert get("query=ASK%FF%7B%7D") == "ASK%FF{}"


def test_a_post_of_a_form_or_of_a_query_text_is_plain():
    assert post(urlencode({"query": ASK}).encode()) == ASK
    assert post(ASK.encode(), QUERY_TYPE) == ASK


@pytest.mark.parametrize(
    "query_string",
    [
        urlencode({"query": ASK, "format": "csv"}),
        urlencode({"query": ASK, "default-graph-uri": "https://w3id.org/zhongyuan-kg/graph/facts"}),
        urlencode([("query", ASK), ("query", ASK)]),
        urlencode({"update": "CLEAR ALL"}),
        urlencode({"query": ASK, "lang": "en"}),
        "",
    ],
)
def test_any_other_parameter_leaves_it_to_flask(query_string):
    assert get(query_string) is None


@pytest.mark.parametrize(
    ("body", "content_type", "environ"),
    [
        (urlencode({"query": ASK}).encode(), f"{FORM_TYPE}; charset=utf-8", {}),  # not verbatim
        (urlencode({"query": ASK}).encode(), "text/plain", {}),
        (urlencode({"query": ASK}).encode(), FORM_TYPE, {"QUERY_STRING": "format=csv"}),
        (b"query=ASK%20%7B%7D&format=csv", FORM_TYPE, {}),
        (b"\xff\xfe", QUERY_TYPE, {}),  # not UTF-8: Flask says 400
        (urlencode({"query": ASK}).encode(), FORM_TYPE, {"HTTP_IF_NONE_MATCH": '"x"'}),
    ],
)
def test_other_posts_are_left_to_flask(body, content_type, environ):
    assert post(body, content_type, **environ) is None


@pytest.mark.parametrize("method", ["HEAD", "PUT", "DELETE", "OPTIONS"])
def test_other_methods_are_left_to_flask(method):
    environ = {"QUERY_STRING": urlencode({"query": ASK}), "CONTENT_TYPE": FORM_TYPE}
    assert plain_query(environ, method, urlencode({"query": ASK}).encode()) is None


def test_validators_leave_a_get_to_flask():
    # Flask may answer 304 without evaluating.
    assert (
        get(urlencode({"query": ASK}), HTTP_IF_MODIFIED_SINCE="Thu, 01 Jan 1970 00:00:00 GMT")
        is None
    )


@pytest.mark.parametrize(
    ("form", "accept", "format_name"),
    [
        ("SELECT", None, "json"),
        ("SELECT", "", "json"),
        ("SELECT", "text/csv", "csv"),
        ("SELECT", "text/tab-separated-values", "tsv"),
        ("SELECT", "application/sparql-results+xml", "xml"),
        ("SELECT", "text/html;q=0.9, text/csv;q=0.5", "csv"),
        ("ASK", "application/sparql-results+json", "json"),
        ("CONSTRUCT", "text/turtle", "ttl"),
        ("CONSTRUCT", "application/n-triples", "nt"),
        ("SELECT", "image/png", None),
        ("CONSTRUCT", "text/csv", None),
    ],
)
def test_the_format_is_negotiated_as_sparql_does(form, accept, format_name):
    assert negotiated(form, accept) == format_name
