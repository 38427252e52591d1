"""Every error opcanvas raises on purpose.

    OpcanvasError                 root: catch this to catch everything below
    ├── CanvasError               a canvas file or model is malformed or inconsistent
    │   └── UnknownReferenceError       a reference (stream, step, gap, KPI) names nothing
    ├── QuantityError             a quantity ("3d", "85%", "40/month", "50k") cannot be read
    ├── EventLogError             an event log cannot be read or mapped
    ├── FormulaError              a value-driver formula is unsafe, cyclic or fails
    ├── PlanningError             a roadmap cannot be planned (cycle, oversize initiative)
    ├── SimulationError           a stream cannot be simulated (unstable, bad routing)
    └── ReportError               a deliverable cannot be written

Each error says what was expected, what was found, where, and what to do. ``where`` is a
``Location`` (file, line, column, key path) when one is known. The CLI maps every
``OpcanvasError`` to exit code 2 and prints ``str(error)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Location:
    """Where in an input something was found. Every part is optional."""

    file: Path | str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    key: str | None = None  # a key path such as "engines.growth.streams.s1.steps[2].process_time"

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            parts.append(where)
        elif self.line is not None:
            parts.append(f"line {self.line}" + (f", column {self.column}" if self.column else ""))
        if self.key:
            parts.append(self.key)
        return ": ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The location as JSON-ready fields; absent parts are ``None``.

        >>> Location("c.yaml", 3, 5, "organization").to_dict()["line"]
        3
        """
        file = None if self.file is None else str(self.file)
        return {"file": file, "line": self.line, "column": self.column, "key": self.key}


class OpcanvasError(Exception):
    """Root of every deliberate opcanvas error.

    >>> str(OpcanvasError("expected a duration", where=Location(key="steps[0].wait_time")))
    'steps[0].wait_time: expected a duration'
    """

    def __init__(self, message: str, *, where: Location | None = None, hint: str | None = None):
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = self.message
        if self.where is not None and str(self.where):
            text = f"{self.where}: {text}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class CanvasError(OpcanvasError):
    """A canvas file or model is malformed or inconsistent.

    ``problems`` lists every problem found, each ``(where, message)``, so tools can report
    them one by one; an error raised for a single problem lists just that one.

    >>> error = CanvasError("expected a number", where=Location("c.yaml", 4, 9, "wip"))
    >>> [(str(where), message) for where, message in error.problems]
    [('c.yaml:4:9: wip', 'expected a number')]
    """

    def __init__(
        self,
        message: str,
        *,
        where: Location | None = None,
        hint: str | None = None,
        problems: Sequence[tuple[Location | None, str]] = (),
    ):
        super().__init__(message, where=where, hint=hint)
        self.problems: tuple[tuple[Location | None, str], ...] = tuple(problems) or (
            (where, message),
        )


class UnknownReferenceError(CanvasError):
    """A reference (stream, step, gap, KPI, initiative) names nothing that exists."""


class QuantityError(OpcanvasError, ValueError):
    """A quantity could not be read. A ValueError too, so Pydantic reports it in place."""


class EventLogError(OpcanvasError):
    """An event log cannot be read, or its columns do not map."""


class FormulaError(OpcanvasError):
    """A value-driver formula is unsafe, refers to unknown names, is cyclic, or fails."""


class PlanningError(OpcanvasError):
    """A roadmap cannot be planned as asked (dependency cycle, oversize initiative)."""


class SimulationError(OpcanvasError):
    """A stream cannot be simulated as given (unstable queue, bad branch probabilities)."""


class ReportError(OpcanvasError):
    """A deliverable cannot be written."""
