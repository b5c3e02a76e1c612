"""SPARQL JSON results as a plain-text table for the terminal."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from zhongyuan_kg.namespaces import PREFIXES


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _short(cell: dict[str, Any] | None, base: str) -> str:
    if cell is None:
        return ""
    value = str(cell["value"])
    if cell["type"] != "uri":
        return " ".join(value.split())
    if value.startswith(base):
        return value[len(base) :]
    for prefix, namespace in PREFIXES.items():
        if value.startswith(namespace):
            return f"{prefix}:{value[len(namespace) :]}"
    return f"<{value}>"


def render_table(body: bytes, base: str) -> str:
    """A header line and one aligned line per row; IRIs shortened to ids and prefixed names."""
    document = json.loads(body)
    if "boolean" in document:
        return f"{str(document['boolean']).lower()}\n"
    names = document["head"]["vars"]
    rows = [
        [_short(row.get(name), base) for name in names] for row in document["results"]["bindings"]
    ]
    widths = [
        max([_width(name), *(_width(row[i]) for row in rows)]) for i, name in enumerate(names)
    ]
    lines = [[_pad(name, width) for name, width in zip(names, widths, strict=True)]]
    lines += [[_pad(cell, width) for cell, width in zip(row, widths, strict=True)] for row in rows]
    return "".join("  ".join(line).rstrip() + "\n" for line in lines) + f"({len(rows)} rows)\n"
