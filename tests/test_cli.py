"""The command line lists every subcommand the README promises."""

import subprocess
import sys


def test_help_lists_subcommands():
    out = subprocess.run(
        [sys.executable, "-m", "zhongyuan_kg.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for command in ("build", "serve", "queries", "query", "load"):
        assert command in out
