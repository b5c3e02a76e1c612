"""Plain queries answered before Flask: the same policy, evaluators and headers, less overhead.

A `/sparql` request that carries a query and nothing else (a GET with only `?query=…`, a POST of
a form with only `query`, or a POST of a query text) and no validators is checked, negotiated
and evaluated here by the functions `/sparql` uses (`Policy.prepare`, `negotiate`, `Policy.run`).
What Flask adds around an answer (CORS, security headers, validators) depends only on the
request's shape, so the first answer of each shape is sent by Flask — handed the outcome
evaluated here, so nothing runs twice — and its headers are kept as that shape's template. Later
answers of the shape fill the template's per-answer headers and skip Flask. Anything else, and
every refusal or failure, is answered by Flask.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

from flask import Flask
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header, quote_etag

from .errors import ApiError
from .evaluate import Answer
from .formats import FORM_FORMATS, NotAcceptable, content_type, negotiate
from .policy import PreparedQuery
from .store import Dataset

EVALUATED = "zhongyuan_kg.evaluated"  # the environ key carrying an outcome to Flask
QUERY_TYPE = "application/sparql-query"
FORM_TYPE = "application/x-www-form-urlencoded"
MAX_TEMPLATES = 256  # request shapes remembered; a shape seen again after eviction is relearnt
_VALIDATORS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_RANGE")

Headers = list[tuple[str, str]]


@dataclass(frozen=True)
class Evaluated:
    """A query checked and run before Flask: what it ran, in which format, and how it ended."""

    text: str
    dataset: Dataset
    format_name: str
    etag: str
    outcome: Answer | ApiError


def take_evaluated(
    environ: dict[str, Any], prepared: PreparedQuery, format_name: str
) -> Answer | None:
    """The answer evaluated before Flask for this very query and format (its error raised).

    None when there is none, or when it was evaluated for another text, dataset or format (the
    protocol route then evaluates itself).
    """
    found: Evaluated | None = environ.pop(EVALUATED, None)
    if found is None or (found.text, found.dataset, found.format_name) != (
        prepared.text,
        prepared.dataset,
        format_name,
    ):
        return None
    if isinstance(found.outcome, ApiError):
        raise found.outcome
    return found.outcome


# What Flask's hooks read of a request besides its method, path and parameters.
_SHAPE = (
    "SCRIPT_NAME",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "wsgi.url_scheme",
    "HTTP_ACCEPT",
    "CONTENT_TYPE",
    "HTTP_COOKIE",  # the language cookie may change headers
)


def request_shape(environ: dict[str, Any]) -> tuple[Any, ...]:
    """The parts of a request, other than its method, path and parameters, an answer's headers
    may depend on."""
    return tuple(environ.get(name) for name in _SHAPE)


@lru_cache(maxsize=256)
def negotiated(form: str, accept: str | None) -> str | None:
    """The format `/sparql` picks for a query form and an Accept header; None: not acceptable.

    Remembered, because clients send the same few Accept headers again and again.
    """
    try:
        return negotiate(FORM_FORMATS[form], [], parse_accept_header(accept, MIMEAccept))
    except NotAcceptable:
        return None


def plain_query(environ: dict[str, Any], method: str, body: bytes) -> str | None:
    """The query of a request carrying only a query and no validators; None for any other."""
    if any(name in environ for name in _VALIDATORS):
        return None  # Flask may answer 304 without evaluating
    if method == "GET":
        try:
            string = environ.get("QUERY_STRING", "").encode("latin-1").decode()
        except UnicodeError:
            return None
        # As Werkzeug parses request.args.
        pairs = parse_qsl(string, keep_blank_values=True, errors="werkzeug.url_quote")
    elif method == "POST" and not environ.get("QUERY_STRING"):
        kind = environ.get("CONTENT_TYPE", "")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if kind == QUERY_TYPE:
            return text
        if kind != FORM_TYPE:
            return None
        pairs = parse_qsl(text, keep_blank_values=True)  # as protocol.read_request does
    else:
        return None
    if len(pairs) != 1 or pairs[0][0] != "query":
        return None
    return pairs[0][1]


class EarlyAnswers:
    """Evaluates plain queries and answers them from header templates learnt from Flask."""

    def __init__(self, app: Flask) -> None:
        found = app.extensions["zhongyuan_kg"]
        self.policy, self.build = found.policy, found.build
        self._templates: OrderedDict[Hashable, Headers] = OrderedDict()
        self._lock = threading.Lock()

    def evaluate(self, environ: dict[str, Any], query: str) -> Evaluated | None:
        """Check, negotiate and run a query as `/sparql` does; None if Flask should refuse it."""
        try:
            prepared = self.policy.prepare(query)
        except ApiError:
            return None  # Flask finds the same refusal (static, cheap) and renders it
        format_name = negotiated(prepared.form, environ.get("HTTP_ACCEPT"))
        if format_name is None:
            return None
        etag = self.build.etag(prepared.text, prepared.dataset, format_name, [])
        outcome: Answer | ApiError
        try:
            outcome = self.policy.run(prepared, format_name)
        except ApiError as error:
            outcome = error
        return Evaluated(prepared.text, prepared.dataset, format_name, etag, outcome)

    def respond(self, environ: dict[str, Any], evaluated: Evaluated) -> Headers | None:
        """The headers Flask would send with this answer (no request id); None if unknown yet."""
        answer = evaluated.outcome
        if not isinstance(answer, Answer):
            return None
        shape = self._shape(environ, evaluated.format_name, answer)
        with self._lock:
            template = self._templates.get(shape)
            if template is None:
                return None
            self._templates.move_to_end(shape)
        values = {
            "content-type": content_type(evaluated.format_name),
            "content-length": str(len(answer.body)),
            "etag": quote_etag(evaluated.etag, weak=True),
            "x-result-rows": str(answer.rows),
        }
        return [(name, values.get(name.lower(), value)) for name, value in template]

    def learn(self, environ: dict[str, Any], evaluated: Evaluated, headers: Headers) -> None:
        """Keep the headers Flask sent with an evaluated answer as its shape's template."""
        answer = evaluated.outcome
        if not isinstance(answer, Answer):
            return
        if any(name.lower() == "set-cookie" for name, _ in headers):
            return  # set for this one request: never to be sent again
        template = [(name, value) for name, value in headers if name.lower() != "x-request-id"]
        shape = self._shape(environ, evaluated.format_name, answer)
        with self._lock:
            self._templates[shape] = template
            self._templates.move_to_end(shape)
            while len(self._templates) > MAX_TEMPLATES:
                self._templates.popitem(last=False)

    @staticmethod
    def _shape(environ: dict[str, Any], format_name: str, answer: Answer) -> Hashable:
        return (
            environ.get("REQUEST_METHOD"),
            *request_shape(environ),
            environ.get("HTTP_ORIGIN"),
            format_name,
            answer.truncated,
        )

    def __len__(self) -> int:
        return len(self._templates)
