"""The application factory: settings in, a Flask app with one blueprint per concern out."""

from __future__ import annotations

import atexit
import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from ..namespaces import PREFIXES
from . import cors, errors, fast_path, security
from .conditional import BuildInfo
from .policy import Policy
from .pool import EvaluatorPool, PoolConfig
from .settings import resolve

# Each module named here offers a Blueprint called `bp`; adding a page is adding a line.
BLUEPRINTS: list[str] = [
    "zhongyuan_kg.server.protocol",
    "zhongyuan_kg.server.description",
    "zhongyuan_kg.server.saved_queries",
    "zhongyuan_kg.server.openapi",
    "zhongyuan_kg.server.pages",
    "zhongyuan_kg.server.linked_data",
    "zhongyuan_kg.server.mapdata",
    "zhongyuan_kg.server.ui",
]
EXTENSION = "zhongyuan_kg"


@dataclass
class Endpoint:
    """What every request handler shares: settings, evaluator pool, policy, build validators."""

    settings: dict[str, Any]
    pool: EvaluatorPool
    policy: Policy
    build: BuildInfo

    def close(self) -> None:
        """Stop the evaluator processes."""
        self.pool.close()


def endpoint() -> Endpoint:
    """The Endpoint of the application handling the current request."""
    return current_app.extensions[EXTENSION]


def create_app(settings: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; evaluators start with the first query (or `endpoint.pool.start()`)."""
    values = resolve(settings)
    app = Flask(__name__)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Chinese labels stay readable
    pool = EvaluatorPool(
        PoolConfig(
            store=values["store"],
            dataset=values["dataset"],
            base_iri=values["base_iri"],
            prefixes=dict(PREFIXES),
            evaluators=values["evaluators"],
            max_concurrent=values["max_concurrent"],
            memory_mb=values["evaluator_memory_mb"],
            isolate_network=values["isolate_network"],
            startup_timeout=values["startup_timeout"],
        )
    )
    app.extensions[EXTENSION] = Endpoint(
        values, pool, Policy(values, pool), BuildInfo.read(values["dataset"])
    )
    atexit.register(pool.close)
    errors.register(app)
    security.register(app)  # request ids, headers, access log, rate limit
    cors.register(app)
    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(name).bp)
    fast_path.install(app)  # repeated query answers are sent before Flask (not with a rate limit)
    return app
