"""A bounded memo of what recently seen query prologues settle, shared by request threads."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from .lexer import Token


@dataclass(frozen=True)
class Prologue:
    """What a query's leading BASE and PREFIX declarations settle, read once from their tokens.

    `prefixes` and `words` are shared by every query that starts with the same declarations:
    readers copy them, never change them.
    """

    text: str  # from the start of the query to the `>` of the last declaration's IRI
    tokens: tuple[Token, ...]
    base: str | None
    prefixes: Mapping[str, str]
    glued: Token | None  # the first prefix name that begins with a guarded keyword
    words: Mapping[str, int]  # the keywords among the declarations (BASE, PREFIX), counted


class _Entry:
    """A remembered prologue, the context it was read in, and when it last served."""

    __slots__ = ("base", "predeclared", "prologue", "used")

    def __init__(
        self, prologue: Prologue, base: str | None, predeclared: dict[str, str], used: int
    ) -> None:
        self.prologue, self.base, self.predeclared, self.used = prologue, base, predeclared, used


class PrologueMemo:
    """The prologues of recent queries by their exact text: the longest one a query starts with.

    A prologue ends with the `>` of an IRI, which no longer token can extend, and has no
    brackets, so its tokens and meaning are the same whatever follows: a query that starts
    with a remembered prologue is read from its end. What a prologue means also depends on
    the base and prefixes declared before it (the settings), so those are part of the key.

    Readers take the current tuple of entries without a lock (a writer replaces the tuple,
    never changes it), and mark an entry used with a counter; the least recently used entries
    are forgotten when a new one would exceed the capacity or the characters kept. Memory
    follows the characters (tokens, prefixes: up to ~55 bytes a character for a prologue of
    short declarations), so a prologue longer than a sixteenth of them is not kept.
    """

    def __init__(self, capacity: int, max_chars: int = 128 * 1024) -> None:
        self.capacity, self.max_chars = capacity, max_chars
        self._entries: tuple[_Entry, ...] = ()  # longest text first
        self._chars = 0  # the characters of the prologues kept
        self._clock = itertools.count()
        self._changing = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(
        self, text: str, base: str | None, predeclared: Mapping[str, str]
    ) -> Prologue | None:
        """The longest remembered prologue the text starts with, read in the same context."""
        for entry in self._entries:
            if (
                text.startswith(entry.prologue.text)
                and entry.base == base
                and entry.predeclared == predeclared
            ):
                entry.used = next(self._clock)
                return entry.prologue
        return None

    def remember(
        self, prologue: Prologue, base: str | None, predeclared: Mapping[str, str]
    ) -> None:
        """Keep a prologue read with this base and these predeclared prefixes."""
        size = len(prologue.text)
        if self.capacity == 0 or size > self.max_chars // 16:
            return
        with self._changing:
            entries = list(self._entries)
            for entry in entries:
                same = entry.prologue.text == prologue.text
                if same and entry.base == base and entry.predeclared == predeclared:
                    return
            while entries and (
                len(entries) >= self.capacity or self._chars + size > self.max_chars
            ):
                oldest = min(entries, key=lambda entry: entry.used)
                entries.remove(oldest)
                self._chars -= len(oldest.prologue.text)
            self._chars += size
            # A copy of the predeclared prefixes: the caller's mapping may change later.
            entries.append(_Entry(prologue, base, dict(predeclared), next(self._clock)))
            entries.sort(key=lambda entry: len(entry.prologue.text), reverse=True)
            self._entries = tuple(entries)
