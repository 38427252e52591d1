"""Routing and capacity semantics, checked on the engine's trace and on simulated results."""

from __future__ import annotations

import numpy as np
import pytest
from simkit import REF, build

from opcanvas.simulate import SimulationSettings, simulate
from opcanvas.simulate.engine import run
from opcanvas.simulate.run import build_network
from opcanvas.simulate.trace import COMPLETED, DROPPED, Trace

FIXED = SimulationSettings(service="fixed")


def trace_of(steps: list[dict[str, object]], settings: SimulationSettings = FIXED,
             cases: int = 400, **stream: object) -> tuple[Trace, list[str]]:  # fmt: skip
    canvas = build(steps, **stream)  # type: ignore[arg-type]
    net = build_network(canvas, REF, None, settings)
    return run(net, settings, cases, [0, 0]), [n.id for n in net.nodes]


def visits(trace: Trace, ids: list[str], step: str) -> np.ndarray:
    """Visits of ``step`` per case."""
    mask = trace.visit_step == ids.index(step)
    return np.bincount(trace.visit_case[mask], minlength=trace.arrival.size)


def test_exclusive_branches_split_work_by_their_probabilities() -> None:
    steps = [
        {"id": "x", "process_time": "1min",
         "branches": [{"to": "y", "probability": "70%"}, {"to": "z", "probability": "30%"}]},
        {"id": "y", "process_time": "1min"},
        {"id": "z", "process_time": "1min"},
    ]  # fmt: skip
    result = simulate(build(steps), REF, cases=2000, replications=5)
    y, z = result.step("y").visits, result.step("z").visits
    assert y and z and y.low <= 0.7 <= y.high and z.low <= 0.3 <= z.high
    assert y.mean + z.mean == pytest.approx(1.0)  # exactly one exit per case


def test_drop_off_leaves_the_stream_and_is_not_completed() -> None:
    steps = [{"id": "a", "process_time": "1min", "drop_off": "40%"},
             {"id": "b", "process_time": "1min"}]  # fmt: skip
    trace, ids = trace_of(steps, cases=3000)
    dropped = trace.outcome == DROPPED
    assert dropped.mean() == pytest.approx(0.4, abs=4 * np.sqrt(0.24 / 3000))
    assert np.all(visits(trace, ids, "b")[dropped] == 0)
    assert np.all(visits(trace, ids, "b")[~dropped] == 1)


def test_parallel_paths_fork_and_the_join_waits_for_both() -> None:
    steps = [
        {"id": "a", "process_time": "1min"},
        {"id": "b", "process_time": "5min", "after": ["a"]},
        {"id": "c", "process_time": "3min", "after": ["a"]},
        {"id": "d", "process_time": "1min", "after": ["b", "c"]},
    ]
    trace, ids = trace_of(steps, demand="1/h")
    assert np.all(visits(trace, ids, "d") == 1)
    lead = trace.exit - trace.arrival
    assert lead == pytest.approx(np.full(lead.size, 1 + 5 + 1))  # the longer branch counts
    d_start = trace.visit_start[trace.visit_step == ids.index("d")]
    b_end = trace.visit_end[trace.visit_step == ids.index("b")]
    assert np.all(d_start >= b_end - 1e-9)


def test_a_join_after_exclusive_branches_merges_without_waiting() -> None:
    steps = [
        {"id": "x", "process_time": "1min",
         "branches": [{"to": "y", "probability": "50%"}, {"to": "z", "probability": "50%"}]},
        {"id": "y", "process_time": "2min"},
        {"id": "z", "process_time": "4min"},
        {"id": "w", "process_time": "1min", "after": ["y", "z"]},
    ]  # fmt: skip
    trace, ids = trace_of(steps, demand="1/h")
    assert np.all(visits(trace, ids, "w") == 1)
    lead = trace.exit - trace.arrival
    took_y = visits(trace, ids, "y") == 1
    assert lead[took_y] == pytest.approx(np.full(took_y.sum(), 4.0))
    assert lead[~took_y] == pytest.approx(np.full((~took_y).sum(), 6.0))


def test_rework_to_an_earlier_step_repeats_the_steps_in_between() -> None:
    steps = [
        {"id": "a", "process_time": "1min"},
        {"id": "b", "process_time": "1min"},
        {"id": "c", "process_time": "1min", "complete_accurate": "75%", "rework_to": "a"},
    ]
    trace, ids = trace_of(steps, cases=3000)
    per_case = [visits(trace, ids, s) for s in ids]
    assert np.array_equal(per_case[0], per_case[1]) and np.array_equal(per_case[1], per_case[2])
    assert per_case[2].mean() == pytest.approx(1 / 0.75, rel=0.05)  # geometric number of passes


def test_a_batch_starts_together_once_full() -> None:
    steps = [{"id": "a", "process_time": "1min", "batch_size": 4}]
    trace, _ = trace_of(steps, cases=400, demand="1/min")
    _, counts = np.unique(trace.visit_start, return_counts=True)
    assert set(counts.tolist()) == {4}  # 400 cases: 100 full batches, nothing left over
    # waiting for a batch of b to fill under Poisson arrivals: (b - 1) / (2 λ) on average
    result = simulate(build(steps, demand="1/min"), REF, cases=2000, replications=5,
                      settings=FIXED)  # fmt: skip
    wait = result.step("a").wait
    assert wait is not None and wait.low <= 1.5 <= wait.high


def test_a_wip_cap_holds_work_at_the_entry() -> None:
    steps = [{"id": "a", "people": 1, "process_time": "50s"}]
    trace, _ = trace_of(steps, SimulationSettings(service="exponential"), cases=2000,
                        demand="1/min", wip_limit=3)  # fmt: skip
    events = np.concatenate([trace.admit, trace.exit])
    change = np.concatenate([np.ones(trace.admit.size), -np.ones(trace.exit.size)])
    order = np.lexsort((change, events))  # at a tie the exit comes first
    assert np.cumsum(change[order]).max() <= 3
    assert np.any(trace.admit > trace.arrival)  # somebody did wait at the entry


def test_a_handoff_delay_is_added_when_the_lane_changes() -> None:
    steps = [{"id": "a", "lane": "Sales", "process_time": "1min"},
             {"id": "b", "lane": "Sales", "process_time": "1min"},
             {"id": "c", "lane": "Legal", "process_time": "1min"}]  # fmt: skip
    settings = SimulationSettings(service="fixed", handoff_delay=30.0)
    trace, _ = trace_of(steps, settings, demand="1/h")
    assert (trace.exit - trace.arrival) == pytest.approx(np.full(400, 3 + 30.0))


@pytest.mark.parametrize(
    ("waits", "expected_delay"),
    [("auto", 60.0), ("delay", 60.0), ("queueing", 0.0)],
)
def test_waits_of_a_step_without_people_are_delays_unless_queueing(
    waits: str, expected_delay: float
) -> None:
    steps = [{"id": "a", "process_time": "1min", "wait_time": "1h"}]
    settings = SimulationSettings(service="fixed", waits=waits)  # type: ignore[arg-type]
    trace, _ = trace_of(steps, settings, demand="1/day")
    assert (trace.exit - trace.arrival) == pytest.approx(np.full(400, 1 + expected_delay))


def test_auto_waits_add_only_the_part_queueing_does_not_explain() -> None:
    # M/M/1 at load 0.5 queues 1 min per visit; the canvas says 10 min: 9 min are delay
    steps = [{"id": "a", "people": 1, "process_time": "1min", "wait_time": "10min"}]
    settings = SimulationSettings(service="exponential")
    result = simulate(build(steps, demand="30/h"), REF, cases=4000, replications=10,
                      settings=settings)  # fmt: skip
    wait = result.step("a").wait
    assert wait is not None and wait.low <= 10.0 <= wait.high
    net = build_network(build(steps, demand="30/h"), REF, None, settings)
    assert net.nodes[0].queue_estimate == pytest.approx(1.0)
    assert net.nodes[0].delay is not None and net.nodes[0].delay.mean == pytest.approx(9.0)


def test_fractional_people_keep_capacity_exact() -> None:
    steps = [{"id": "a", "people": 1.5, "process_time": "1min"}]
    net = build_network(build(steps, demand="60/h"), REF, None, SimulationSettings())
    assert net.nodes[0].servers == 2
    assert net.loads[0] == pytest.approx(1 / 1.5)


def test_every_case_ends_completed_when_nothing_drops() -> None:
    steps = [{"id": "a", "people": 2, "process_time": "1min", "complete_accurate": "90%",
              "batch_size": 3}]  # fmt: skip
    trace, _ = trace_of(steps, cases=500, demand="1/min")
    assert np.all(trace.outcome == COMPLETED)
    assert np.all(trace.exit >= trace.arrival)


def test_nested_forks_join_once_and_a_side_path_is_not_waited_for() -> None:
    steps = [
        {"id": "a", "process_time": "1min"},
        {"id": "b", "process_time": "1min", "after": ["a"]},
        {"id": "c", "process_time": "10min", "after": ["a"]},
        {"id": "e", "process_time": "30min", "after": ["a"]},  # ends on its own
        {"id": "b1", "process_time": "2min", "after": ["b"]},
        {"id": "b2", "process_time": "3min", "after": ["b"]},
        {"id": "d", "process_time": "1min", "after": ["b1", "b2", "c"]},
    ]
    trace, ids = trace_of(steps, demand="1/day", cases=50)
    assert np.all(visits(trace, ids, "d") == 1)
    d = trace.visit_step == ids.index("d")
    started = trace.visit_start[d] - trace.arrival[trace.visit_case[d]]
    assert started == pytest.approx(np.full(50, 1 + 10.0))  # not waiting for e
    assert (trace.exit - trace.arrival) == pytest.approx(np.full(50, 31.0))  # e ends last
    assert trace.forced_joins == 0
