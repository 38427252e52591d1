"""The heapq engine and a SimPy model of the same stream agree within confidence intervals.

SimPy is the reference DESIGN.md names; the engine replaces it for speed (see
:mod:`opcanvas.simulate.engine`), so it must keep SimPy's semantics: FIFO multi-server queues,
Poisson arrivals, rework that returns to an earlier step.
"""

from __future__ import annotations

import numpy as np
import simpy
from simkit import REF, build

from opcanvas.simulate import Estimate, SimulationSettings, simulate

STEPS = [
    {"id": "a", "people": 2, "process_time": "3min"},
    {"id": "b", "people": 1, "process_time": "2min"},
    {"id": "c", "people": 1, "process_time": "1.5min", "complete_accurate": "80%",
     "rework_to": "b"},
]  # fmt: skip
RATE = 0.3  # per minute


def simpy_lead_times(seed: int, cases: int) -> np.ndarray:
    """The same stream written directly in SimPy: one process per case."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    people = [simpy.Resource(env, 2), simpy.Resource(env, 1), simpy.Resource(env, 1)]
    means = [3.0, 2.0, 1.5]
    lead = np.full(cases, np.nan)

    def case(i: int) -> simpy.events.ProcessGenerator:
        arrived, k = env.now, 0
        while k < 3:
            with people[k].request() as turn:
                yield turn
                yield env.timeout(rng.exponential(means[k]))
            k = 1 if k == 2 and rng.random() >= 0.8 else k + 1
        lead[i] = env.now - arrived

    def arrivals() -> simpy.events.ProcessGenerator:
        for i in range(cases):
            yield env.timeout(rng.exponential(1 / RATE))
            env.process(case(i))

    env.process(arrivals())
    env.run()
    return lead


def test_engine_and_simpy_agree_on_mean_lead_time() -> None:
    cases, reps = 3000, 10
    ours = simulate(build(STEPS, demand=f"{RATE * 60}/h"), REF, cases=cases, replications=reps,
                    settings=SimulationSettings(service="exponential"))  # fmt: skip
    first = cases // 10
    theirs = Estimate.of([simpy_lead_times(100 + r, cases)[first:].mean() for r in range(reps)])
    assert ours.lead_time is not None
    mine = ours.lead_time.mean
    # the difference of two independent means, against its own 95 % interval
    half = np.hypot(mine.half_width, theirs.half_width)
    assert abs(mine.mean - theirs.mean) < half, (mine, theirs)
    # and the Jackson-network value both should estimate
    visits_bc = 1 / 0.8
    expected = (
        erlang_c_wait(2, RATE, 3.0) + 3.0
        + visits_bc * (2.0 / (1 - RATE * visits_bc * 2.0))
        + visits_bc * (1.5 / (1 - RATE * visits_bc * 1.5))
    )  # fmt: skip
    assert mine.low <= expected <= mine.high
    assert theirs.low <= expected <= theirs.high


def erlang_c_wait(servers: int, rate: float, service: float) -> float:
    a = rate * service
    top = a**servers / 2 * servers / (servers - a)  # servers = 2: 2! = 2
    return top / (1 + a + top) * service / (servers - a)
