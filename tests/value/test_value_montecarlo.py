"""Monte Carlo against closed forms, within sampling error; seeded and reproducible."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy import stats

from opcanvas.canvas.quantities import Range
from opcanvas.value import quantify
from opcanvas.value.sampling import draw

N = 200_000


def test_product_of_independent_uniforms(make_canvas: Any) -> None:
    # X ~ U(1, 3), Y ~ U(0.2, 0.6): E[XY] = 2 × 0.4; sd(XY) = 1/3; the value is 120 XY
    canvas = make_canvas(
        {"id": "g", "drivers": {"current_loss": [1, 3], "improvement": ["20%", "60%"],
                                "volume": 10, "frequency": 12}}
    )  # fmt: skip
    value = quantify(canvas, samples=N, seed=7)[0]
    mean, sd = 120 * 2 * 0.4, 120 / 3
    assert abs(value.mean - mean) < 4 * sd / math.sqrt(N)
    assert value.annual_value == 96.0  # at the likely values (the midpoints)


@pytest.mark.parametrize(
    ("q", "frozen"),
    [
        (Range(0.0, 1.0, 2.0), stats.triang(c=0.5, loc=0, scale=2)),
        (Range(10.0, 20.0, 60.0), stats.triang(c=0.2, loc=10, scale=50)),
        (Range(5.0, 7.5, 10.0, "uniform"), stats.uniform(loc=5, scale=5)),
        (Range(2.0, 100.0, 198.0, "normal", sd=30.0), stats.norm(loc=100, scale=30)),
        (Range(0.0, 6.0, 10.0, "pert"), stats.beta(a=1 + 4 * 0.6, b=1 + 4 * 0.4, scale=10)),
    ],
)
def test_percentiles_match_the_distribution(q: Range, frozen: Any, make_canvas: Any) -> None:
    canvas = make_canvas({"id": "g", "drivers": {"x": q}, "formulas": {"annual_value": "x"}})
    value = quantify(canvas, samples=N, seed=1)[0]
    for got, p in ((value.p10, 0.1), (value.p50, 0.5), (value.p90, 0.9)):
        # standard error of a sample quantile: sqrt(p(1-p)/n) / density
        se = math.sqrt(p * (1 - p) / N) / frozen.pdf(frozen.ppf(p))
        assert abs(got - frozen.ppf(p)) < 5 * se


def test_lognormal_takes_mean_and_sd_of_the_variable() -> None:
    q = Range(0.0, 50.0, 100.0, "lognormal", sd=20.0)
    x = draw(q, N, np.random.default_rng(2))
    assert isinstance(x, np.ndarray)
    assert abs(x.mean() - 50) < 5 * 20 / math.sqrt(N)
    assert x.std() == pytest.approx(20, rel=0.02)
    assert x.min() > 0


def test_pert_mean_is_the_classic_weighting() -> None:
    x = draw(Range(0.0, 6.0, 10.0, "pert"), N, np.random.default_rng(3))
    assert isinstance(x, np.ndarray)
    assert abs(x.mean() - (0 + 4 * 6 + 10) / 6) < 0.02


def test_same_seed_same_numbers_other_seed_other_numbers(example: Any) -> None:
    a = [v.to_dict() for v in quantify(example, samples=5000, seed=11)]
    b = [v.to_dict() for v in quantify(example, samples=5000, seed=11)]
    c = [v.to_dict() for v in quantify(example, samples=5000, seed=12)]
    assert a == b
    assert a[0]["p50"] != c[0]["p50"]
    assert a[0]["annual_value"] == c[0]["annual_value"]


def test_a_gap_keeps_its_numbers_when_another_gap_is_added(make_canvas: Any) -> None:
    gap = {"id": "g", "drivers": {"x": [1, 2, 3]}, "formulas": {"annual_value": "x"}}
    other = {"id": "a", "drivers": {"y": [1, 5]}, "formulas": {"annual_value": "y"}}
    alone = quantify(make_canvas(gap), samples=1000)[0]
    beside = quantify(make_canvas(other, gap), samples=1000)[1]
    assert alone.to_dict() == beside.to_dict()


def test_roi_percentiles_and_probability_of_loss(make_canvas: Any) -> None:
    # value ~ U(0, 200); cost 100: ROI = value/100 − 1 ~ U(−1, 1), P(ROI < 0) = 0.5
    canvas = make_canvas({"id": "g", "drivers": {"annual_value": [0, 200]},
                          "implementation_cost": 100})  # fmt: skip
    value = quantify(canvas, samples=N, seed=5)[0]
    assert value.prob_negative_roi == pytest.approx(0.5, abs=0.01)
    assert value.roi_p10 == pytest.approx(-0.8, abs=0.01)
    assert value.roi_p90 == pytest.approx(0.8, abs=0.01)
    assert value.roi == 0.0  # the likely value is the midpoint


def test_tornado_sorts_drivers_by_swing(example: Any) -> None:
    canvas = example.model_copy(deep=True)
    gap = canvas.gaps[0]
    gap.drivers["deal_size"] = Range(40_000.0, 50_000.0, 70_000.0)
    bars = quantify(canvas, samples=100)[0].tornado
    assert [b.driver for b in bars] == ["improvement", "deal_size"]
    # improvement 60 % → 90 %: 1.8M × 0.3 = 540K; deal size 40K → 70K: 0.8 × 21.6 × 30K = 518.4K
    assert bars[0].swing == pytest.approx(540_000)
    assert bars[1].swing == pytest.approx(518_400)
    assert (bars[0].value_at_low, bars[0].value_at_high) == (1_080_000, 1_620_000)


def test_quantiles_match_numpy_linear_percentiles() -> None:
    from opcanvas.value.quantify import _quantiles

    x = np.random.default_rng(9).lognormal(0, 1, 12_345)
    assert _quantiles(np.sort(x)) == pytest.approx(tuple(np.percentile(x, [10, 50, 90])))


def test_fixed_cost_roi_quantiles_equal_sampled_ones(make_canvas: Any) -> None:
    fixed = make_canvas({"id": "g", "drivers": {"annual_value": [50, 100, 400]},
                         "implementation_cost": 100, "running_cost": 10})  # fmt: skip
    value = quantify(fixed, samples=50_000, seed=2)[0]
    assert value.roi_p50 == pytest.approx((value.p50 - 10 - 100) / 100)
    assert value.prob_negative_roi == pytest.approx(
        float(np.mean(draw(Range(50.0, 100.0, 400.0), 50_000, np.random.default_rng(0)) < 110)),
        abs=0.01,
    )


def test_annual_value_samples_are_the_draws_behind_the_percentiles() -> None:
    from opcanvas.canvas import load_canvas
    from opcanvas.value import annual_value_samples, quantify

    canvas = load_canvas("examples/sales-proposal.yaml")
    value = quantify(canvas, samples=2_000, seed=7)[0]
    draws = annual_value_samples(canvas, value.gap_id, samples=2_000, seed=7)
    assert draws.shape == (2_000,)
    assert np.percentile(draws, [10, 50, 90]).tolist() == pytest.approx(
        [value.p10, value.p50, value.p90], rel=1e-12
    )
    assert float(draws.mean()) == pytest.approx(value.mean, rel=1e-12)
