"""CORS: any origin may query the endpoint from a browser (GET, POST, and their preflight)."""

from __future__ import annotations

from flask import Flask, Response, request

EXPOSED = "ETag, Last-Modified, Retry-After, X-Result-Rows, X-Result-Truncated, X-SPARQL-MaxRows"


def _allow(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = (
            "Accept, Content-Type, If-None-Match, If-Modified-Since"
        )
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def register(app: Flask) -> None:
    """Add the CORS headers to every response of the application."""
    app.after_request(_allow)
