"""Where the project's files are: source data beside each package folder, built output in dist/."""

import os
from importlib.resources import files
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent


def _folder(package: str) -> Path:
    # The folders are mapped under zhongyuan_kg (see pyproject.toml); ask the import system
    # where each one is so that editable and wheel installs both work.
    return Path(str(files(package)))


ONTOLOGY_DIR = _folder("zhongyuan_kg.ontology")
GRAPH_DIR = _folder("zhongyuan_kg.graph")
SERVER_DIR = _folder("zhongyuan_kg.server")
QUERIES_DIR = _folder("zhongyuan_kg.queries")
PLAN_TEXT = GRAPH_DIR / "source" / "plan.md"
RECORDS_DIR = GRAPH_DIR / "data"


def project_root() -> Path:
    """The repository for an editable install, else the working directory."""
    repo = PACKAGE_ROOT.parent
    return repo if (repo / "pyproject.toml").exists() else Path.cwd()


def dist_dir() -> Path:
    """The folder the build writes and the server reads (ZHONGYUAN_KG_DIST overrides it)."""
    return Path(os.environ.get("ZHONGYUAN_KG_DIST", project_root() / "dist"))
