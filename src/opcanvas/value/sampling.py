"""Draw samples of an uncertain driver (a :class:`~opcanvas.canvas.quantities.Range`).

| dist | parameters | how it is drawn |
|---|---|---|
| triangular | low, likely (mode), high | ``rng.triangular`` |
| pert | low, likely, high | low + (high − low) · Beta(α, β), α = 1 + 4(m − a)/(b − a), β = 1 + 4(b − m)/(b − a) (classic PERT, λ = 4) |
| uniform | low, high | ``rng.uniform`` |
| normal | mean, sd | ``rng.normal``; unbounded, so a sample may be negative |
| lognormal | mean, sd **of the variable itself** | σ² = ln(1 + sd²/mean²), μ = ln(mean) − σ²/2 |

A range whose low equals its high is a constant. A plain number is returned as it is and
broadcasts against the arrays.

>>> import numpy as np
>>> from opcanvas.canvas.quantities import Range
>>> x = draw(Range(0.0, 0.5, 1.0, "uniform"), 100_000, np.random.default_rng(0))
>>> round(float(x.mean()), 2)
0.5
"""  # noqa: E501

from __future__ import annotations

import math

import numpy as np

from opcanvas.canvas.quantities import Quantity, Range

_Z90 = 1.2815515655446004


def _sd(q: Range) -> float:
    if q.sd is not None:
        return q.sd
    return (q.high - q.low) / (2 * _Z90)  # low/high of a normal range are its P10 and P90


def draw(q: Quantity, n: int, rng: np.random.Generator) -> np.ndarray | float:
    """``n`` samples of ``q`` (an array), or ``q`` itself when it is a plain number."""
    if not isinstance(q, Range):
        return float(q)
    if q.dist == "normal":
        return rng.normal(q.likely, _sd(q), n)
    if q.dist == "lognormal":
        mean, sd = q.likely, _sd(q)
        sigma2 = math.log1p((sd / mean) ** 2)
        return rng.lognormal(math.log(mean) - sigma2 / 2, math.sqrt(sigma2), n)
    if q.high == q.low:
        return np.full(n, q.low)
    if q.dist == "uniform":
        return rng.uniform(q.low, q.high, n)
    if q.dist == "pert":
        width = q.high - q.low
        alpha = 1 + 4 * (q.likely - q.low) / width
        beta = 1 + 4 * (q.high - q.likely) / width
        return q.low + width * rng.beta(alpha, beta, n)
    return rng.triangular(q.low, q.likely, q.high, n)
