"""Shared fixtures: the full build of the real records, made once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zhongyuan_kg.graph.build import BuildReport, build
from zhongyuan_kg.paths import RECORDS_DIR


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """One full build (reasoning and SHACL included) of the project's records into a temp dist/."""
    return build(tmp_path_factory.mktemp("built") / "dist", log=lambda _: None)


@pytest.fixture
def records_copy(tmp_path: Path) -> Path:
    """A private copy of graph/data/ that a test may break."""
    return Path(shutil.copytree(RECORDS_DIR, tmp_path / "data"))
