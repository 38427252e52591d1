"""A gap takes its improvement range from a simulated scenario; the canvas records the link."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from opcanvas.canvas import load_canvas
from opcanvas.canvas.quantities import Range
from opcanvas.canvas.scenario import Scenario
from opcanvas.errors import SimulationError, UnknownReferenceError
from opcanvas.simulate import compare, record_gap_evidence
from opcanvas.simulate.evidence import improvement_range

CANVAS = """\
# Northwind: the review queue
organization: Northwind
calendar: {basis: calendar}
engines:
  e:
    streams:
      s:
        name: Claims
        demand: 2/h
        steps:
          - {id: intake, name: Intake, people: 2, process_time: 10min}
          - {id: review, name: Review, people: 1, process_time: 27min}  # the bottleneck
gaps:
  - id: review-queue
    stream: e/s
    step: review
    drivers:
      improvement: [10%, 20%, 30%]   # a workshop guess
      volume: 100
"""


def canvas_file(tmp_path: Path) -> Path:
    path = tmp_path / "canvas.yaml"
    path.write_text(CANVAS, encoding="utf-8")
    return path


SECOND_REVIEWER = Scenario(name="second reviewer", changes=[{"step": "review", "people": "+1"}])


def test_improvement_range_comes_from_the_interval() -> None:
    assert improvement_range(-0.5, -0.6, -0.4) == Range(0.4, 0.5, 0.6)
    assert improvement_range(-0.5, -1.4, -0.2) == Range(0.2, 0.5, 1.0)  # at most 100 %
    with pytest.raises(SimulationError, match=r"does not improve the metric \(it changes by \+5"):
        improvement_range(0.05, 0.0, 0.1)


def test_recording_evidence_keeps_comments_and_backs_the_driver(tmp_path: Path) -> None:
    path = canvas_file(tmp_path)
    comparison = compare(load_canvas(path), "e/s", SECOND_REVIEWER, cases=600, replications=5)
    canvas = record_gap_evidence(path, "review-queue", comparison, driver="improvement",
                                 today=dt.date(2025, 1, 6))  # fmt: skip
    evidence = canvas.gap("review-queue").evidence
    assert evidence is not None
    assert (evidence.scenario, evidence.metric, evidence.recorded) == (
        "second reviewer", "lead_time", "2025-01-06")  # fmt: skip
    relative = comparison.relative["lead_time_mean"]
    improvement = evidence.improvement
    assert isinstance(improvement, Range)
    assert improvement.likely == pytest.approx(-relative.mean, abs=1e-4)
    assert improvement.low == pytest.approx(-relative.high, abs=1e-4)
    assert canvas.gap("review-queue").drivers["improvement"] == improvement
    assert evidence.current is not None and evidence.future is not None
    assert evidence.future < evidence.current
    text = path.read_text(encoding="utf-8")
    assert "# Northwind: the review queue" in text and "# the bottleneck" in text


def test_evidence_for_the_wrong_stream_or_gap_is_refused(tmp_path: Path) -> None:
    path = canvas_file(tmp_path)
    before = path.read_text(encoding="utf-8")
    comparison = compare(load_canvas(path), "e/s", SECOND_REVIEWER, cases=200, replications=2)
    with pytest.raises(UnknownReferenceError, match='no gap "nope"; the canvas has: review-queue'):
        record_gap_evidence(path, "nope", comparison)
    with pytest.raises(SimulationError, match='unknown metric "speed"'):
        record_gap_evidence(path, "review-queue", comparison, metric="speed")
    other = type(comparison)("e/t", comparison.scenario, comparison.current, comparison.future,
                             comparison.difference, comparison.relative)  # fmt: skip
    with pytest.raises(SimulationError, match='gap "review-queue" belongs to stream e/s'):
        record_gap_evidence(path, "review-queue", other)
    assert path.read_text(encoding="utf-8") == before  # untouched
