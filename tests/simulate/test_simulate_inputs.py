"""Where the model's numbers come from: demand, resampled arrivals, mined durations, progress."""

from __future__ import annotations

import numpy as np
import pytest
from simkit import REF, build

from opcanvas.canvas.model import StepMeasured
from opcanvas.simulate import SimulationSettings, simulate
from opcanvas.simulate.run import build_network
from opcanvas.simulate.trace import arrival_times


def test_demand_falls_back_to_the_trigger_volume() -> None:
    canvas = build([{"id": "a", "process_time": "1min"}], demand=None,
                   trigger={"event": "Claim filed", "volume": "30/h"})  # fmt: skip
    result = simulate(canvas, REF, cases=300, replications=2)
    assert result.demand == pytest.approx(0.5)
    assert "trigger volume" in result.conventions["arrivals"]


def test_inter_arrival_times_given_as_data_are_resampled() -> None:
    gaps = (1.0, 1.0, 4.0)  # mean 2: half a case a minute, never Poisson-like
    settings = SimulationSettings(interarrivals=gaps)
    net = build_network(build([{"id": "a", "process_time": "1min"}]), REF, None, settings)
    assert net.arrival_rate == pytest.approx(0.5)
    times = arrival_times(net, settings, 3000, [0, 0])
    assert set(np.round(np.diff(times), 9).tolist()) <= set(gaps)
    result = simulate(build([{"id": "a", "process_time": "1min"}]), REF, cases=300,
                      replications=2, settings=settings)  # fmt: skip
    assert "resampled from 3 inter-arrival times" in result.conventions["arrivals"]


def test_mined_durations_replace_workshop_values_when_preferred() -> None:
    canvas = build([{"id": "a", "people": 1, "process_time": "10min"}], demand="1/h")
    stream = canvas.stream(REF)
    stream.steps[0] = stream.steps[0].model_copy(
        update={"measured": StepMeasured(process_time="20min")}
    )
    assert build_network(canvas, REF, None, SimulationSettings()).nodes[0].service.mean == 20.0
    canvas.settings.prefer_measured = False
    assert build_network(canvas, REF, None, SimulationSettings()).nodes[0].service.mean == 10.0


def test_progress_is_reported_after_each_replication() -> None:
    seen: list[tuple[int, int]] = []
    simulate(build([{"id": "a", "process_time": "1min"}]), REF, cases=100, replications=3,
             progress=lambda done, total: seen.append((done, total)))  # fmt: skip
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_one_replication_has_no_interval_and_says_so() -> None:
    result = simulate(build([{"id": "a", "process_time": "1min"}]), REF, cases=100,
                      replications=1)  # fmt: skip
    assert result.lead_time is not None and result.lead_time.mean.low != result.lead_time.mean.low
    assert result.to_dict()["lead_time"]["mean"]["low"] is None
    assert "one replication: no interval" in result.conventions["confidence"]
