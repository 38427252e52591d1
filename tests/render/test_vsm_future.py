"""Future-state maps: the simulator applies the changes; the map notes them per step."""

from __future__ import annotations

import pytest

from opcanvas.canvas import Canvas, parse_canvas
from opcanvas.canvas.quantities import Range
from opcanvas.canvas.scenario import Change, Scenario
from opcanvas.errors import CanvasError, SimulationError
from opcanvas.flow import analyze_stream, analyze_stream_model
from opcanvas.render.future import future_stream
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


def test_changes_come_from_the_simulators_scenario_semantics() -> None:
    canvas = _canvas("""
            - {step: a, process_time: -75%, wait_time: 4h, complete_accurate: 95%, people: '+1'}
            - {step: b, process_time: x0.5}
    """)
    projected = future_stream(canvas, "growth/s")
    a, b = projected.stream.steps[0], projected.stream.steps[1]
    assert a.process_time == 150.0  # the workshop's 10 h, less 75 %; the mined value is dropped
    assert a.measured is not None and a.measured.process_time is None
    assert (a.wait_time, a.complete_accurate, a.people) == (240.0, 0.95, 3.0)
    assert b.process_time == Range(30.0, 60.0, 120.0)  # a range keeps its shape
    assert projected.changes == {
        "a": ("PT -75%", "Wait → 4h", "People +1", "%C&A → 95.0%"),
        "b": ("PT -50%",),
    }
    assert projected.stream.future_state is None


def test_merge_is_noted_on_the_merged_step_and_removed_steps_drop_out() -> None:
    canvas = _canvas("[{merge: [a, b], name: A and B}, {remove: c}]")
    projected = future_stream(canvas, "growth/s")
    assert [s.id for s in projected.stream.steps] == ["a"]
    assert projected.changes == {"a": ("merges b",)}
    view = build_map(canvas, "growth/s", state="future")
    assert [s.name for s in view.steps] == ["A and B"]


def test_unknown_step_and_missing_future_state_are_clear_errors() -> None:
    canvas = _canvas("[{step: a, process_time: -10%}]")
    stream = canvas.stream("growth/s")
    typo = Scenario(name="Typo", changes=[Change(step="nope", process_time="-10%")])
    engine = canvas.engines["growth"].model_copy(
        update={"streams": {"s": stream.model_copy(update={"future_state": typo})}}
    )
    broken = canvas.model_copy(update={"engines": {"growth": engine}})
    with pytest.raises(SimulationError, match='no step "nope" in the stream; it has: a, b, c'):
        future_stream(broken, "growth/s")
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
