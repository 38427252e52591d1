"""Manufacturing figures: the Acme Stamping current state of Rother & Shook's *Learning to See*.

Book figures: 27,600 s available per shift (8 h − two 10-minute breaks), 2 shifts; demand
18,400 a month over 20 days = 920 a day → takt 60 s. C/T 1, 39, 46, 62, 40 s → processing time
188 s; inventory before each process 5 (coils), 7.6, 1.8, 2.7, 2 and 4.5 days → production lead
time 23.6 days. Operators needed = 188 ÷ 60 = 3.13.
"""

from __future__ import annotations

from typing import Any

import pytest
from flowkit import REF, canvas

from opcanvas.flow import analyze_stream

ACME = [
    {"id": "stamping", "cycle_time": "1s", "changeover": "1h", "uptime": "85%",
     "inventory_before": 4600, "operators": 1},  # coils: 5 days of demand
    {"id": "weld-1", "cycle_time": "39s", "changeover": "10min", "uptime": "100%",
     "inventory_before": 7000, "operators": 1},  # 4,600 L + 2,400 R
    {"id": "weld-2", "cycle_time": "46s", "changeover": "10min", "uptime": "80%",
     "inventory_before": 1700, "operators": 1},  # 1,100 L + 600 R
    {"id": "assembly-1", "cycle_time": "62s", "changeover": 0, "uptime": "100%",
     "inventory_before": 2450, "operators": 1},  # 1,600 L + 850 R
    {"id": "assembly-2", "cycle_time": "40s", "changeover": 0, "uptime": "100%",
     "inventory_before": 1840, "operators": 1},  # 1,200 L + 640 R
    {"id": "shipping", "inventory_before": 4140},  # 2,700 L + 1,440 R
]  # fmt: skip
PRODUCTION = {"shifts": 2, "shift_length": "8h", "breaks": "20min"}
INVENTORY_DAYS = [4600 / 920, 7000 / 920, 1700 / 920, 2450 / 920, 1840 / 920, 4140 / 920]


def acme(**settings: Any) -> Any:
    return canvas(
        ACME,
        mode="manufacturing",
        demand="18400/month",
        production=PRODUCTION,
        settings=settings or None,
    )


def test_available_time_and_takt() -> None:
    flow = analyze_stream(acme(), REF)
    assert flow.available_time_per_day == pytest.approx(2 * 27_600 / 60)  # 920 min
    assert flow.demand_per_day == pytest.approx(920.0)
    assert flow.takt_time == pytest.approx(1.0)  # 60 s


def test_inventory_days_of_demand() -> None:
    flow = analyze_stream(acme(), REF)
    assert [s.inventory_days for s in flow.steps] == pytest.approx(INVENTORY_DAYS)
    assert [round(d, 1) for d in INVENTORY_DAYS] == [5.0, 7.6, 1.8, 2.7, 2.0, 4.5]


def test_lead_time_ladder() -> None:
    flow = analyze_stream(acme(lead_time_includes_process_time=False), REF)
    day = 8 * 60  # the canvas calendar's working day
    assert flow.inventory_days == pytest.approx(sum(INVENTORY_DAYS))
    assert round(flow.inventory_days, 1) == 23.6
    assert flow.process_time == pytest.approx(188 / 60)
    assert flow.lead_time == pytest.approx(sum(INVENTORY_DAYS) * day)  # Σ inventory days
    with_ct = analyze_stream(acme(), REF)
    assert with_ct.lead_time == pytest.approx(sum(INVENTORY_DAYS) * day + 188 / 60)
    assert with_ct.critical_path == tuple(s["id"] for s in ACME)


def test_operators_needed_is_work_content_over_takt() -> None:
    flow = analyze_stream(acme(), REF)
    assert flow.work_content == pytest.approx(188 / 60)
    assert flow.operators_needed == pytest.approx(188 / 60)
    assert round(flow.operators_needed, 2) == 3.13


def test_effective_cycle_time_capacity_and_utilisation() -> None:
    flow = analyze_stream(acme(), REF)
    stamping, weld_2, assembly_1 = (
        flow.step("stamping"),
        flow.step("weld-2"),
        flow.step("assembly-1"),
    )
    assert stamping.effective_cycle_time == pytest.approx(1 / 60 / 0.85)
    assert weld_2.effective_cycle_time == pytest.approx(46 / 60 / 0.8)  # 57.5 s
    assert stamping.capacity_per_day == pytest.approx(920 * 0.85 * 60)
    assert assembly_1.utilisation == pytest.approx(920 * 62 / 55_200)
    assert weld_2.utilisation == pytest.approx(920 * 57.5 / 55_200)


def test_changeover_counts_per_unit_only_with_a_batch_size() -> None:
    steps = [{"id": "a", "cycle_time": "1min", "changeover": "30min", "uptime": "50%"}]
    without = analyze_stream(canvas(steps, mode="manufacturing"), REF).steps[0]
    assert without.effective_cycle_time == pytest.approx(2.0)  # 1 min ÷ 50 %
    steps[0]["batch_size"] = 60
    with_batch = analyze_stream(canvas(steps, mode="manufacturing"), REF).steps[0]
    assert with_batch.effective_cycle_time == pytest.approx(3.0)  # (1 + 30/60) ÷ 50 %


def test_steps_slower_than_takt_are_flagged() -> None:
    flow = analyze_stream(acme(), REF)
    codes = {(f.step, f.code) for f in flow.flags}
    assert ("assembly-1", "cycle_time_above_takt") in codes  # 62 s > 60 s
    assert ("assembly-1", "over_capacity") in codes  # 103 % utilised
    assert not any(step == "weld-2" for step, _ in codes if step)  # 57.5 s effective: fits
    assert flow.bottleneck == "assembly-1"
    assert flow.bottleneck_rule == "highest utilisation"


def test_effective_cycle_time_above_takt_when_only_uptime_pushes_it_over() -> None:
    steps = [{"id": "a", "cycle_time": "50s", "uptime": "80%"}]  # 62.5 s effective
    mapped = canvas(steps, mode="manufacturing", demand="920/day", production=PRODUCTION)
    flow = analyze_stream(mapped, REF)
    assert [f.code for f in flow.steps[0].flags] == [
        "effective_cycle_time_above_takt",
        "over_capacity",
    ]


def test_two_operators_share_a_cycle() -> None:
    steps = [{"id": "a", "cycle_time": "90s", "operators": 2}]
    mapped = canvas(steps, mode="manufacturing", demand="920/day", production=PRODUCTION)
    flow = analyze_stream(mapped, REF)
    step = flow.steps[0]
    assert step.utilisation == pytest.approx(0.75)
    assert step.capacity_per_day == pytest.approx(2 * 920 / 1.5)
    assert step.flags == ()


def test_manufacturing_fields_are_none_in_office_mode() -> None:
    flow = analyze_stream(canvas([{"id": "a", "cycle_time": "1min", "process_time": "2min"}]), REF)
    step = flow.steps[0]
    assert (step.cycle_time, step.effective_cycle_time, step.utilisation) == (None, None, None)
    assert step.process_time == 2.0


def test_breaks_longer_than_a_shift_are_bad_input() -> None:
    from opcanvas.errors import CanvasError

    bad = canvas([], mode="manufacturing", production={"shift_length": "1h", "breaks": "2h"})
    with pytest.raises(CanvasError, match="breaks") as info:
        analyze_stream(bad, REF)
    assert info.value.where is not None
    assert info.value.where.key == "engines.growth.streams.s.production.breaks"


def test_inventory_without_demand_is_kept_but_not_in_days() -> None:
    flow = analyze_stream(canvas([{"id": "a", "inventory_before": 100}], mode="manufacturing"), REF)
    assert flow.steps[0].inventory_days is None
    assert "a.inventory_before" not in flow.completeness.missing
    assert "demand" in flow.completeness.missing
