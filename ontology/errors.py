"""The error every ontology check raises: which file, which term, what is wrong."""

from __future__ import annotations

from pathlib import Path


class OntologyError(Exception):
    """A problem in the ontology sources, naming the file, the term and the problem."""

    def __init__(
        self,
        problem: str,
        file: Path | str | None = None,
        term: str | None = None,
        more: list[OntologyError] | None = None,
    ) -> None:
        self.problem = problem
        self.file = Path(file) if file is not None else None
        self.term = term
        # Further problems found in the same run, so one build shows every mistake at once.
        self.more = list(more or [])
        super().__init__(str(self))

    @property
    def problems(self) -> list[OntologyError]:
        """This problem followed by every further one."""
        return [self, *self.more]

    def _line(self) -> str:
        where = str(self.file) if self.file is not None else "<ontology>"
        return f"{where}: {self.term}: {self.problem}" if self.term else f"{where}: {self.problem}"

    def __str__(self) -> str:
        lines = [self._line()] + [p._line() for p in self.more]
        if len(lines) == 1:
            return lines[0]
        return f"{len(lines)} ontology problems:\n" + "\n".join("  " + line for line in lines)
