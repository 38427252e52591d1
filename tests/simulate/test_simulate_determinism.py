"""Same seed, same numbers; invariants that hold for any stable stream."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from simkit import REF, build

from opcanvas.simulate import SimulationSettings, simulate

STREAM = [
    {"id": "a", "people": 2, "process_time": ["5min", "10min", "20min"], "wait_time": "30min",
     "complete_accurate": "90%"},
    {"id": "b", "process_time": "15min", "wait_time": "1h", "drop_off": "10%",
     "branches": [{"to": "c", "probability": "60%"}, {"to": "d", "probability": "40%"}]},
    {"id": "c", "people": 1, "process_time": "8min"},
    {"id": "d", "people": 1, "process_time": "12min", "batch_size": 2},
]  # fmt: skip


def run(seed: int) -> str:
    result = simulate(build(STREAM, demand="4/h"), REF, cases=400, replications=3, seed=seed)
    return json.dumps(result.to_dict(), sort_keys=True)


def test_same_seed_same_numbers() -> None:
    assert run(7) == run(7)


def test_another_seed_other_numbers() -> None:
    first, second = json.loads(run(7)), json.loads(run(8))
    assert first["lead_time"]["mean"]["mean"] != second["lead_time"]["mean"]["mean"]
    assert "SeedSequence([7, r])" in first["conventions"]["replications"]
    assert "SeedSequence([8, r])" in second["conventions"]["replications"]


def test_replications_differ_from_each_other() -> None:
    result = simulate(build(STREAM, demand="4/h"), REF, cases=400, replications=4)
    means = result.per_replication["lead_time_mean"]
    assert len(set(means)) == 4
    lead = result.lead_time
    assert lead is not None and lead.mean.low < lead.mean.mean < lead.mean.high


def test_every_result_prints_its_conventions() -> None:
    conventions = json.loads(run(0))["conventions"]
    for key in ("arrivals", "clock", "confidence", "waits", "service_times", "warmup", "rework",
                "replications", "stability", "lead_time"):  # fmt: skip
        assert conventions.get(key), key
    assert "95% Student-t interval" in conventions["confidence"]


@settings(max_examples=12, deadline=None)
@given(
    per_hour=st.floats(1, 50),
    people=st.integers(1, 4),
    minutes=st.floats(0.5, 20),
    quality=st.floats(0.6, 1.0),
    waits=st.sampled_from(["auto", "queueing", "delay"]),
)
def test_invariants_of_any_stable_stream(
    per_hour: float, people: int, minutes: float, quality: float, waits: str
) -> None:
    steps = [{"id": "a", "people": people, "process_time": f"{minutes}min", "wait_time": "10min",
              "complete_accurate": quality}]  # fmt: skip
    canvas = build(steps, demand=f"{per_hour}/h")
    sim = SimulationSettings(waits=waits)  # type: ignore[arg-type]
    result = simulate(canvas, REF, cases=600, replications=2, settings=sim)
    load = result.step("a").load
    assert load is not None
    if load >= 1:
        assert not result.stable and result.lead_time is None
        return
    assert result.lead_time and result.wip and result.arrival_rate and result.time_in_system
    util = result.step("a").utilisation
    assert util is not None and 0 <= util.mean <= 1
    lead = result.lead_time
    assert 0 < lead.p50.mean <= lead.p85.mean <= lead.p95.mean
    assert lead.mean.mean >= minutes * 0.5  # at least some work is done on every case
    share = result.step("a").wait_share
    # one step holds all the waiting (undefined in a replication where nothing waits)
    assert share is not None and (share.n == 0 or share.mean == 1.0)
