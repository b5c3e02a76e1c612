"""The `zhongyuan-kg` command: build the graph, serve it, run saved or ad-hoc queries."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

# Each subcommand lives in the module that does the work (it offers add_arguments(parser, name)
# and run(args)); the CLI only parses and dispatches.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("zhongyuan_kg.graph.build", "Build the ontology and the graph into dist/."),
    "serve": ("zhongyuan_kg.server.serve", "Build if needed, then serve the SPARQL endpoint."),
    "queries": ("zhongyuan_kg.queries.cli", "List the saved queries."),
    "query": ("zhongyuan_kg.queries.cli", "Run a saved query or ad-hoc SPARQL."),
    "load": ("zhongyuan_kg.server.load", "Load dist/ into a remote SPARQL store."),
}


def _module(name: str):
    return importlib.import_module(COMMANDS[name][0])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhongyuan-kg", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (_, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        try:
            add_arguments: Callable[[argparse.ArgumentParser, str], None] = _module(
                name
            ).add_arguments
        except (ImportError, AttributeError):
            # A command whose module is not written yet stays listed but says so when run.
            command.set_defaults(unavailable=True)
            continue
        add_arguments(command, name)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "unavailable", False):
        print(f"zhongyuan-kg {args.command}: not available in this version", file=sys.stderr)
        return 2
    return int(_module(args.command).run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
