"""Shared fixtures: the full build of the real records, made once per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from zhongyuan_kg.graph.build import BuildReport, build
from zhongyuan_kg.paths import RECORDS_DIR

# Three kinds of test need programs from outside PyPI: a JDK (HermiT), Debian's Chromium and
# Debian's wrk (the benchmark's load generator). CI installs them and runs these tests, and there a
# missing program is a failure. On a fresh machine they are skipped with the reason, so that the
# README's test command works before apt-get.
OUTSIDE_PROGRAMS = {
    "java": (lambda: shutil.which("java") is not None, "a JDK (`java`) for HermiT"),
    "browser": (lambda: Path("/usr/bin/chromium").exists(), "Debian's chromium"),
    "wrk": (lambda: Path("/usr/bin/wrk").exists(), "Debian's wrk (the benchmark's load generator)"),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("CI"):
        return
    for marker, (present, what) in OUTSIDE_PROGRAMS.items():
        if not present():
            skip = pytest.mark.skip(reason=f"needs {what}, not installed here (CI installs it)")
            for item in items:
                if marker in item.keywords:
                    item.add_marker(skip)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """One full build (reasoning and SHACL included) of the project's records into a temp dist/."""
    return build(tmp_path_factory.mktemp("built") / "dist", log=lambda _: None)


@pytest.fixture
def records_copy(tmp_path: Path) -> Path:
    """A private copy of graph/data/ that a test may break."""
    return Path(shutil.copytree(RECORDS_DIR, tmp_path / "data"))
