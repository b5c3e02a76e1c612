"""The policy: the one layer between the routes and the store, deciding what may run and how.

Read-only (no update is ever executed), no outbound access (no SERVICE, no FROM or dataset IRI
outside the project's graphs), static limits checked before any engine sees the text (size,
nesting, BIND/UNION/VALUES counts), then evaluation in a supervised process with a time limit,
a concurrency cap and a result-size cap.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

from rdflib.term import Identifier

from ..namespaces import GRAPH_FACTS, GRAPH_INFERENCES, GRAPH_ONTOLOGY, GRAPH_PROVENANCE, PREFIXES
from .analysis import QueryShape, analyse
from .errors import ApiError, body_too_large
from .evaluate import Answer, Failure, Job
from .lexer import CODEPOINT_ESCAPE, LexError, decode_escapes, position
from .pool import Busy, Crashed, EvaluatorPool, TimedOut, Unavailable
from .rewrite import rewrite, values_block
from .store import STORE_DEFAULT_GRAPH, Dataset

BASE_GRAPHS = (STORE_DEFAULT_GRAPH, str(GRAPH_FACTS), str(GRAPH_ONTOLOGY), str(GRAPH_PROVENANCE))
_READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class PreparedQuery:
    """A query the policy accepted: the text an engine runs, its form, and its dataset."""

    text: str
    form: str
    dataset: Dataset


def too_complex(reason: str) -> ApiError:
    """The refusal of a query that would cost the engine too much."""
    return ApiError(400, "too-complex", f"query rejected: too complex ({reason})")


class Policy:
    """The rules of the endpoint, configured from the settings and run against one pool."""

    def __init__(self, settings: Mapping[str, Any], pool: EvaluatorPool) -> None:
        self.settings, self.pool = settings, pool
        self.graph_namespace: str = settings["graph_namespace"]

    def read_body(self, stream: IO[bytes]) -> bytes:
        """Read a request body, refusing (413) one longer than max_body even if sent chunked."""
        limit = self.settings["max_body"]
        chunks, size = [], 0
        while chunk := stream.read(_READ_CHUNK):
            size += len(chunk)
            if size > limit:
                raise body_too_large(limit)
            chunks.append(chunk)
        return b"".join(chunks)

    def single_query(self, queries: list[str], updates: list[str]) -> str | None:
        """The one query of a request; updates are refused (403), two operations are an error."""
        if queries and updates:
            raise ApiError(
                400, "query-and-update", "a request carries a query or an update, not both"
            )
        if updates:
            raise read_only()
        if len(queries) > 1:
            raise ApiError(400, "several-queries", "a request carries exactly one query")
        return queries[0] if queries else None

    def prepare(
        self,
        query: str,
        *,
        default_graph_uris: list[str] | None = None,
        named_graph_uris: list[str] | None = None,
        inference: bool | None = None,
    ) -> PreparedQuery:
        """Check a query text statically and fix its dataset, or refuse it with the reason."""
        shape = self._shape(query)
        if shape.glued is not None:
            line, column = position(shape.text, shape.glued.start)
            raise ApiError(
                400,
                "ambiguous-keyword",
                f"`{shape.glued.text}` begins with a keyword that the engine would read on its "
                "own (SERVICE, FROM or an update keyword): separate it with a space, or rename "
                "the prefix",
                line=line,
                column=column,
            )
        if shape.update_keyword is not None:
            raise read_only()
        if shape.service is not None:
            line, column = position(shape.text, shape.service.start)
            raise ApiError(
                400,
                "outbound-refused",
                "SERVICE is not allowed: this endpoint never contacts other servers",
                line=line,
                column=column,
            )
        self._check_sizes(shape)
        if shape.form is None:
            body = shape.body_index
            at = shape.tokens[body] if body < len(shape.tokens) else None
            line, column = position(shape.text, at.start if at else len(shape.text))
            raise ApiError(
                400,
                "syntax-error",
                "expected SELECT, CONSTRUCT, DESCRIBE or ASK",
                line=line,
                column=column,
            )
        dataset = self._dataset(shape, default_graph_uris or [], named_graph_uris or [], inference)
        return PreparedQuery(rewrite(shape), shape.form, dataset)

    def _shape(self, query: str) -> QueryShape:
        limit = self.settings["max_query_length"]
        if len(query) > limit:
            raise too_complex(f"{len(query)} characters, at most {limit}")
        text = decode_escapes(query)
        if CODEPOINT_ESCAPE.search(text):
            # Decoding twice could make new keywords appear: `\u005Cu0053ERVICE`.
            raise ApiError(400, "syntax-error", "a codepoint escape produces another escape")
        try:
            return analyse(text, PREFIXES, self.settings["base_iri"])
        except LexError as error:
            raise ApiError(
                400, "syntax-error", error.message, line=error.line, column=error.column
            ) from None

    def _check_sizes(self, shape: QueryShape) -> None:
        limits = (
            ("nesting depth", shape.depth, self.settings["max_depth"]),
            ("BIND clauses", shape.words["BIND"], self.settings["max_binds"]),
            ("UNION keywords", shape.words["UNION"], self.settings["max_unions"]),
            ("VALUES blocks", shape.words["VALUES"], self.settings["max_values"]),
        )
        for what, count, limit in limits:
            if count > limit:
                raise too_complex(f"{what}: {count}, at most {limit}")

    def _own_graph(self, iri: str | None, clause: str) -> str:
        if iri is None or not iri.startswith(self.graph_namespace):
            shown = f"<{iri}>" if iri is not None else "an unresolvable IRI"
            raise ApiError(
                400,
                "outbound-refused",
                f"{clause} {shown} is not a graph of this dataset: only graphs under "
                f"<{self.graph_namespace}> can be named (nothing is ever fetched)",
            )
        return iri

    def _dataset(
        self,
        shape: QueryShape,
        default_uris: list[str],
        named_uris: list[str],
        inference: bool | None,
    ) -> Dataset:
        for clause in shape.dataset_clauses:
            self._own_graph(clause.iri, "FROM NAMED" if clause.named else "FROM")
        defaults = [self._own_graph(iri, "default-graph-uri") for iri in default_uris]
        named = [self._own_graph(iri, "named-graph-uri") for iri in named_uris]
        if (
            defaults or named
        ):  # the protocol's dataset overrides the query's (SPARQL Protocol §2.1.4)
            return Dataset(tuple(defaults), tuple(named))
        if shape.dataset_clauses:
            clauses = shape.dataset_clauses
            default = tuple(c.iri for c in clauses if not c.named and c.iri)
            return Dataset(default, tuple(c.iri for c in clauses if c.named and c.iri))
        return self.default_dataset(inference)

    def default_dataset(self, inference: bool | None = None) -> Dataset:
        """Facts, ontology, provenance (and inferences unless turned off) as the default graph."""
        with_inferences = self.settings["inference"] if inference is None else inference
        extra = (str(GRAPH_INFERENCES),) if with_inferences else ()
        return Dataset(BASE_GRAPHS + extra)

    def run(
        self,
        prepared: PreparedQuery,
        format_name: str,
        bindings: Mapping[str, Identifier] | None = None,
    ) -> Answer:
        """Evaluate in the pool within the time limit; every way it can fail becomes an ApiError."""
        if bindings:
            try:
                values_block(bindings)
            except ValueError as error:
                raise ApiError(400, "bad-binding", str(error)) from None
        max_rows, timeout = self.settings["max_rows"], self.settings["timeout"]
        job = Job(prepared.text, prepared.dataset, format_name, max_rows, dict(bindings or {}))
        try:
            outcome = self.pool.run(job, timeout)
        except Busy as error:
            retry = str(max(1, math.ceil(timeout / 2)))
            raise ApiError(
                503, "busy", f"server busy: {error}", headers={"Retry-After": retry}
            ) from None
        except TimedOut as error:
            raise ApiError(503, "timeout", str(error)) from None
        except Crashed:
            raise too_complex("the engine could not evaluate it") from None
        except Unavailable as error:
            raise ApiError(503, "unavailable", f"store unavailable: {error}") from None
        if isinstance(outcome, Failure):
            raise ApiError(
                outcome.status,
                outcome.code,
                outcome.message,
                line=outcome.line,
                column=outcome.column,
            )
        return outcome


def read_only() -> ApiError:
    """The refusal of any update."""
    return ApiError(403, "read-only", "this endpoint is read-only: SPARQL Update is not accepted")
