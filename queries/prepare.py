"""Turn a request for a saved query (name and raw parameters) into the SPARQL text to run."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from zhongyuan_kg.namespaces import DEFAULT_BASE
from zhongyuan_kg.queries.catalog import RESERVED_PARAMS, SavedQuery
from zhongyuan_kg.queries.paging import Page, read_page
from zhongyuan_kg.queries.params import CandidateSource, bind, resolve


class UnknownQuery(LookupError):
    """No saved query has this name; carries the closest names."""

    def __init__(self, name: str, close: Sequence[str]) -> None:
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        super().__init__(f"no saved query named {name!r}{hint}")
        self.close = list(close)


@dataclass(frozen=True)
class Prepared:
    """A saved query ready to run: its bound text and the page asked for."""

    query: SavedQuery
    sparql: str
    page: Page | None


def find(catalog: Mapping[str, SavedQuery], name: str) -> SavedQuery:
    """The saved query of that name; the name is only ever a key, never a path."""
    if name in catalog:
        return catalog[name]
    raise UnknownQuery(name[:100], difflib.get_close_matches(name, list(catalog), n=5, cutoff=0.5))


def prepare(
    query: SavedQuery,
    given: Mapping[str, Sequence[str]],
    source: CandidateSource,
    base: str = DEFAULT_BASE,
) -> Prepared:
    """Validate the parameters, bind them as RDF terms and apply the page; raises ParamError."""
    page = read_page(given)
    declared = {name: values for name, values in given.items() if name not in RESERVED_PARAMS}
    text = bind(query, resolve(query, declared, source, base))
    return Prepared(query, page.apply(text) if page else text, page)
