"""The Flask SPARQL 1.1 endpoint, linked-data pages and query UI."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Imported lazily so that the zygote process (`server.zygote`) does not load Flask.
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(name)
