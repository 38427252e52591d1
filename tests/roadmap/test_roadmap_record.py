"""Recording KPI snapshots and realised value keeps files valid and comments intact."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from opcanvas.canvas import Canvas, load_canvas
from opcanvas.errors import CanvasError
from opcanvas.roadmap.tracking import load_tracking, record_realised, record_snapshot


def test_snapshots_merge_by_date_and_keep_comments(example: Canvas, tmp_path: Path) -> None:
    path = tmp_path / "c.tracking.yaml"
    path.write_text("# monthly KPI readings\nsnapshots: []\n", encoding="utf-8")
    record_snapshot(path, example, dt.date(2027, 2, 1), {"nrr": 103})
    record_snapshot(path, example, dt.date(2027, 2, 1), {"growth/win-rate": 31}, "Feb")
    tracking = record_snapshot(path, example, dt.date(2027, 3, 1), {"nrr": 104})
    assert [s.date for s in tracking.snapshots] == [dt.date(2027, 2, 1), dt.date(2027, 3, 1)]
    assert set(tracking.snapshots[0].kpis) == {"nrr", "growth/win-rate"}
    assert tracking.snapshots[0].note == "Feb"
    assert path.read_text(encoding="utf-8").startswith("# monthly KPI readings")
    assert load_tracking(path, example) == tracking
    with pytest.raises(CanvasError, match='no KPI "nps"'):
        record_snapshot(path, example, dt.date(2027, 3, 1), {"nps": 1})


def test_realised_value_is_appended_to_the_gap(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[2] / "examples" / "sales-proposal.yaml"
    path = tmp_path / "c.yaml"
    path.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    record_realised(path, "crm-handoff", dt.date(2027, 5, 1), 5000.0, "first month")
    canvas = record_realised(path, "crm-handoff", dt.date(2027, 6, 1), 7000.0)
    entries = canvas.gap("crm-handoff").realised
    assert [(e.date, e.value, e.note) for e in entries] == [
        ("2027-05-01", 5000.0, "first month"), ("2027-06-01", 7000.0, None)
    ]  # fmt: skip
    assert load_canvas(path).gap("crm-handoff").realised == entries
    with pytest.raises(CanvasError, match='no gap "zz"'):
        record_realised(path, "zz", dt.date(2027, 6, 1), 1.0)
