"""The `queries` and `query` commands: the listing, and refusals made before any graph is read."""

from __future__ import annotations

import pytest

from zhongyuan_kg.cli import main
from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.queries.catalog import load_catalog


def test_queries_lists_every_name_with_its_title(capsys):
    assert main(["queries"]) == 0
    lines = capsys.readouterr().out.splitlines()
    catalog = load_catalog()
    assert [line.split("\t") for line in lines] == [
        [name, query.title["zh"]] for name, query in catalog.items()
    ]
    assert main(["queries", "--lang", "en"]) == 0
    assert "Node cities of the development axes" in capsys.readouterr().out


def test_an_unknown_saved_query_names_the_closest(capsys):
    assert main(["query", "--saved", "axis-node"]) == 2
    assert "axis-nodes" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["query"],
        ["query", "--saved", "axis-nodes", "SELECT * WHERE { ?s ?p ?o }"],
        ["query", "SELECT * WHERE { ?s ?p ?o }", "--param", "axis=axis/longhai"],
        ["query", "DROP ALL"],
        ["query", "INSERT DATA { <a:b> <a:b> <a:b> }"],
        ["query", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"],
        ["query", "--saved", "../../etc/passwd"],
    ],
)
def test_refusals_exit_with_status_2(capsys, args):
    assert main(args) == 2
    assert capsys.readouterr().err


@pytest.mark.parametrize(
    ("given", "meant"),
    [
        ("axis-nodes", "axis-nodes"),
        (" transport-hubs\n", "transport-hubs"),
        ("axis-node", "axis-nodes"),
    ],
)
def test_a_saved_query_name_given_as_sparql_points_to_saved(capsys, given, meant):
    assert main(["query", given]) == 2
    err = capsys.readouterr().err
    assert f"did you mean: zhongyuan-kg query --saved {meant}\n" in err
    assert "syntax" not in err


def test_a_word_that_names_no_saved_query_is_still_run_as_sparql(capsys, built: BuildReport):
    assert main(["query", "selectx", "--dist", str(built.dist)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("syntax error:") and "did you mean" not in err
