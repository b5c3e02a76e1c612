"""The closed set of values a parameter takes, as listings and the OpenAPI document show them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from zhongyuan_kg.namespaces import PREFIXES
from zhongyuan_kg.queries.catalog import Param
from zhongyuan_kg.queries.params import CandidateSource, normalise

MAX_CLOSED = 200  # a class with more instances is an open set: its values are not enumerated


@dataclass(frozen=True)
class Allowed:
    """One allowed value: its IRI, the short form a user may type, and its labels."""

    iri: str
    short: str  # the id path under the base, or a prefixed name
    labels: tuple[str, ...]

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every string that selects this value."""
        return tuple(dict.fromkeys((self.iri, self.short, *self.labels)))

    def as_dict(self) -> dict[str, object]:
        return {"iri": self.iri, "id": self.short, "labels": list(self.labels)}


def short_form(iri: str, base: str) -> str:
    """An instance IRI as its id path, a vocabulary IRI as a prefixed name."""
    if iri.startswith(base):
        return iri[len(base) :]
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def allowed_values(param: Param, source: CandidateSource, base: str) -> list[Allowed] | None:
    """The values of an IRI parameter if they are a closed set of at most MAX_CLOSED, else None."""
    if param.type != "iri":
        return None
    candidates = source.candidates(param)
    if len(candidates) > MAX_CLOSED:
        return None
    # A label two values share selects neither of them, so it is not offered as a spelling.
    uses = Counter(normalise(label) for c in candidates for label in set(c.labels))
    return [
        Allowed(
            c.iri,
            short_form(c.iri, base),
            tuple(label for label in c.labels if uses[normalise(label)] == 1),
        )
        for c in candidates
    ]
