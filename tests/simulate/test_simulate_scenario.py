"""What-if: scenario changes on a stream, and current vs future side by side."""

from __future__ import annotations

from typing import Any

import pytest
from simkit import REF, build

from opcanvas.canvas.model import Stream
from opcanvas.canvas.quantities import Range
from opcanvas.canvas.scenario import Scenario
from opcanvas.errors import SimulationError
from opcanvas.flow.routing import build_routing
from opcanvas.simulate import SimulationSettings, apply_scenario, compare, simulate

LINE = [
    {"id": "a", "lane": "Sales", "people": 1, "process_time": "1h", "wait_time": [1, 2, 4]},
    {"id": "b", "lane": "Sales", "people": 2, "process_time": [1, 2, 3],
     "complete_accurate": "80%", "rework_to": "a"},
    {"id": "c", "lane": "Legal", "process_time": "30min", "drop_off": "10%"},
    {"id": "d", "lane": "Ops", "process_time": "15min"},
]  # fmt: skip
for step in LINE:  # ranges of hours written as durations
    for key in ("wait_time", "process_time"):
        if isinstance(step.get(key), list):
            step[key] = [f"{v}h" for v in step[key]]  # type: ignore[union-attr]


def future(*changes: dict[str, Any]) -> Stream:
    canvas = build(LINE, demand="1/day")
    return apply_scenario(canvas, REF, Scenario(name="f", changes=list(changes)))


def preds(stream: Stream) -> dict[str, tuple[str, ...]]:
    return build_routing(stream.steps).preds


def test_relative_changes_scale_points_and_ranges() -> None:
    stream = future({"step": "a", "process_time": "-80%"}, {"step": "b", "process_time": "x0.5"},
                    {"step": "a", "wait_time": "+1h"})  # fmt: skip
    assert stream.step("a").process_time == pytest.approx(12.0)
    assert stream.step("b").process_time == Range(30.0, 60.0, 90.0)
    assert stream.step("a").wait_time == Range(120.0, 180.0, 300.0)


def test_people_quality_batch_and_wip_limit() -> None:
    stream = future({"step": "b", "people": "+1"}, {"step": "b", "complete_accurate": "95%"},
                    {"step": "c", "batch_size": 5}, {"wip_limit": 20})  # fmt: skip
    b = stream.step("b")
    assert (b.people, b.complete_accurate, stream.step("c").batch_size) == (3.0, 0.95, 5.0)
    assert stream.wip_limit == 20


def test_removing_a_step_reconnects_its_neighbours() -> None:
    stream = future({"remove": "b"})
    assert [s.id for s in stream.steps] == ["a", "c", "d"]
    assert preds(stream) == {"a": (), "c": ("a",), "d": ("c",)}


def test_removing_a_step_named_in_after_and_rework_to() -> None:
    canvas = build([
        {"id": "a", "process_time": "1h"},
        {"id": "b", "process_time": "1h"},
        {"id": "c", "process_time": "1h", "after": ["b"], "rework_to": "b",
         "complete_accurate": "90%"},
    ])  # fmt: skip
    stream = apply_scenario(canvas, REF, Scenario(name="f", changes=[{"remove": "b"}]))
    assert stream.step("c").after == ["a"]
    assert stream.step("c").rework_to is None  # b's successor is c itself: c repeats


def test_merging_two_steps_adds_their_work_and_drops_the_wait_between() -> None:
    stream = future({"merge": ["b", "c"], "name": "Review and sign"})
    merged = stream.step("b")
    assert [s.id for s in stream.steps] == ["a", "b", "d"]
    assert merged.name == "Review and sign"
    assert merged.process_time == Range(90.0, 150.0, 210.0)
    assert merged.complete_accurate == pytest.approx(0.8)
    assert merged.drop_off == pytest.approx(0.1)
    assert merged.rework_to == "a"
    assert preds(stream)["d"] == ("b",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"step": "nope", "people": "+1"}, 'no step "nope" in the stream; it has: a, b, c, d'),
        ({"remove": "zzz"}, 'remove: no step "zzz"'),
        ({"merge": ["a", "zzz"]}, 'merge: no step "zzz"'),
        ({"merge": ["a", "c"]}, 'merge: "c" must come directly after "a"'),
        ({"step": "c", "people": "+1"}, "c.people: cannot apply a relative change"),
    ],
)
def test_bad_scenarios_name_what_is_wrong(change: dict[str, Any], message: str) -> None:
    with pytest.raises(SimulationError) as info:
        future(change)
    assert message in str(info.value)
    assert "f.changes[0]" in str(info.value)  # where: the scenario and the change


def test_a_scenario_naming_an_unknown_step_fails_simulate_too() -> None:
    scenario = Scenario(name="typo", changes=[{"step": "reveiw", "process_time": "-50%"}])
    with pytest.raises(SimulationError, match='no step "reveiw"'):
        simulate(build(LINE, demand="1/day"), REF, scenario=scenario, cases=50, replications=1)


BOTTLENECK = [
    {"id": "intake", "people": 2, "process_time": "10min"},
    {"id": "review", "people": 1, "process_time": "27min"},
    {"id": "approve", "people": 1, "process_time": "10min"},
]


def test_removing_the_bottleneck_shortens_lead_time() -> None:
    canvas = build(BOTTLENECK, demand="2/h")
    scenario = Scenario(name="second reviewer", changes=[{"step": "review", "people": "+1"}])
    result = compare(canvas, REF, scenario, cases=1000, replications=8)
    assert result.current.bottleneck() is not None
    assert result.current.bottleneck().id == "review"  # type: ignore[union-attr]
    now, then = result.current.lead_time, result.future.lead_time
    assert now is not None and then is not None and then.mean.high < now.mean.low
    change = result.relative["lead_time_mean"]
    assert change.high < 0  # paired by replication: the reduction is significant
    assert result.future.step("review").load == pytest.approx(0.45)


def test_an_overloaded_current_state_is_unstable_and_the_fix_is_simulated() -> None:
    canvas = build(BOTTLENECK, demand="3/h")  # review at 27 min: 135 % load
    result = compare(canvas, REF, Scenario(name="fix", changes=[
        {"step": "review", "people": "+1"}]), cases=300, replications=3)  # fmt: skip
    assert not result.current.stable and result.current.lead_time is None
    assert 'step "review" needs 135.0% of its capacity' in (result.current.reason or "")
    assert result.future.stable and result.future.lead_time is not None
    assert result.relative == {}  # nothing to compare against


def test_compare_defaults_to_the_streams_future_state() -> None:
    faster = {"step": "review", "process_time": "-80%"}
    canvas = build(BOTTLENECK, demand="2/h",
                   future_state={"name": "automated review", "changes": [faster]})  # fmt: skip
    result = compare(canvas, REF, cases=300, replications=3)
    assert result.scenario == "automated review"
    assert result.future.step("review").load == pytest.approx(0.18)


def test_compare_without_any_scenario_is_an_error() -> None:
    with pytest.raises(SimulationError, match="no future_state"):
        compare(build(BOTTLENECK, demand="2/h"), REF, cases=100, replications=2)


def test_a_scenario_keeps_the_delay_that_is_not_queueing() -> None:
    # canvas wait 2 h, of which queueing (M/M/1, load 1/3) explains 10 min: a second person
    # must not bring the simulated wait back up to 2 h (the delay is fixed on the current state)
    steps = [{"id": "a", "people": 1, "process_time": "20min", "wait_time": "2h"}]
    canvas = build(steps, demand="1/h")
    settings = SimulationSettings(service="exponential")
    scenario = Scenario(name="more", changes=[{"step": "a", "people": "+1"}])
    result = compare(canvas, REF, scenario, cases=2000, replications=8, settings=settings)
    now, then = result.current.step("a").wait, result.future.step("a").wait
    assert now is not None and then is not None
    assert now.low <= 120 <= now.high
    a = 1 / 3  # M/M/2 with offered load 1/3: Erlang C, then Wq = C × S / (c − a)
    p_wait = (a**2 / 2 * 2 / (2 - a)) / (1 + a + a**2 / 2 * 2 / (2 - a))
    expected = 110 + p_wait * 20 / (2 - a)
    assert then.low <= expected <= then.high
