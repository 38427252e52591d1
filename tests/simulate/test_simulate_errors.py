"""Bad input gives clear errors: what was expected, what was found, where."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from simkit import REF, build

from opcanvas.canvas import parse_canvas
from opcanvas.canvas.model import Branch
from opcanvas.errors import CanvasError, SimulationError, UnknownReferenceError
from opcanvas.simulate import SimulationSettings, event_log, simulate

BAD_BRANCHES = """
organization: A
engines:
  e:
    streams:
      s:
        name: S
        demand: 1/h
        steps:
          - id: x
            name: X
            branches: [{to: y, probability: 60%}, {to: z, probability: 30%}]
          - {id: y, name: Y}
          - {id: z, name: Z}
"""


def test_the_model_rejects_branch_probabilities_that_do_not_add_up() -> None:
    with pytest.raises(CanvasError) as info:
        parse_canvas(BAD_BRANCHES)
    text = str(info.value)
    assert "must add up to 100 %, they add up to 90.0%" in text
    assert "engines.e.streams.s.steps[0].branches" in text


def test_simulate_rejects_branch_probabilities_that_do_not_add_up() -> None:
    # a canvas built in code skips the file checks; the simulator checks again
    canvas = build([{"id": "x", "process_time": "1min"}, {"id": "y"}, {"id": "z"}])
    stream = canvas.stream(REF)
    stream.steps[0] = stream.steps[0].model_copy(update={"branches": [
        Branch(to="y", probability=0.6), Branch(to="z", probability=0.3)]})  # fmt: skip
    with pytest.raises(SimulationError) as info:
        simulate(canvas, REF, cases=20, replications=1)
    assert 'step "x": branch probabilities must add up to 100 %, they add up to 90.0%' in str(
        info.value
    )
    assert "e/s.steps[0].branches" in str(info.value)


@pytest.mark.parametrize(
    ("step", "message", "key"),
    [
        ({"id": "a", "people": 0, "process_time": "1min"},
         'step "a" has no capacity (people: 0)', "e/s.steps[0].people"),
        ({"id": "a", "process_time": "1min", "complete_accurate": "0%"},
         'step "a" has %C&A 0 %', "e/s.steps[0].complete_accurate"),
        ({"id": "a", "process_time": "1min", "batch_size": 2.5},
         'batch_size must be a whole number of 1 or more, got 2.5', "e/s.steps[0].batch_size"),
    ],
)  # fmt: skip
def test_a_step_that_cannot_work_is_named(step: dict[str, Any], message: str, key: str) -> None:
    with pytest.raises(SimulationError) as info:
        simulate(build([step]), REF, cases=20, replications=1)
    assert message in str(info.value) and key in str(info.value)


def test_a_stream_without_demand_says_how_to_give_one() -> None:
    with pytest.raises(SimulationError) as info:
        simulate(build([{"id": "a", "process_time": "1min"}], demand=None), REF, cases=20)
    assert "has no demand" in str(info.value) and 'demand (e.g. "40/month")' in str(info.value)


def test_an_unknown_stream_lists_the_streams() -> None:
    with pytest.raises(UnknownReferenceError, match="the canvas has: e/s"):
        simulate(build([{"id": "a"}]), "e/nope")


def test_an_overloaded_step_is_reported_unstable_not_simulated_forever() -> None:
    canvas = build([{"id": "a", "people": 1, "process_time": "1min"},
                    {"id": "b", "people": 2, "process_time": "3min"}], demand="45/h")  # fmt: skip
    result = simulate(canvas, REF, cases=10_000_000, replications=100)  # returns at once
    assert not result.stable
    assert result.reason is not None and 'step "b" needs 112.5% of its capacity' in result.reason
    assert "a" not in result.reason.split('"')[1::2]  # step a (75 %) is fine
    assert [s.stable for s in result.steps] == [True, False]
    assert result.lead_time is None and result.to_dict()["lead_time"] is None
    with pytest.raises(SimulationError, match=r'step "b" needs 112\.5% of its capacity'):
        event_log(canvas, REF, cases=10, start=datetime(2025, 1, 6, tzinfo=UTC))


def test_rework_counts_towards_the_load() -> None:
    # 50 % load on first passes, but half the work comes back: 100 % with rework
    canvas = build([{"id": "a", "people": 1, "process_time": "1min", "complete_accurate": "50%"}],
                   demand="30/h")  # fmt: skip
    result = simulate(canvas, REF, cases=100)
    assert not result.stable and "100.0%" in (result.reason or "")


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"cases": 5}, "cases: expected 10 or more, got 5"),
        ({"replications": 0}, "replications: expected 1 or more"),
        ({"warmup": 0.95}, "warmup: expected a share from 0 to 0.9"),
        ({"seed": -1}, "seed: expected a whole number of 0 or more"),
    ],
)
def test_run_arguments_are_checked(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(SimulationError, match=message):
        simulate(build([{"id": "a", "process_time": "1min"}]), REF, **kw)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"cv": -1.0}, "cv: expected a coefficient of variation of 0 or more"),
        ({"waits": "maybe"}, "waits: expected one of auto, queueing, delay, got 'maybe'"),
        ({"service": "weibull"}, "service: expected one of lognormal, gamma, exponential, fixed"),
        ({"interarrivals": ()}, "interarrivals: expected inter-arrival times"),
    ],
)
def test_settings_are_checked(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(SimulationError, match=message):
        SimulationSettings(**kw)
