"""The build manifest (dist/build.json): inputs, time, engine; and whether dist/ is stale."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from zhongyuan_kg import __version__
from zhongyuan_kg.paths import GRAPH_DIR, ONTOLOGY_DIR, PLAN_TEXT, QUERIES_DIR, RECORDS_DIR

MANIFEST = "build.json"


def input_files(records_dir: Path = RECORDS_DIR, plan: Path = PLAN_TEXT) -> list[Path]:
    """Every file whose content decides the build: text, records, ontology, queries, builder."""
    groups: Iterable[Iterable[Path]] = (
        [plan],
        sorted(records_dir.glob("*.yaml")),
        sorted(ONTOLOGY_DIR.rglob("*.ttl")),
        sorted(ONTOLOGY_DIR.glob("*.py")),
        sorted(QUERIES_DIR.glob("*.rq")),
        # The builder's own code: a changed builder makes an old dist/ stale too.
        sorted(GRAPH_DIR.glob("*.py")),
    )
    return [path for group in groups for path in group]


def input_digest(records_dir: Path = RECORDS_DIR, plan: Path = PLAN_TEXT) -> str:
    """sha256 over the names and contents of the input files (and the package version)."""
    digest = hashlib.sha256(__version__.encode())
    for path in input_files(records_dir, plan):
        digest.update(path.name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def write(dist: Path, content: dict[str, Any]) -> Path:
    """Write build.json into a dist directory."""
    path = dist / MANIFEST
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return path


def read(dist: Path) -> dict[str, Any] | None:
    """The manifest of a dist directory, or None if there is none (or it is unreadable)."""
    try:
        content = json.loads((dist / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return content if isinstance(content, dict) else None


def is_stale(
    dist: Path, records_dir: Path = RECORDS_DIR, plan: Path = PLAN_TEXT, base: str | None = None
) -> bool:
    """True if dist/ is missing, was built from other inputs, or (if given) for another base."""
    manifest = read(dist)
    if manifest is None:
        return True
    if base is not None and manifest.get("base") != base:
        return True
    return manifest.get("digest") != input_digest(records_dir, plan)
