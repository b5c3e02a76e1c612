"""One evaluation, as an evaluator process runs it: a job in, an answer or a failure out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib.term import Identifier

from .store import Dataset, QuerySyntaxError, Store, StoreFailure


@dataclass(frozen=True)
class Job:
    """A query the policy accepted, with the format to answer in and the row cap."""

    query: str
    dataset: Dataset
    format_name: str
    max_rows: int
    bindings: Mapping[str, Identifier] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    """A serialised result."""

    body: bytes
    media_type: str
    rows: int
    truncated: bool


@dataclass(frozen=True)
class Failure:
    """Why a job produced no answer, as the HTTP layer will report it."""

    status: int
    code: str
    message: str
    line: int | None = None
    column: int | None = None


def evaluate(store: Store, job: Job) -> Answer | Failure:
    """Run a job; a parser or engine error becomes a Failure instead of an exception."""
    try:
        result = store.query(job.query, job.dataset, job.bindings)
        out = store.serialize(result, job.format_name, job.max_rows)
    except QuerySyntaxError as error:
        return Failure(400, "syntax-error", error.message, error.line, error.column)
    except StoreFailure as error:  # a remote store down, slow or garbled: 502/504
        return Failure(error.status, error.code, error.message)
    except (MemoryError, RecursionError):
        return Failure(400, "too-complex", "query rejected: too complex")
    except Exception as error:  # an engine error (type, overflow…) is the query's, not ours
        return Failure(400, "evaluation-error", f"{type(error).__name__}: {error}")
    return Answer(out.body, out.media_type, out.rows, out.truncated)
