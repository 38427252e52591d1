"""Gaps in dollars: point values, Monte Carlo percentiles, ROI, payback, NPV and a tornado.

Point values use ``settings.point_estimate`` (``likely`` or ``mean`` of each range) and exact
decimal arithmetic, so the seed's worked example is exact to the cent. The Monte Carlo draws
every ranged driver (and a ranged cost) independently, ``samples`` times, from a generator
seeded with ``(seed, crc32(gap id))``: the same seed gives the same numbers, and adding a gap
does not change the numbers of the others. Percentiles are NumPy's default (linear
interpolation). Samples where a formula divides by zero are left out of the percentiles and
counted in ``zero_division`` (share of samples, per formula).

The tornado moves one ranged driver at a time from its low to its high (the P10 and P90 for
normal and lognormal drivers) with every other driver at its point value, and sorts the drivers
by the swing of the annual value.

>>> from opcanvas.canvas import load_canvas
>>> canvas = load_canvas("examples/sales-proposal.yaml")
>>> evaluate_gap(canvas.gaps[0], canvas)["annual_value"]
1440000.0
"""

from __future__ import annotations

import zlib
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from opcanvas.canvas.gaps import Gap
from opcanvas.canvas.model import Canvas
from opcanvas.canvas.quantities import Quantity, Range, point
from opcanvas.errors import FormulaError, Location
from opcanvas.value.finance import npv, payback_months, roi
from opcanvas.value.formula import evaluate_array, exact
from opcanvas.value.model import ANNUAL_VALUE, GapModel, compile_gap, quantifiable
from opcanvas.value.sampling import draw


@dataclass(frozen=True)
class TornadoBar:
    """The annual value with one driver at its low and at its high, the others at point."""

    driver: str
    low: float
    high: float
    value_at_low: float | None
    value_at_high: float | None
    swing: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class GapValue:
    """One gap in money: point lines, percentiles, ROI, payback, NPV and sensitivity."""

    gap_id: str
    stream: str
    title: str
    currency: str
    annual_value: float
    lines: dict[str, float]
    p10: float
    p50: float
    p90: float
    mean: float
    implementation_cost: float | None
    running_cost: float | None
    roi: float | None
    roi_p10: float | None
    roi_p50: float | None
    roi_p90: float | None
    prob_negative_roi: float | None
    payback_months: float | None
    npv: float | None
    tornado: tuple[TornadoBar, ...]
    formula_text: dict[str, str]
    drivers: dict[str, float]
    ranged: tuple[str, ...] = ()
    builtin_formula: bool = False
    samples: int = 0
    seed: int = 0
    zero_division: dict[str, float] = field(default_factory=dict)
    invalid_share: float = 0.0
    step: str | None = None
    bottleneck: str | None = None
    handoff: str | None = None
    root_cause: str | None = None
    solution: str | None = None
    solution_type: str | None = None  # process_fix | integration | automation | ai_agent
    readiness: dict[str, Any] | None = None  # data and systems it needs, readiness level

    @property
    def net_annual_value(self) -> float:
        return self.annual_value - (self.running_cost or 0.0)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tornado"] = [bar.to_dict() for bar in self.tornado]
        return data


def evaluate_gap(gap: Gap, canvas: Canvas) -> dict[str, float]:
    """Every named formula of ``gap`` at point values (always including ``annual_value``).

    >>> from opcanvas.canvas import load_canvas
    >>> canvas = load_canvas("examples/sales-proposal.yaml")
    >>> evaluate_gap(canvas.gaps[0], canvas)["lost_days"]
    1440.0
    """
    model = compile_gap(canvas, _index_of(canvas, gap))
    lines = model.evaluate(model.point_env(canvas.settings.point_estimate))
    return {name: float(value) for name, value in lines.items()}


def _index_of(canvas: Canvas, gap: Gap) -> int:
    for i, candidate in enumerate(canvas.gaps):
        if candidate is gap or candidate.id == gap.id:
            return i
    raise FormulaError(f'gap "{gap.id}" is not in this canvas')


def quantify(canvas: Canvas, *, samples: int = 10_000, seed: int = 0) -> list[GapValue]:
    """Value every gap that has drivers or formulas, in canvas order.

    Gaps with neither are not guessed: :func:`unquantified` lists them.

    >>> from opcanvas.canvas import load_canvas
    >>> value = quantify(load_canvas("examples/sales-proposal.yaml"), samples=1000)[0]
    >>> value.annual_value, round(value.roi, 3)
    (1440000.0, 27.8)
    """
    if samples < 1:
        raise FormulaError(f"expected at least 1 Monte Carlo sample, got {samples}")
    return [
        _value(compile_gap(canvas, i), canvas, samples, seed)
        for i, gap in enumerate(canvas.gaps)
        if quantifiable(gap)
    ]


def annual_value_samples(
    canvas: Canvas, gap_id: str, *, samples: int = 10_000, seed: int = 0
) -> np.ndarray:
    """The Monte Carlo draws of one gap's annual value behind :func:`quantify`'s percentiles.

    Same seed, same draws: the histogram of these samples has exactly the P10/P50/P90 that
    ``quantify(canvas, samples=samples, seed=seed)`` reports. Failed samples (division by zero)
    are left out, as there.
    """
    gap = canvas.gap(gap_id)
    return _monte_carlo(compile_gap(canvas, _index_of(canvas, gap)), samples, seed).values


def unquantified(canvas: Canvas) -> list[tuple[str, str]]:
    """``(gap id, reason)`` for each gap that cannot be valued yet."""
    return [(gap.id, "no drivers or formulas yet") for gap in canvas.gaps if not quantifiable(gap)]


def _cost(q: Quantity | None, estimate: str) -> Fraction | None:
    value = point(q, "mean" if estimate == "mean" else "likely")
    return None if value is None else exact(value)


def _value(model: GapModel, canvas: Canvas, samples: int, seed: int) -> GapValue:
    estimate = canvas.settings.point_estimate
    env = model.point_env(estimate)
    lines = model.evaluate(env)
    annual = lines[ANNUAL_VALUE]
    gap = model.gap
    cost = _cost(gap.implementation_cost, estimate)
    running = _cost(gap.running_cost, estimate) or Fraction(0)
    rate = exact(point(canvas.roadmap.discount_rate, "likely") or 0.0)
    years = canvas.roadmap.horizon_years
    point_roi = roi(annual, cost, running)
    mc = _monte_carlo(model, samples, seed)
    return GapValue(
        gap_id=gap.id,
        stream=gap.stream,
        title=gap.title or gap.id,
        currency=canvas.currency,
        annual_value=float(annual),
        lines={k: float(v) for k, v in lines.items()},
        p10=mc.value_pct[0],
        p50=mc.value_pct[1],
        p90=mc.value_pct[2],
        mean=mc.mean,
        implementation_cost=None if cost is None else float(cost),
        running_cost=None if gap.running_cost is None else float(running),
        roi=None if point_roi is None else float(point_roi),
        roi_p10=None if mc.roi_pct is None else mc.roi_pct[0],
        roi_p50=None if mc.roi_pct is None else mc.roi_pct[1],
        roi_p90=None if mc.roi_pct is None else mc.roi_pct[2],
        prob_negative_roi=mc.prob_negative_roi,
        payback_months=_float(payback_months(annual, cost, running)),
        npv=_float(npv(annual, cost, years=years, rate=rate, running=running)),
        tornado=_tornado(model, env),
        formula_text=dict(model.texts),
        drivers={k: float(v) for k, v in env.items() if k in model.drivers},
        ranged=tuple(model.ranged()),
        builtin_formula=model.builtin,
        samples=samples,
        seed=seed,
        zero_division=mc.zero_division,
        invalid_share=mc.invalid_share,
        step=gap.step,
        bottleneck=gap.bottleneck,
        handoff=gap.handoff,
        root_cause=gap.root_cause,
        solution=gap.solution,
        solution_type=gap.solution_type,
        readiness=None if gap.readiness is None else gap.readiness.model_dump(),
    )


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class _MonteCarlo:
    value_pct: tuple[float, float, float]
    mean: float
    roi_pct: tuple[float, float, float] | None
    prob_negative_roi: float | None
    zero_division: dict[str, float]
    invalid_share: float
    values: np.ndarray  # the valid annual-value samples, sorted


def _monte_carlo(model: GapModel, n: int, seed: int) -> _MonteCarlo:
    gap = model.gap
    rng = np.random.default_rng([seed, zlib.crc32(gap.id.encode())])
    env: dict[str, np.ndarray | float] = dict(model.calendar)
    for name in sorted(model.drivers):
        env[name] = draw(model.drivers[name], n, rng)
    divided_by_zero: np.ndarray | None = None
    shares: dict[str, float] = {}
    for name, tree in model.order:
        zeros: list[np.ndarray] = []
        env[name] = evaluate_array(tree, env, zeros)
        if zeros:  # rare: only then pay for the masks
            hit = np.zeros(n, dtype=bool)
            for mask in zeros:
                hit |= np.broadcast_to(mask, (n,))
            shares[name] = float(hit.mean())
            divided_by_zero = hit if divided_by_zero is None else divided_by_zero | hit
    value = np.broadcast_to(np.asarray(env[ANNUAL_VALUE], dtype=float), (n,))
    invalid = ~np.isfinite(value)
    if divided_by_zero is not None:
        invalid |= divided_by_zero
    any_invalid = bool(invalid.any())
    valid = value[~invalid] if any_invalid else value
    if valid.size == 0:
        raise FormulaError(
            f'gap "{gap.id}": every Monte Carlo sample of annual_value failed '
            f"(division by zero in {', '.join(sorted(shares)) or 'a formula'})",
            where=Location(key=f"{model.key}.drivers"),
            hint="narrow the ranges so that no divisor can be zero",
        )
    ordered = np.sort(valid)
    pct = _quantiles(ordered)
    cost = _draw_cost(gap.implementation_cost, n, rng)
    running = _draw_cost(gap.running_cost, n, rng)
    roi_pct: tuple[float, float, float] | None = None
    negative: float | None = None
    if cost is not None and np.all(cost > 0):
        if isinstance(cost, float) and not isinstance(running, np.ndarray):
            # a fixed cost: ROI is an increasing affine map of the value, so are its quantiles
            fixed = 0.0 if running is None else running
            roi_pct = tuple((q - fixed - cost) / cost for q in pct)  # type: ignore[assignment]
            negative = float(np.mean(valid < fixed + cost))
        else:
            roi_samples = (value - (0.0 if running is None else running) - cost) / cost
            roi_valid = np.broadcast_to(roi_samples, (n,))
            roi_valid = roi_valid[~invalid] if any_invalid else roi_valid
            roi_pct = _quantiles(np.sort(roi_valid))
            negative = float(np.mean(roi_valid < 0))
    return _MonteCarlo(
        pct,
        float(valid.mean()),
        roi_pct,
        negative,
        shares,
        float(invalid.mean()),
        ordered,
    )


def _draw_cost(q: Quantity | None, n: int, rng: np.random.Generator) -> np.ndarray | float | None:
    return None if q is None else draw(q, n, rng)


def _quantiles(ordered: np.ndarray) -> tuple[float, float, float]:
    """P10, P50, P90 of sorted samples by linear interpolation (NumPy's default method,
    computed on one sort, which is faster here than ``np.percentile``'s partitions)."""
    out = []
    last = ordered.size - 1
    for p in (0.1, 0.5, 0.9):
        h = last * p
        low = int(np.floor(h))
        high = min(low + 1, last)
        out.append(float(ordered[low] + (h - low) * (ordered[high] - ordered[low])))
    return out[0], out[1], out[2]


def _tornado(model: GapModel, env: dict[str, float | Fraction]) -> tuple[TornadoBar, ...]:
    bars = []
    for name in model.ranged():
        q = model.drivers[name]
        assert isinstance(q, Range)
        at = [_annual_at(model, env, name, x) for x in (q.low, q.high)]
        swing = None if None in at else abs(at[1] - at[0])  # type: ignore[operator]
        bars.append(TornadoBar(name, q.low, q.high, at[0], at[1], swing))
    return tuple(sorted(bars, key=lambda b: (b.swing is None, -(b.swing or 0.0), b.driver)))


def _annual_at(
    model: GapModel, env: dict[str, float | Fraction], name: str, value: float
) -> float | None:
    try:
        return float(model.evaluate({**env, name: value})[ANNUAL_VALUE])
    except FormulaError:
        return None  # this end of the range divides by zero: the bar shows it as blank
