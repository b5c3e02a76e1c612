"""Check that every record's quote is verbatim in exactly one passage of the plan text.

Usage: `python -m zhongyuan_kg.graph.check [files…]` (default: every file in graph/data/);
`--all` also runs every other record check of the build (terms, ids, links, labels, places).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import yaml

from zhongyuan_kg.graph import records, text
from zhongyuan_kg.graph.quotes import QuoteError, locate, parse_quote, quote_items
from zhongyuan_kg.graph.terms import load_terms
from zhongyuan_kg.paths import PLAN_TEXT, RECORDS_DIR


def quote_problems(path: Path, document: text.Document) -> Iterator[str]:
    """One line per problem in a records file: `file: record id: problem`."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        yield f"{path}: -: not valid YAML: {error}"
        return
    records = content.get("records") if isinstance(content, dict) else None
    if not isinstance(records, list):
        yield f"{path}: -: needs a top-level `records:` list"
        return
    for index, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            yield f"{path}: #{index}: a record is a mapping, not {type(record).__name__}"
            continue
        record_id = record.get("id", f"#{index}")
        for item in quote_items(record):
            try:
                locate(document, parse_quote(item))
            except QuoteError as error:
                yield f"{path}: {record_id}: {error}"


def full_check(directory: Path, document: text.Document) -> int:
    """Run the build's record validation on a whole directory; print each problem."""
    try:
        entities = records.load_and_validate(directory, load_terms(), document)
    except records.InvalidRecords as error:
        for problem in error.errors:
            print(problem)
        print(f"{len(error.errors)} record problem(s)", file=sys.stderr)
        return 1
    print(f"{len(entities)} entities, no problems", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Print every quote problem of the given files (default: all records); 1 if there are any."""
    parser = argparse.ArgumentParser(prog="python -m zhongyuan_kg.graph.check", description=__doc__)
    parser.add_argument(
        "files", nargs="*", type=Path, help="records files (default: graph/data/*.yaml)"
    )
    parser.add_argument("--plan", type=Path, default=PLAN_TEXT, help="the plan text")
    parser.add_argument(
        "--all", action="store_true", help="run every record check of the build on graph/data/"
    )
    args = parser.parse_args(argv)
    document = text.load(args.plan)
    if args.all:
        return full_check(RECORDS_DIR, document)
    files = args.files or sorted(RECORDS_DIR.glob("*.yaml"))
    problems = [problem for path in files for problem in quote_problems(path, document)]
    for problem in problems:
        print(problem)
    checked = len(files)
    print(f"{checked} file(s) checked, {len(problems)} quote problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
