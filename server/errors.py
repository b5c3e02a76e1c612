"""Errors in one shape: JSON or plain text by the Accept header, never a stack trace."""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

_JSON_TYPES = ("application/json", "application/sparql-results+json", "application/ld+json")


class ApiError(Exception):
    """An answer other than success: HTTP status, a stable code, a message for people."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.line, self.column = line, column
        self.headers = headers or {}

    def as_dict(self) -> dict[str, object]:
        """The error as the JSON body carries it."""
        body: dict[str, object] = {"status": self.status, "code": self.code}
        body["message"] = self.message
        if self.line is not None:
            body.update(line=self.line, column=self.column)
        return body


def body_too_large(limit: int) -> ApiError:
    """The refusal of a request body over `limit` bytes, declared so or found so while read."""
    return ApiError(413, "body-too-large", f"request body larger than {limit} bytes")


def _wants_json() -> bool:
    # JSON only for a client that names a JSON type and does not prefer text: `*/*` (curl,
    # browsers) gets one readable line.
    named = dict(request.accept_mimetypes)
    json_quality = max((named.get(kind, 0) for kind in _JSON_TYPES), default=0)
    return json_quality > 0 and json_quality >= named.get("text/plain", 0)


def error_response(error: ApiError) -> Response:
    """Render an error as JSON (`{"error": {...}}`) or as one line of text."""
    if _wants_json():
        body, mimetype = (
            json.dumps({"error": error.as_dict()}, ensure_ascii=False),
            "application/json",
        )
    else:
        where = f" (line {error.line}, column {error.column})" if error.line is not None else ""
        body, mimetype = f"{error.status} {error.code}: {error.message}{where}\n", "text/plain"
    response = Response(body, status=error.status, mimetype=mimetype)
    response.headers.update(error.headers)
    return response


def _http_error(error: HTTPException) -> Response:
    code = (error.name or "error").lower().replace(" ", "-")
    methods = getattr(error, "valid_methods", None)
    headers = {"Allow": ", ".join(methods)} if methods else {}
    api_error = ApiError(error.code or 500, code, error.description or code, headers=headers)
    return error_response(api_error)


def _unexpected(error: Exception) -> Response:
    log.exception("unexpected error", exc_info=error)
    return error_response(ApiError(500, "internal-error", "the server failed to answer"))


def register(app: Flask) -> None:
    """Make every error of the application take the one shape."""
    app.register_error_handler(ApiError, error_response)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
