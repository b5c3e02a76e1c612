"""Read the quotes of a record and find the one passage each quote comes from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zhongyuan_kg.graph.text import Document, Passage

QUOTE_KEYS = frozenset({"text", "line"})


@dataclass(frozen=True)
class Quote:
    """One quote of a record: verbatim text, optionally pinned to a source line."""

    text: str
    line: int | None = None


class QuoteError(ValueError):
    """A quote that is malformed or not verbatim in exactly one passage."""


def quote_items(record: dict[str, Any]) -> list[Any]:
    """The raw items a record gives under `quote` (a string, a {text, line} map, or a list)."""
    value = record.get("quote")
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def record_quotes(record: dict[str, Any]) -> list[Quote]:
    """The quotes of a record; raises QuoteError at the first malformed one."""
    return [parse_quote(item) for item in quote_items(record)]


def parse_quote(item: Any) -> Quote:
    """One quote item as a Quote; raises QuoteError unless it is a string or a {text, line} map."""
    if isinstance(item, str):
        return Quote(item)
    if isinstance(item, dict):
        unknown = set(item) - QUOTE_KEYS
        if unknown:
            raise QuoteError(f"quote map has unknown keys {sorted(unknown)} (allowed: text, line)")
        text, line = item.get("text"), item.get("line")
        if not isinstance(text, str):
            raise QuoteError("quote map needs `text` as a string")
        if line is not None and (not isinstance(line, int) or isinstance(line, bool)):
            raise QuoteError(f"quote line must be a line number, not {line!r}")
        return Quote(text, line)
    raise QuoteError(f"a quote is a string or a {{text, line}} map, not {type(item).__name__}")


def locate(document: Document, quote: Quote) -> Passage:
    """The one passage the quote is verbatim in; raises QuoteError saying why there is none."""
    if not quote.text.strip():
        raise QuoteError("empty quote")
    if quote.line is not None:
        passage = document.at_line(quote.line)
        if passage is None:
            raise QuoteError(f"line {quote.line} is not a passage of the plan (blank or heading)")
        if quote.text not in passage.text:
            raise QuoteError(
                f"quote not in the passage on line {quote.line}: «{quote.text}»"
                + _divergence(document, quote.text)
            )
        return passage
    found = document.containing(quote.text)
    if not found:
        raise QuoteError(
            f"quote not in the plan text: «{quote.text}»" + _divergence(document, quote.text)
        )
    if len(found) > 1:
        raise QuoteError(
            f"quote occurs in {len(found)} passages (lines {_lines(found)}): make it longer "
            f"or give {{text: …, line: N}}: «{quote.text}»"
        )
    return found[0]


def _divergence(document: Document, text: str) -> str:
    """Where the longest verbatim prefix of the quote stops, to show the curator the difference."""
    low, high = 0, len(text)
    while low < high:  # binary search: a prefix of a verbatim prefix is verbatim too
        middle = (low + high + 1) // 2
        if document.containing(text[:middle]):
            low = middle
        else:
            high = middle - 1
    if low == 0:
        return ""
    if low == len(text):
        return f" — it is on line(s) {_lines(document.containing(text))}"
    passage = document.containing(text[:low])[0]
    at = passage.text.index(text[:low]) + low
    return (
        f" — verbatim up to «{text[:low]}» (line {passage.line}), where the text goes on "
        f"«{passage.text[at : at + 12]}» but the quote has «{text[low : low + 12]}»"
    )


def _lines(passages: list[Passage], shown: int = 8) -> str:
    lines = ", ".join(str(passage.line) for passage in passages[:shown])
    return lines + (", …" if len(passages) > shown else "")
