"""The SPARQL 1.1 Protocol at `/sparql`: query by GET or POST, answers negotiated by format.

`sparql_response(query, bindings)` runs any query string through the same policy, evaluators and
negotiation, for other blueprints (saved queries) to answer exactly like `/sparql`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from flask import Blueprint, Response, request
from rdflib.term import Identifier

from .app import endpoint
from .cache import remember, replay, request_key, response_cache
from .conditional import not_modified, not_modified_response, stamp
from .description import describe_service
from .early_answer import take_evaluated
from .errors import ApiError, error_response
from .formats import FORM_FORMATS, NotAcceptable, content_type, negotiate
from .policy import read_only

bp = Blueprint("sparql", __name__)

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"
_FALSE = ("false", "0", "no", "off")
_TRUE = ("true", "1", "yes", "on")


@dataclass
class ProtocolRequest:
    """The protocol's parameters, from the URL and a form or query body together."""

    queries: list[str] = field(default_factory=list)
    updates: list[str] = field(default_factory=list)
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    inference: bool | None = None

    def add(self, name: str, value: str) -> None:
        """Take one parameter; names the protocol does not define are ignored."""
        if name == "query":
            self.queries.append(value)
        elif name == "update":
            self.updates.append(value)
        elif name == "default-graph-uri":
            self.default_graphs.append(value)
        elif name == "named-graph-uri":
            self.named_graphs.append(value)
        elif name == "format":
            self.formats.append(value)
        elif name == "inference":
            self.inference = _flag(value)


def _flag(value: str) -> bool:
    if value.strip().lower() in _FALSE:
        return False
    if value.strip().lower() in _TRUE:
        return True
    raise ApiError(400, "bad-parameter", f"inference must be true or false, not {value!r}")


def read_request() -> ProtocolRequest:
    """Collect the protocol parameters of the current request, refusing malformed ones."""
    params = ProtocolRequest()
    for name, value in request.args.items(multi=True):
        params.add(name, value)
    if request.method != "POST":
        return params
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if request.mimetype == UPDATE_TYPE:
        raise read_only()
    if request.mimetype not in (QUERY_TYPE, FORM_TYPE):
        raise ApiError(
            415,
            "unsupported-media-type",
            f"POST a query as {FORM_TYPE} or {QUERY_TYPE}, not {request.mimetype or 'untyped'}",
        )
    if charset not in ("utf-8", "utf8"):
        raise ApiError(415, "unsupported-charset", f"queries are UTF-8, not {charset}")
    try:
        body = endpoint().policy.read_body(request.stream).decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "bad-encoding", "the request body is not valid UTF-8") from None
    if request.mimetype == QUERY_TYPE:
        params.queries.append(body)
    else:
        for name, value in parse_qsl(body, keep_blank_values=True):
            params.add(name, value)
    return params


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    """The endpoint: a query gets its answer; a GET without one gets the service description."""
    params = read_request()
    query = endpoint().policy.single_query(params.queries, params.updates)
    if query is None:
        if request.method == "POST":
            raise ApiError(400, "no-query", "no query: send query=… or a query body")
        return describe_service()
    return answer(query, params)


def answer(
    query: str, params: ProtocolRequest, bindings: Mapping[str, Identifier] | None = None
) -> Response:
    """Check, negotiate, evaluate and package one query (errors are raised as ApiError)."""
    found = endpoint()
    # The graph is read-only: a request seen before is answered from the cache, unchecked again.
    cache = response_cache()
    accept = request.headers.get("Accept", "")
    key = request_key(found.build.build_id, query, params, accept, bindings)
    hit = cache.get(key) if cache.max_bytes > 0 else None
    if hit is not None:
        if not_modified(request, found.build, hit.etag):
            return not_modified_response(found.build, hit.etag)
        return stamp(replay(hit), found.build, hit.etag)
    prepared = found.policy.prepare(
        query,
        default_graph_uris=params.default_graphs,
        named_graph_uris=params.named_graphs,
        inference=params.inference,
    )
    try:
        format_name = negotiate(
            FORM_FORMATS[prepared.form], params.formats, request.accept_mimetypes
        )
    except NotAcceptable as error:
        raise ApiError(
            406,
            "not-acceptable",
            f"a {prepared.form} result can be sent as: {', '.join(error.offered)}",
        ) from None
    bound = sorted((name, term.n3()) for name, term in (bindings or {}).items())
    etag = found.build.etag(prepared.text, prepared.dataset, format_name, bound)
    if not_modified(request, found.build, etag):
        return not_modified_response(found.build, etag)
    # A plain query may have been evaluated before Flask (early_answer.py): not run twice.
    result = None if bindings else take_evaluated(request.environ, prepared, format_name)
    if result is None:
        result = found.policy.run(prepared, format_name, bindings)
    response = Response(result.body, content_type=content_type(format_name))
    response.headers["X-Result-Rows"] = str(result.rows)
    if result.truncated:
        response.headers["X-Result-Truncated"] = "true"
        response.headers["X-SPARQL-MaxRows"] = str(found.settings["max_rows"])
    remember(cache, key, response, etag)
    return stamp(response, found.build, etag)


def sparql_response(query: str, bindings: Mapping[str, Identifier] | None = None) -> Response:
    """Answer a query string with initial bindings exactly as `/sparql` would, errors included.

    The dataset (`default-graph-uri`, `named-graph-uri`, `inference`) and the format (`format`,
    Accept) come from the current request; bindings are typed RDF terms joined as a VALUES
    block at the start of the query's WHERE clause.
    """
    params = ProtocolRequest()
    try:
        for name, value in request.values.items(multi=True):
            if name not in ("query", "update"):
                params.add(name, value)
        return answer(query, params, bindings)
    except ApiError as error:
        return error_response(error)
