"""The `queries` and `query` commands: list the saved queries, run one or run ad-hoc SPARQL."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from pathlib import Path

from zhongyuan_kg.queries.catalog import NAME_PATTERN, load_catalog
from zhongyuan_kg.queries.local import NO_ROW_CAP, load
from zhongyuan_kg.queries.params import ParamError
from zhongyuan_kg.queries.prepare import UnknownQuery, find, prepare
from zhongyuan_kg.queries.table import render_table
from zhongyuan_kg.server.analysis import analyse
from zhongyuan_kg.server.formats import FORM_FORMATS
from zhongyuan_kg.server.store import QuerySyntaxError

TABLE = "table"
FORMATS = (TABLE, "json", "xml", "csv", "tsv", "ttl", "nt", "jsonld", "rdfxml", "trig", "nq")


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """The options of `zhongyuan-kg queries` and `zhongyuan-kg query`."""
    if name == "queries":
        parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="title language")
        return
    parser.add_argument("sparql", nargs="?", help="ad-hoc SPARQL (or - to read it from stdin)")
    parser.add_argument("--saved", metavar="NAME", help="run the saved query of this name")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a saved-query parameter; repeat it for several values",
    )
    parser.add_argument("--format", choices=FORMATS, help="result format (default: a text table)")
    parser.add_argument("--limit", type=int, help="at most this many rows")
    parser.add_argument("--offset", type=int, help="skip this many rows first")
    parser.add_argument(
        "--dist", type=Path, help="the built graph (default: dist/, built if needed)"
    )


def run(args: argparse.Namespace) -> int:
    """List the catalog, or run one query and print its result; 0 on success."""
    if args.command == "queries":
        return _list(args.lang)
    if bool(args.saved) == bool(args.sparql):
        print("give either --saved NAME or a SPARQL query", file=sys.stderr)
        return 2
    if args.sparql and (names := _saved_names_meant(args.sparql)):
        for name in names:
            print(f"did you mean: zhongyuan-kg query --saved {name}", file=sys.stderr)
        return 2
    try:
        text, max_rows = _saved_text(args) if args.saved else _adhoc_text(args)
    except (UnknownQuery, ParamError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        for value in getattr(error, "allowed", [])[:50]:
            print(f"  {value}", file=sys.stderr)
        return 2
    return _print_result(text, args.format, args.dist, max_rows)


def _list(lang: str) -> int:
    for query in load_catalog().values():
        print(f"{query.name}\t{query.title[lang]}")
    return 0


def _saved_names_meant(text: str) -> list[str]:
    """The saved queries a one-word "SPARQL" text names (exactly, else closely), else none."""
    word = text.strip()
    if not NAME_PATTERN.match(word):
        return []  # SPARQL always has spaces or braces; a name never does
    catalog = load_catalog()
    return [word] if word in catalog else difflib.get_close_matches(word, list(catalog), n=3)


def _given(pairs: Sequence[str]) -> dict[str, list[str]]:
    given: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"--param {pair!r}: write NAME=VALUE")
        given.setdefault(name.strip(), []).append(value)
    return given


def _paging(args: argparse.Namespace) -> dict[str, list[str]]:
    return {
        name: [str(value)]
        for name, value in (("limit", args.limit), ("offset", args.offset))
        if value is not None
    }


def _saved_text(args: argparse.Namespace) -> tuple[str, int]:
    query = find(load_catalog(), args.saved)
    graph = load(args.dist)
    given = {**_given(args.param), **_paging(args)}
    prepared = prepare(query, given, graph.candidates, graph.base)
    return prepared.sparql, prepared.page.limit if prepared.page else NO_ROW_CAP


def _adhoc_text(args: argparse.Namespace) -> tuple[str, int]:
    text = sys.stdin.read() if args.sparql == "-" else args.sparql
    if args.param:
        raise ValueError("--param is for saved queries")
    shape = analyse(text)
    if shape.update_keyword is not None:
        raise ValueError("the store is read-only: updates are not run")
    if shape.service is not None:
        raise ValueError("SERVICE is not run: the command never fetches from the network")
    if args.limit is not None or args.offset is not None:
        text = f"{text.rstrip()}\nLIMIT {args.limit or NO_ROW_CAP}\nOFFSET {args.offset or 0}\n"
    return text, NO_ROW_CAP


def _print_result(text: str, format_name: str | None, dist: Path | None, max_rows: int) -> int:
    shape = analyse(text)
    offered = FORM_FORMATS.get(shape.form or "SELECT", FORM_FORMATS["SELECT"])
    wanted = format_name or (TABLE if shape.form == "SELECT" else offered[0])
    if wanted != TABLE and wanted not in offered:
        print(f"error: a {shape.form} query answers in {', '.join(offered)}", file=sys.stderr)
        return 2
    graph = load(dist)
    try:
        result = graph.run(text, "json" if wanted == TABLE else wanted, max_rows)
    except QuerySyntaxError as error:
        print(f"syntax error: {error.message}", file=sys.stderr)
        return 1
    if wanted == TABLE:
        sys.stdout.write(render_table(result.body, graph.base))
    else:
        sys.stdout.buffer.write(result.body)
        sys.stdout.flush()
    return 0
