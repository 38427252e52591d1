"""Fixtures for mining tests."""

from __future__ import annotations

import pytest
from mining_helpers import interval_log

from opcanvas.mining import EventLog


@pytest.fixture
def two_cases() -> EventLog:
    """Two cases with rework, an overlap and handoffs; every figure checked by hand in tests."""
    return interval_log(
        [
            ("c1", "A", 0, 60, "r1"),
            ("c1", "B", 90, 120, "r2"),
            ("c1", "A", 120, 150, "r1"),
            ("c1", "C", 135, 180, "r3"),
            ("c2", "A", 0, 30, "r1"),
            ("c2", "B", 60, 105, "r2"),
            ("c2", "B", 120, 150, "r4"),
            ("c2", "C", 180, 240, "r3"),
        ]
    )
