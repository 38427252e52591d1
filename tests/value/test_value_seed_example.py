"""The seed's worked example (sales proposal bottleneck) to the dollar, from the shipped file."""

from __future__ import annotations

import pytest

from opcanvas.canvas import Canvas
from opcanvas.value import evaluate_gap, quantify


def test_every_line_of_the_worked_example_is_exact(example: Canvas) -> None:
    lines = evaluate_gap(example.gaps[0], example)
    assert lines == {
        "lost_days": 1440.0,
        "lost_deals": 1_080_000.0,
        "wasted_capacity": 720_000.0,
        "recovered_deals": 864_000.0,
        "capacity_savings": 576_000.0,
        "annual_value": 1_440_000.0,
    }


def test_roi_is_2780_percent_on_50k(example: Canvas) -> None:
    value = quantify(example, samples=2000)[0]
    assert value.implementation_cost == 50_000.0
    assert value.roi == 27.8  # (1.44M − 50K) / 50K, exact
    assert f"{value.roi:.0%}" == "2780%"
    assert value.payback_months == pytest.approx(50_000 / (1_440_000 / 12))


def test_npv_uses_the_roadmap_horizon_and_rate(example: Canvas) -> None:
    value = quantify(example, samples=100)[0]
    expected = -50_000 + sum(1_440_000 / 1.1**y for y in (1, 2, 3))
    assert value.npv == pytest.approx(expected, rel=1e-12)


def test_the_builtin_seed_formula_multiplies_the_four_drivers(example: Canvas) -> None:
    crm = next(v for v in quantify(example, samples=100) if v.gap_id == "crm-handoff")
    assert crm.builtin_formula
    assert crm.formula_text == {"annual_value": "current_loss * improvement * volume * frequency"}
    assert crm.annual_value == 2500 * 0.6 * 12 * 12  # 216,000
    assert crm.roi == pytest.approx((216_000 - 80_000) / 80_000)


def test_point_estimate_mean_uses_the_range_mean(example: Canvas) -> None:
    settings = example.settings.model_copy(update={"point_estimate": "mean"})
    canvas = example.model_copy(update={"settings": settings})
    lines = evaluate_gap(canvas.gaps[0], canvas)
    improvement = (0.6 + 0.8 + 0.9) / 3  # triangular mean
    assert lines["annual_value"] == pytest.approx(1_800_000 * improvement)


def test_running_cost_is_subtracted_from_roi(make_canvas) -> None:  # type: ignore[no-untyped-def]
    canvas = make_canvas(
        {"id": "g", "drivers": {"annual_value": 100_000}, "implementation_cost": 20_000,
         "running_cost": 10_000}
    )  # fmt: skip
    value = quantify(canvas, samples=100)[0]
    assert value.roi == pytest.approx((100_000 - 10_000 - 20_000) / 20_000)
    assert value.payback_months == pytest.approx(20_000 / (90_000 / 12))
    assert value.lines == {"annual_value": 100_000.0}
