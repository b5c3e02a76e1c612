"""Gunicorn as a library: each worker builds its own app (and evaluator pool) after the fork."""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from .app import EXTENSION, create_app


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """Runs `create_app(settings)` in gunicorn workers (no preloading: the master stays bare)."""

    def __init__(self, settings: dict[str, Any], options: dict[str, Any]) -> None:
        self.settings, self.options = settings, options
        super().__init__()

    def load_config(self) -> None:
        """Hand the options to gunicorn's configuration."""
        for key, value in self.options.items():
            self.cfg.set(key, value)
        if "control_socket_disable" in self.cfg.settings:
            # gunicorn ≥ 25.1 opens a control socket at one fixed path per user; several
            # servers (tests, workers of other projects) would fight over it.
            self.cfg.set("control_socket_disable", True)

    def load(self) -> Flask:
        """Build the app in the worker and load the store before the first request arrives."""
        app = create_app(self.settings)
        app.extensions[EXTENSION].pool.start()
        return app
