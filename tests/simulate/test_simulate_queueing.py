"""Queueing theory as the oracle: closed forms must fall inside the simulation's 95 % CI."""

from __future__ import annotations

from math import factorial

import pytest
from simkit import REF, build

from opcanvas.simulate import SimulationSettings, simulate

EXPONENTIAL = SimulationSettings(service="exponential")


def erlang_c_wait(servers: int, rate: float, service: float) -> float:
    """Mean wait in queue of M/M/c, written out from the textbook formula."""
    a = rate * service
    top = a**servers / factorial(servers) * servers / (servers - a)
    p_wait = top / (sum(a**k / factorial(k) for k in range(servers)) + top)
    return p_wait * service / (servers - a)


@pytest.mark.parametrize(
    ("servers", "per_hour"),
    [(1, 42), (2, 96), (3, 144)],  # loads 0.7, 0.8, 0.8 with a 1-minute mean service
)
def test_mmc_mean_wait_matches_erlang_c(servers: int, per_hour: int) -> None:
    canvas = build([{"id": "a", "people": servers, "process_time": "1min"}],
                         demand=f"{per_hour}/h")  # fmt: skip
    result = simulate(canvas, REF, cases=4000, replications=20, settings=EXPONENTIAL)
    expected = erlang_c_wait(servers, per_hour / 60, 1.0)
    wait = result.step("a").wait
    assert wait is not None
    assert wait.low <= expected <= wait.high, (expected, wait)
    assert wait.half_width < 0.15 * expected  # the interval says something
    util = result.step("a").utilisation
    # a second check on the same run: twice the half-width (about a 99.9 % level)
    assert util is not None and abs(util.mean - per_hour / 60 / servers) < 2 * util.half_width


@pytest.mark.parametrize(
    ("settings", "process_time", "scv"),
    [
        (SimulationSettings(service="fixed"), "1min", 0.0),  # M/D/1
        (SimulationSettings(service="lognormal", cv=0.5), "1min", 0.25),
        (SimulationSettings(service="gamma", cv=1.5), "1min", 2.25),
        (SimulationSettings(), ["30s", "1min", "90s"], (0.25 + 1 + 2.25 - 0.5 - 0.75 - 1.5) / 18),
        (SimulationSettings(), {"dist": "uniform", "low": "0min", "high": "2min"}, 1 / 3),
    ],
    ids=["fixed", "lognormal", "gamma", "triangular-range", "uniform-range"],
)
def test_mg1_mean_wait_matches_pollaczek_khinchine(
    settings: SimulationSettings, process_time: object, scv: float
) -> None:
    canvas = build([{"id": "a", "people": 1, "process_time": process_time}],
                         demand="36/h")  # fmt: skip
    result = simulate(canvas, REF, cases=4000, replications=20, settings=settings)
    rho = 0.6
    expected = rho * 1.0 * (1 + scv) / (2 * (1 - rho))
    wait = result.step("a").wait
    assert wait is not None and wait.low <= expected <= wait.high, (expected, wait)


def test_rework_feedback_matches_the_jackson_network() -> None:
    # one server, 20 % returns: visits 1.25, effective arrival rate 0.625, load 0.625
    canvas = build(
        [{"id": "a", "people": 1, "process_time": "1min", "complete_accurate": "80%"}],
        demand="30/h",
    )
    result = simulate(canvas, REF, cases=4000, replications=20, settings=EXPONENTIAL)
    step = result.step("a")
    assert step.load == pytest.approx(0.625)
    assert step.visits is not None and step.visits.low <= 1.25 <= step.visits.high
    per_visit_wait = 0.625 / (1 - 0.625)
    assert step.wait is not None and step.wait.low <= per_visit_wait <= step.wait.high
    lead = result.lead_time
    assert lead is not None and lead.mean.low <= 1.25 * (per_visit_wait + 1) <= lead.mean.high


def test_tandem_lead_time_is_the_sum_of_mm1_sojourns() -> None:
    # Burke: the departures of an M/M/1 queue are Poisson, so each station is M/M/1
    steps = [{"id": "a", "people": 1, "process_time": "30s"},
             {"id": "b", "people": 1, "process_time": "45s"}]  # fmt: skip
    result = simulate(build(steps, demand="60/h"), REF, cases=4000, replications=20,
                      settings=EXPONENTIAL)  # fmt: skip
    expected = 1 / (2 - 1) + 1 / (4 / 3 - 1)
    assert result.lead_time is not None
    assert result.lead_time.mean.low <= expected <= result.lead_time.mean.high


@pytest.mark.parametrize(
    "steps",
    [
        [{"id": "a", "people": 2, "process_time": "1min", "complete_accurate": "90%"},
         {"id": "b", "people": 1, "process_time": "30s", "drop_off": "20%"},
         {"id": "c", "process_time": "2min", "wait_time": "5min"}],
        [{"id": "a", "people": 1, "process_time": "20s", "batch_size": 3},
         {"id": "b", "people": 1, "process_time": "40s", "rework_to": "a",
          "complete_accurate": "85%"}],
    ],
    ids=["rework-dropoff-delay", "batch-and-rework"],
)  # fmt: skip
def test_littles_law_holds_on_simulated_output(steps: list[dict[str, object]]) -> None:
    result = simulate(build(steps, demand="60/h"), REF, cases=3000, replications=5)
    assert result.wip and result.arrival_rate and result.time_in_system and result.backlog
    in_system = result.wip.mean + result.backlog.mean
    assert in_system == pytest.approx(
        result.arrival_rate.mean * result.time_in_system.mean, rel=0.03
    )


def test_littles_law_holds_with_a_wip_cap() -> None:
    steps = [{"id": "a", "people": 1, "process_time": "40s"},
             {"id": "b", "people": 1, "process_time": "45s"}]  # fmt: skip
    result = simulate(build(steps, demand="60/h", wip_limit=2), REF, cases=3000,
                      replications=5)  # fmt: skip
    assert result.wip and result.backlog and result.arrival_rate and result.time_in_system
    assert result.wip.high <= 2
    assert result.backlog.mean > 0.1  # the cap binds: work waits at the entry
    assert result.wip.mean + result.backlog.mean == pytest.approx(
        result.arrival_rate.mean * result.time_in_system.mean, rel=0.03
    )
