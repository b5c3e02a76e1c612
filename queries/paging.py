"""Paging of saved-query results: reserved parameters, applied as LIMIT/OFFSET, and Link headers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from zhongyuan_kg.queries.params import ParamError

MAX_PAGE_SIZE = 10_000  # the server's row cap bounds any single answer anyway
MAX_OFFSET = 10**9  # bounds the OpenAPI document states too
MAX_PAGE = 10**6
PAGE_PARAMS = ("limit", "offset", "page", "per_page")


@dataclass(frozen=True)
class Page:
    """A slice of the result: at most `limit` rows after skipping `offset`."""

    limit: int
    offset: int = 0

    def apply(self, sparql: str) -> str:
        """The query with this slice as its outermost LIMIT and OFFSET."""
        return f"{sparql.rstrip()}\nLIMIT {self.limit}\nOFFSET {self.offset}\n"

    def links(self, more: bool) -> dict[str, Page]:
        """The pages a response links to: first, prev (if any), next (if the page was full)."""
        found = {"first": Page(self.limit, 0)}
        if self.offset > 0:
            found["prev"] = Page(self.limit, max(0, self.offset - self.limit))
        if more:
            found["next"] = Page(self.limit, self.offset + self.limit)
        return found


def _integer(name: str, values: Sequence[str], lowest: int, highest: int) -> int | None:
    if not values:
        return None
    if len(values) > 1:
        raise ParamError(f"parameter '{name}' takes one value, got {len(values)}")
    text = values[0].strip()
    # ASCII digits only: `¹` and other Unicode digits pass isdigit() but not int(). Too many
    # digits are out of range before int() sees them: past 4,300 it raises (a 500 once).
    digits = text.lstrip("0") or "0"
    if (
        not (text.isascii() and text.isdigit())
        or len(digits) > len(str(highest))
        or not lowest <= int(digits) <= highest
    ):
        raise ParamError(f"parameter '{name}': {values[0]!r} is not an integer {lowest}–{highest}")
    return int(digits)


def read_page(given: Mapping[str, Sequence[str]]) -> Page | None:
    """The page the reserved parameters ask for (None: the whole result); raises ParamError."""
    limit = _integer("limit", given.get("limit", []), 1, MAX_PAGE_SIZE)
    offset = _integer("offset", given.get("offset", []), 0, MAX_OFFSET)
    page = _integer("page", given.get("page", []), 1, MAX_PAGE)
    per_page = _integer("per_page", given.get("per_page", []), 1, MAX_PAGE_SIZE)
    if (limit is not None or offset is not None) and (page is not None or per_page is not None):
        raise ParamError("use either limit/offset or page/per_page, not both", list(PAGE_PARAMS))
    if page is not None or per_page is not None:
        size = per_page or 100
        return Page(size, ((page or 1) - 1) * size)
    if limit is not None or offset is not None:
        return Page(limit or 100, offset or 0)
    return None


def link_header(url: str, params: Sequence[tuple[str, str]], page: Page, more: bool) -> str:
    """An RFC 8288 Link header value for the pages around `page`, keeping the other parameters."""
    kept = [(key, value) for key, value in params if key not in PAGE_PARAMS]
    parts = []
    for rel, target in page.links(more).items():
        query = urlencode([*kept, ("limit", str(target.limit)), ("offset", str(target.offset))])
        parts.append(f'<{url}?{query}>; rel="{rel}"')
    return ", ".join(parts)
