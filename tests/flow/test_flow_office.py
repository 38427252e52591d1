"""Office / knowledge-work figures (Martin & Osterling) checked by hand."""

from __future__ import annotations

import math

import pytest
from flowkit import REF, canvas, line

from opcanvas.flow import analyze_stream


def test_flow_efficiency_ten_minutes_of_work_in_thirty() -> None:
    flow = analyze_stream(canvas(line(("10min", "20min"))), REF)
    assert flow.lead_time == 30.0
    assert flow.process_time == 10.0
    assert flow.flow_efficiency == pytest.approx(1 / 3)
    assert f"{flow.flow_efficiency:.1%}" == "33.3%"


def test_rolled_complete_and_accurate_is_the_product() -> None:
    steps = [
        {"id": "a", "complete_accurate": "90%"},
        {"id": "b", "complete_accurate": "95%"},
        {"id": "c", "complete_accurate": "85%"},
    ]
    flow = analyze_stream(canvas(steps), REF)
    assert flow.rolled_cta == pytest.approx(0.72675)
    assert f"{flow.rolled_cta:.1%}" == "72.7%"


def test_three_step_stream_from_stated_lead_times() -> None:
    steps = [
        {"id": "a", "lead_time": "240min", "process_time": "60min"},
        {"id": "b", "lead_time": "120min", "process_time": "30min"},
        {"id": "c", "lead_time": "60min", "process_time": "15min"},
    ]
    flow = analyze_stream(canvas(steps), REF)
    assert flow.lead_time == 420.0
    assert flow.process_time == 105.0
    assert flow.flow_efficiency == 0.25  # exact: 105 / 420
    assert flow.wait_time == 315.0
    assert [s.wait_time for s in flow.steps] == [180.0, 90.0, 45.0]
    assert all(s.sources["wait_time"] == "derived" for s in flow.steps)
    assert all(s.sources["lead_time"] == "estimate" for s in flow.steps)
    assert flow.critical_path == ("a", "b", "c")


def test_step_lead_time_is_wait_plus_process_time_on_the_canvas_calendar() -> None:
    # 3 working days of 8 h wait + 6 h of work = 30 working hours
    flow = analyze_stream(canvas(line(("6h", "3d"))), REF)
    step = flow.steps[0]
    assert step.lead_time == 30 * 60
    assert step.sources == {
        "complete_accurate": "missing",
        "first_pass_yield": "missing",
        "lead_time": "derived",
        "people": "missing",
        "process_time": "estimate",
        "wait_time": "estimate",
    }


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"lead_time": "2h", "wait_time": "90min"}, (30.0, 90.0, 120.0)),  # PT derived
        ({"lead_time": "2h", "process_time": "30min"}, (30.0, 90.0, 120.0)),  # wait derived
        ({"process_time": "30min", "wait_time": "90min"}, (30.0, 90.0, 120.0)),  # LT derived
        ({"lead_time": "2h"}, (None, None, 120.0)),  # LT alone: nothing to split it
        ({"process_time": "30min"}, (30.0, None, None)),  # no wait: step LT unknown
    ],
)
def test_any_two_of_wait_pt_and_lt_give_the_third(
    given: dict[str, str], expected: tuple[float | None, ...]
) -> None:
    step = analyze_stream(canvas([{"id": "a", **given}]), REF).steps[0]
    assert (step.process_time, step.wait_time, step.lead_time) == expected


def test_lead_time_without_process_time_setting_reads_lt_as_the_wait() -> None:
    steps = [{"id": "a", "lead_time": "90min", "process_time": "30min"}]
    flow = analyze_stream(canvas(steps, settings={"lead_time_includes_process_time": False}), REF)
    step = flow.steps[0]
    assert (step.wait_time, step.lead_time, step.elapsed_time) == (90.0, 90.0, 120.0)
    assert flow.lead_time == 90.0  # the top rung: waits only
    assert flow.elapsed_time == 120.0
    assert flow.flow_efficiency == 0.25  # PT / (LT + PT)
    assert flow.conventions["lead_time_includes_process_time"].startswith("no:")


def test_lead_time_includes_process_time_by_default_and_says_so() -> None:
    flow = analyze_stream(canvas(line(("30min", "90min"))), REF)
    assert flow.lead_time == 120.0
    assert flow.conventions["lead_time_includes_process_time"].startswith("yes:")


def test_measured_values_win_when_preferred_and_the_source_is_recorded() -> None:
    step = {
        "id": "a",
        "process_time": "1h",
        "wait_time": "3h",
        "measured": {"process_time": "30min", "wait_time": "1d"},
    }
    preferred = analyze_stream(canvas([step]), REF).steps[0]
    assert (preferred.process_time, preferred.wait_time) == (30.0, 480.0)
    assert preferred.sources["process_time"] == "measured"
    estimates = analyze_stream(canvas([step], settings={"prefer_measured": False}), REF).steps[0]
    assert (estimates.process_time, estimates.wait_time) == (60.0, 180.0)
    assert estimates.sources["wait_time"] == "estimate"


def test_measured_value_fills_a_blank_even_when_estimates_are_preferred() -> None:
    step = {"id": "a", "process_time": "1h", "measured": {"wait_time": "2h"}}
    flow = analyze_stream(canvas([step], settings={"prefer_measured": False}), REF)
    assert flow.steps[0].wait_time == 120.0
    assert flow.steps[0].sources["wait_time"] == "measured"


@pytest.mark.parametrize(("estimate", "expected"), [("likely", 60.0), ("mean", 70.0)])
def test_a_range_counts_as_its_point_estimate(estimate: str, expected: float) -> None:
    steps = [{"id": "a", "process_time": ["30min", "60min", "120min"], "wait_time": 0}]
    flow = analyze_stream(canvas(steps, settings={"point_estimate": estimate}), REF)
    assert flow.process_time == expected  # triangular mean: (30 + 60 + 120) / 3
    assert flow.conventions["point_estimate"].startswith(estimate)


def test_first_pass_yield_rolls_up_step_yields() -> None:
    steps = [
        {"id": "a", "rework_rate": "10%"},
        {"id": "b", "measured": {"first_pass_yield": "80%"}},
        {"id": "c"},
    ]
    flow = analyze_stream(canvas(steps), REF)
    assert flow.first_pass_yield == pytest.approx(0.9 * 0.8)
    assert [s.sources["first_pass_yield"] for s in flow.steps] == ["derived", "measured", "missing"]


def test_takt_in_office_mode_uses_one_working_day() -> None:
    # 40 a month over 20 working days = 2 a day; an 8-hour day → one every 4 hours
    flow = analyze_stream(canvas(line(("1h", "3h"), ("3h", "1h")), demand="40/month"), REF)
    assert flow.demand_per_day == pytest.approx(2.0)
    assert flow.takt_time == pytest.approx(240.0)
    assert flow.available_time_per_day == 480.0
    assert flow.operators_needed == pytest.approx(1.0)  # 4 h of work per item ÷ 4 h takt


def test_takt_falls_back_on_the_trigger_volume() -> None:
    flow = analyze_stream(
        canvas(line(("1h", "0min")), trigger={"event": "x", "volume": "4/day"}), REF
    )
    assert flow.takt_time == pytest.approx(120.0)
    assert flow.sources["demand"] == "derived"


def test_takt_on_the_calendar_basis_counts_working_days_only() -> None:
    # 35 a week over 5 working days = 7 per working day of 7 h → takt 1 h
    flow = analyze_stream(
        canvas(
            line(("1h", "0min")),
            demand="35/week",
            calendar={"basis": "calendar", "hours_per_day": 7},
        ),
        REF,
    )
    assert flow.demand_per_day == pytest.approx(7.0)
    assert flow.takt_time == pytest.approx(60.0)


def test_blank_canvas_figures_are_none_not_zero() -> None:
    flow = analyze_stream(canvas([{"id": "a"}, {"id": "b", "lane": "Ops"}]), REF)
    assert flow.lead_time is None
    assert flow.process_time is None
    assert flow.flow_efficiency is None
    assert flow.rolled_cta is None
    assert flow.takt_time is None
    assert flow.bottleneck is None
    assert flow.steps[0].lead_time is None


def test_bottleneck_is_the_largest_wait() -> None:
    flow = analyze_stream(canvas(line(("1h", "2h"), ("5h", "1d"), ("1h", "3h"))), REF)
    assert flow.bottleneck == "s2"
    assert flow.bottleneck_rule == "largest wait"
    assert flow.steps[1].wait_share == pytest.approx(480 / (60 + 120 + 300 + 480 + 60 + 180))


def test_bottleneck_falls_back_on_the_largest_lead_time() -> None:
    steps = [{"id": "a", "lead_time": "2h"}, {"id": "b", "lead_time": "5h"}]
    flow = analyze_stream(canvas(steps), REF)
    assert (flow.bottleneck, flow.bottleneck_rule) == ("b", "largest lead time")


def test_handoffs_count_lane_changes_and_explicit_handoffs() -> None:
    steps = [
        {"id": "a", "lane": "Sales"},
        {"id": "b", "lane": "Sales"},
        {"id": "c", "lane": "Legal"},
        {"id": "d", "lane": "Sales"},
        {"id": "e", "lane": "Sales", "handoff": True},
        {"id": "f", "lane": "Ops", "handoff": False},
        {"id": "g"},  # no lane: not counted
    ]
    flow = analyze_stream(canvas(steps), REF)
    assert [s.id for s in flow.steps if s.handoff_in] == ["c", "d", "e"]
    assert flow.handoffs == 3


def test_stream_without_steps() -> None:
    flow = analyze_stream(canvas([]), REF)
    assert flow.lead_time is None
    assert flow.critical_path == ()
    assert [f.code for f in flow.flags] == ["no_steps"]
    assert math.isclose(flow.completeness.fraction, 0.0)
