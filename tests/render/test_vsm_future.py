"""Future-state projection for the maps: the changes a map shows, applied to the stream."""

from __future__ import annotations

import pytest

from opcanvas.canvas import Canvas, parse_canvas
from opcanvas.canvas.quantities import Range
from opcanvas.canvas.scenario import Change, Scenario
from opcanvas.errors import CanvasError, UnknownReferenceError
from opcanvas.flow import analyze_stream, analyze_stream_model
from opcanvas.render.future import apply_changes, future_stream
from opcanvas.render.mapmodel import build_map


def _canvas(changes: str, steps: str | None = None) -> Canvas:
    steps = (
        steps
        or """
          - {id: a, name: A, process_time: 10h, wait_time: 2d, complete_accurate: 80%,
             people: 2, measured: {process_time: 8h}}
          - {id: b, name: B, process_time: [1h, 2h, 4h], wait_time: 1d}
          - {id: c, name: C, after: [b], process_time: 1h}
    """
    )
    return parse_canvas(f"""
organization: Acme
engines:
  growth:
    streams:
      s:
        name: S
        steps: {steps}
        future_state:
          name: Better
          changes: {changes}
""")


def test_relative_and_absolute_changes() -> None:
    canvas = _canvas("""
            - {step: a, process_time: -75%, wait_time: 4h, complete_accurate: 95%, people: '+1'}
            - {step: b, process_time: x0.5}
    """)
    stream = apply_changes(canvas, "growth/s", canvas.stream("growth/s").future_state)
    a, b = stream.steps[0], stream.steps[1]
    assert a.process_time == 120.0  # the measured 8 h, less 75 %
    assert a.measured is not None and a.measured.process_time is None  # now a projection
    assert (a.wait_time, a.complete_accurate, a.people) == (240.0, 0.95, 3.0)
    assert b.process_time == Range(30.0, 60.0, 120.0)  # a range keeps its shape


def test_remove_reconnects_the_steps_after_it() -> None:
    canvas = _canvas("[{remove: b}]")
    stream = apply_changes(canvas, "growth/s", canvas.stream("growth/s").future_state)
    assert [s.id for s in stream.steps] == ["a", "c"]
    assert stream.steps[1].after == ["a"]
    flow = analyze_stream_model(stream)
    assert flow.steps[1].predecessors == ("a",)


def test_unknown_step_and_missing_future_state_are_clear_errors(office: Canvas) -> None:
    canvas = _canvas("[{step: a, process_time: -10%}]")
    scenario = Scenario(name="Typo", changes=[Change(step="nope", process_time="-10%")])
    with pytest.raises(UnknownReferenceError, match=r'names step "nope".*steps are: a, b, c'):
        apply_changes(canvas, "growth/s", scenario)
    plain = parse_canvas("""
organization: Acme
engines: {growth: {streams: {s: {name: S, steps: [{id: a, name: A}]}}}}
""")
    with pytest.raises(CanvasError, match="growth/s has no future_state"):
        build_map(plain, "growth/s", state="future")


def test_future_map_totals_follow_the_projected_flow(office: Canvas) -> None:
    view = build_map(office, "growth/quote", state="future")
    now = analyze_stream(office, "growth/quote")
    projected = analyze_stream_model(
        future_stream(office, "growth/quote").stream, settings=office.settings,
        calendar=office.calendar,
    )  # fmt: skip
    assert projected.lead_time is not None and now.lead_time is not None
    assert projected.lead_time < now.lead_time
    lead = view.totals[0]
    assert lead.label == "Lead time" and lead.before == "1.37w"
    assert view.step("design").changes == ("PT -75%", "Wait → 1d")
    assert view.step("review").changes == ("%C&A → 99.0%",)
    assert view.scenario == "CPQ templates"
