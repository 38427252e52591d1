"""Invariants on random streams: flow efficiency in [0, 1], rolled %C&A ≤ the weakest step."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opcanvas.canvas import Canvas
from opcanvas.flow import analyze_stream

minutes = st.one_of(st.none(), st.integers(0, 5000).map(lambda m: f"{m}min"))
percent = st.one_of(st.none(), st.integers(0, 100).map(lambda p: f"{p}%"))


@st.composite
def streams(draw: st.DrawFn, *, decisions: bool = True) -> dict[str, Any]:
    """A random stream: blanks, stated lead times, parallel joins and decision points."""
    count = draw(st.integers(1, 7))
    steps = []
    for i in range(count):
        step: dict[str, Any] = {"id": f"s{i}", "name": f"S{i}"}
        for key, value in (
            ("process_time", draw(minutes)),
            ("wait_time", draw(minutes)),
            ("lead_time", draw(minutes)),
            ("complete_accurate", draw(percent)),
        ):
            if value is not None:
                step[key] = value  # fmt: skip
        if i and draw(st.booleans()):
            step["after"] = sorted(draw(st.sets(st.sampled_from([f"s{j}" for j in range(i)]))))
        later = [f"s{j}" for j in range(i + 1, count)]
        if decisions and later and draw(st.integers(0, 3)) == 0:
            targets = sorted(draw(st.sets(st.sampled_from(later), min_size=1, max_size=3)))
            weights = [draw(st.integers(1, 9)) for _ in targets]
            step["branches"] = [
                {"to": t, "probability": w / sum(weights)}
                for t, w in zip(targets, weights, strict=True)
            ]
        steps.append(step)
    return {"name": "S", "steps": steps}


def analyze(stream: dict[str, Any], options: dict[str, Any]) -> Any:
    canvas = Canvas.model_validate(
        {"organization": "P", "settings": options, "engines": {"g": {"streams": {"s": stream}}}}
    )
    return analyze_stream(canvas, "g/s")


options = st.fixed_dictionaries(
    {
        "lead_time_includes_process_time": st.booleans(),
        "parallel": st.sampled_from(["critical_path", "sum"]),
        "decision": st.sampled_from(["expected", "longest"]),
    }
)


@settings(max_examples=150, deadline=None)
@given(stream=streams(), options=options)
def test_flow_efficiency_lies_between_zero_and_one(
    stream: dict[str, Any], options: dict[str, Any]
) -> None:
    flow = analyze(stream, options)
    if flow.flow_efficiency is not None:
        assert 0.0 <= flow.flow_efficiency <= 1.0 + 1e-12
    if flow.elapsed_time is not None and flow.process_time is not None:
        assert flow.process_time <= flow.elapsed_time + 1e-9
    for step in flow.steps:
        assert 0.0 <= step.reach <= 1.0 + 1e-12
        if step.wait_share is not None:
            assert 0.0 <= step.wait_share <= 1.0 + 1e-9
    assert set(flow.critical_path) <= {s["id"] for s in stream["steps"]}
    assert 0.0 <= flow.completeness.fraction <= 1.0


@settings(max_examples=150, deadline=None)
@given(stream=streams(decisions=False), options=options)
def test_rolled_complete_and_accurate_is_at_most_the_weakest_step(
    stream: dict[str, Any], options: dict[str, Any]
) -> None:
    flow = analyze(stream, options)
    known = [s.complete_accurate for s in flow.steps if s.complete_accurate is not None]
    if known:
        assert flow.rolled_cta is not None
        assert flow.rolled_cta <= min(known) + 1e-12
    else:
        assert flow.rolled_cta is None


@settings(max_examples=100, deadline=None)
@given(stream=streams(decisions=False))
def test_critical_path_is_no_shorter_than_any_single_step(stream: dict[str, Any]) -> None:
    flow = analyze(stream, {})
    if flow.elapsed_time is not None:
        for step in flow.steps:
            if step.elapsed_time is not None:
                assert step.elapsed_time <= flow.elapsed_time + 1e-9
