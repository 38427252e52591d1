"""The library path into the canvas: mine_stream + apply_measured, and the human strings."""

from __future__ import annotations

import pytest

from opcanvas.canvas import parse_canvas
from opcanvas.errors import EventLogError
from opcanvas.mining import EventLog, apply_measured, mine_stream
from opcanvas.mining.compare import compare
from opcanvas.mining.measured import human_duration, human_percent, human_rate
from opcanvas.mining.steps import unobserved_wait_notes

CANVAS = """
organization: Acme
calendar: {hours_per_day: 8}
engines:
  growth:
    streams:
      s:
        name: S
        steps:
          - {id: a, name: A, process_time: 30min}
          - {id: b, name: B}
          - {id: z, name: Not in the log}
"""


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(45.0, "45min"), (59.99, "59.99min"), (60.0, "1h"), (195.0, "3.25h"), (1e6, "16667h")],
)
def test_durations_are_written_in_hours_never_days(minutes: float, text: str) -> None:
    assert human_duration(minutes) == text


def test_percent_and_rate_strings() -> None:
    assert (human_percent(0.8523), human_rate(12.34567)) == ("85.2%", "12.35/week")


def test_mine_stream_matches_steps_by_name_and_apply_keeps_estimates(two_cases: EventLog) -> None:
    canvas = parse_canvas(CANVAS)
    result = mine_stream(canvas, "growth/s", two_cases)
    assert sorted(result.mapping) == ["a", "b"]
    updated = apply_measured(canvas, "growth/s", result)
    a, b, z = updated.stream("growth/s").steps
    assert a.process_time == 30.0  # the estimate stays
    assert a.measured is not None and a.measured.process_time == 30.0  # median of 60, 30, 30
    assert b.measured is not None and b.measured.rework_rate == pytest.approx(0.333)
    assert z.measured is None
    stream = updated.stream("growth/s").measured
    assert stream is not None and stream.cases == 2 and stream.statistic == "median"
    assert canvas.stream("growth/s").steps[0].measured is None  # the input is not changed


def test_a_step_that_opens_its_cases_gets_no_measured_wait_or_lead(
    two_cases: EventLog,
) -> None:
    canvas = parse_canvas(CANVAS)
    updated = apply_measured(canvas, "growth/s", mine_stream(canvas, "growth/s", two_cases))
    a, b, _ = updated.stream("growth/s").steps
    assert a.measured is not None and b.measured is not None
    assert (a.measured.wait_time, a.measured.lead_time) == (None, None)
    assert a.measured.process_time == 30.0
    assert (b.measured.wait_time, b.measured.lead_time) == (30.0, 60.0)  # medians


def test_compare_leaves_out_the_wait_the_log_cannot_show(two_cases: EventLog) -> None:
    text = CANVAS.replace("process_time: 30min}", "process_time: 30min, wait_time: 1d}")
    canvas = parse_canvas(text.replace("{id: b, name: B}", "{id: b, name: B, wait_time: 2h}"))
    result = mine_stream(canvas, "growth/s", two_cases)
    rows = {(c.step, c.field): c for c in compare(canvas, canvas.stream("growth/s"), result,
                                                 "median")}  # fmt: skip
    assert ("a", "wait_time") not in rows and ("a", "lead_time") not in rows
    assert rows[("a", "process_time")].measured == 30.0
    assert rows[("b", "wait_time")].estimate == 120.0 and rows[("b", "wait_time")].measured == 30.0
    assert unobserved_wait_notes(result.steps) == [
        'the wait before "a" is not in the log: 2 of its 3 executions open their case '
        "(nothing before a case's first activity is recorded), so only its process time is "
        "measured"
    ]


def test_mine_stream_without_any_matching_step(two_cases: EventLog) -> None:
    canvas = parse_canvas(
        CANVAS.replace("a, name: A", "x, name: X").replace("b, name: B", "y, name: Y")
    )
    with pytest.raises(EventLogError, match="no step of growth/s has the name of an activity"):
        mine_stream(canvas, "growth/s", two_cases)
