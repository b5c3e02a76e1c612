"""Validators from the graph's build (`build.json`): ETag and Last-Modified, and 304 answers."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Request, Response


@dataclass(frozen=True)
class BuildInfo:
    """Which build of the graph is served, and when it was made."""

    build_id: str
    last_modified: datetime
    record: dict[str, Any] = field(default_factory=dict, compare=False)  # build.json, for pages

    @classmethod
    def read(cls, dataset: Path) -> BuildInfo:
        """From `build.json` beside the dataset file, else from the dataset file itself."""
        record = dataset.parent / "build.json"
        source = record if record.exists() else dataset
        if not source.exists():
            return cls("unbuilt", datetime.fromtimestamp(0, UTC))
        stat = source.stat()
        content = source.read_bytes() if source is record else b""
        digest = hashlib.sha256(content)
        digest.update(f"{dataset.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        modified = datetime.fromtimestamp(int(stat.st_mtime), UTC)
        return cls(digest.hexdigest()[:16], modified, json.loads(content) if content else {})

    def etag(self, *parts: object) -> str:
        """An entity tag for a response made from this build and the given request parts."""
        digest = hashlib.sha256(self.build_id.encode())
        for part in parts:
            digest.update(b"\x00" + repr(part).encode())
        return digest.hexdigest()[:24]


def not_modified(request: Request, build: BuildInfo, etag: str) -> bool:
    """Whether a GET or HEAD may be answered 304 (If-None-Match wins over If-Modified-Since)."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    return since is not None and since >= build.last_modified


def stamp(response: Response, build: BuildInfo, etag: str) -> Response:
    """Give a response its validators; the body differs only in blank node labels, so weak."""
    response.set_etag(etag, weak=True)
    response.last_modified = build.last_modified
    response.vary.add("Accept")
    return response


def not_modified_response(build: BuildInfo, etag: str) -> Response:
    """An empty 304 carrying the validators."""
    return stamp(Response(status=304), build, etag)
