"""Which source column plays which part in an event log: case, activity, timestamp, and more.

Every part has an XES standard key as its default (``case:concept:name``, ``concept:name``,
``time:timestamp``, ``lifecycle:transition``, ``org:resource``, ``org:group``), so XES files and
pm4py-style CSV exports need no mapping. A column named explicitly must exist; a default that
is absent is simply not used (except the three required parts). A missing column's error lists
the columns that do exist and the closest match.

>>> cols = ColumnMap(case="Case ID").resolve(["Case ID", "concept:name", "time:timestamp"])
>>> cols.case, cols.activity, cols.resource
('Case ID', 'concept:name', None)
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, fields
from typing import Any

from opcanvas.errors import EventLogError, Location

REQUIRED = ("case", "activity", "timestamp")
OPTIONAL = ("start_timestamp", "lifecycle", "resource", "role", "cost")
PARTS = REQUIRED + OPTIONAL

XES_DEFAULTS: dict[str, str] = {
    "case": "case:concept:name",
    "activity": "concept:name",
    "timestamp": "time:timestamp",
    "start_timestamp": "start_timestamp",
    "lifecycle": "lifecycle:transition",
    "resource": "org:resource",
    "role": "org:group",
    "cost": "cost:total",
}
"""The column each part is looked for under when none is named (XES standard keys, and
pm4py's ``start_timestamp`` for interval logs)."""

HELP: dict[str, str] = {
    "case": "the case id: one process instance (a lead, a ticket, an order)",
    "activity": "the activity name",
    "timestamp": "when the event happened (the completion time of an activity instance)",
    "start_timestamp": "when the activity instance started (interval logs)",
    "lifecycle": "start/complete transitions, paired into activity instances",
    "resource": "who performed it (handoffs, rework by the same person or another)",
    "role": "the role, group or swim lane (lane changes)",
    "cost": "the cost of the event",
}


@dataclass(frozen=True)
class ColumnMap:
    """Source column names for each part of an event. ``None`` means "use the XES default"."""

    case: str | None = None
    activity: str | None = None
    timestamp: str | None = None
    start_timestamp: str | None = None
    lifecycle: str | None = None
    resource: str | None = None
    role: str | None = None
    cost: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: Location | None = None) -> ColumnMap:
        """Build from a mapping such as ``{"case": "Case ID"}``; unknown parts are errors."""
        unknown = sorted(set(data) - set(PARTS))
        if unknown:
            raise EventLogError(
                f"unknown column part(s) {', '.join(unknown)}; expected some of {', '.join(PARTS)}",
                where=where,
            )
        return cls(**{k: (None if v is None else str(v)) for k, v in data.items()})

    def explicit(self) -> dict[str, str]:
        """The parts named explicitly, in a stable order."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def resolve(self, available: list[str], source: str | None = None) -> ResolvedColumns:
        """Match every part against the columns that exist; a missing required one is an error.

        >>> ColumnMap(activity="Activty").resolve(["Activity", "case:concept:name"])
        Traceback (most recent call last):
        ...
        opcanvas.errors.EventLogError: activity column "Activty" not found; did you mean ...
        """
        found: dict[str, str | None] = {}
        present = set(available)
        for part in PARTS:
            named = getattr(self, part)
            column = named or XES_DEFAULTS[part]
            if column in present:
                found[part] = column
            elif named is not None or part in REQUIRED:
                raise missing_column(part, column, available, source, explicit=named is not None)
            else:
                found[part] = None
        return ResolvedColumns(**found)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ResolvedColumns:
    """The source columns actually used; ``None`` for a part the log does not have."""

    case: str
    activity: str
    timestamp: str
    start_timestamp: str | None = None
    lifecycle: str | None = None
    resource: str | None = None
    role: str | None = None
    cost: str | None = None

    def used(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def to_dict(self) -> dict[str, str | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def close_match(name: str, available: list[str]) -> str | None:
    """The most similar column name, ignoring case and separators, if any is close."""
    folded = {_fold(c): c for c in available}
    if _fold(name) in folded:
        return folded[_fold(name)]
    hits = difflib.get_close_matches(_fold(name), list(folded), n=1, cutoff=0.6)
    return folded[hits[0]] if hits else None


def _fold(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def missing_column(
    part: str, column: str, available: list[str], source: str | None, *, explicit: bool
) -> EventLogError:
    shown = ", ".join(f'"{c}"' for c in available[:40]) or "none"
    if len(available) > 40:
        shown += f", … ({len(available)} in all)"
    guess = close_match(column, available)
    message = f'{part} column "{column}" not found'
    if guess:
        message += f'; did you mean "{guess}"?'
    message += f" The log has: {shown}"
    flag = "--" + part.replace("_", "-")
    hint = (
        f"name the column of {HELP[part]} with {flag} (or `columns: {{{part}: ...}}` "
        "in the mapping file)"
    )
    if not explicit:
        hint = f"no column was named, so the XES default was tried; {hint}"
    return EventLogError(message, where=Location(source) if source else None, hint=hint)
