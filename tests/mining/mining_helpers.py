"""Tiny hand-made logs for mining tests (imported as ``mining_helpers``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pandas as pd

from opcanvas.mining import EventLog, read_log

DAY0 = datetime(2024, 3, 4, 9, 0)  # a Monday, 09:00 UTC


def at(minutes: float, day: int = 0) -> str:
    """An ISO timestamp ``minutes`` after 09:00 on DAY0 + ``day`` days (UTC)."""
    return (DAY0 + timedelta(days=day, minutes=minutes)).isoformat() + "Z"


def interval_log(rows: Sequence[tuple[str, str, float, float, str | None]]) -> EventLog:
    """(case, activity, start minute, end minute, resource) → an interval log."""
    frame = pd.DataFrame(
        {
            "case:concept:name": [r[0] for r in rows],
            "concept:name": [r[1] for r in rows],
            "start_timestamp": [at(r[2]) for r in rows],
            "time:timestamp": [at(r[3]) for r in rows],
            "org:resource": [r[4] for r in rows],
        }
    )
    return read_log(frame)


def event_log(rows: Sequence[tuple[str, str, float]], **extra: list[object]) -> EventLog:
    """(case, activity, minute) → a single-timestamp log."""
    frame = pd.DataFrame(
        {
            "case:concept:name": [r[0] for r in rows],
            "concept:name": [r[1] for r in rows],
            "time:timestamp": [at(r[2]) for r in rows],
            **extra,
        }
    )
    return read_log(frame)
