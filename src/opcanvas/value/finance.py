"""ROI, payback and NPV of one initiative, with the definitions printed beside every result.

- **ROI** (first year) = (annual value − running cost − implementation cost) / implementation cost.
  The seed's convention: the whole annual value counts in year one (the roadmap's value timing,
  which starts value at the end of the completing sprint, is separate). Undefined (``None``)
  when the implementation cost is blank or zero.
- **Payback** (months) = implementation cost / ((annual value − running cost) / 12); ``None``
  when the net annual value is zero or less.
- **NPV** = −implementation cost + Σ_{y=1..H} (annual value − running cost) / (1 + r)^y, with
  H = ``roadmap.horizon_years`` and r = ``roadmap.discount_rate``: end-of-year flows, value from
  year one, no ramp-up.

>>> roi(Fraction(1_440_000), Fraction(50_000))
Fraction(139, 5)
>>> round(float(payback_months(Fraction(1_440_000), Fraction(50_000))), 3)
0.417
"""

from __future__ import annotations

from fractions import Fraction

ROI_DEFINITION = (
    "first-year ROI = (annual value − running cost − implementation cost) / implementation cost; "
    "the whole annual value counts in year one"
)
PAYBACK_DEFINITION = "payback = implementation cost / (net annual value / 12) months"


def npv_definition(years: int, rate: float) -> str:
    return (
        f"NPV = −implementation cost + net annual value discounted at {rate:.1%} a year, "
        f"end of years 1–{years}"
    )


def roi(
    annual: Fraction, cost: Fraction | None, running: Fraction = Fraction(0)
) -> Fraction | None:
    """First-year ROI as a fraction (27.8 means 2,780 %); None when the cost is blank or 0."""
    if cost is None or cost == 0:
        return None
    return (annual - running - cost) / cost


def payback_months(
    annual: Fraction, cost: Fraction | None, running: Fraction = Fraction(0)
) -> Fraction | None:
    net = annual - running
    if cost is None or net <= 0:
        return None
    return cost / (net / 12)


def npv(
    annual: Fraction,
    cost: Fraction | None,
    *,
    years: int,
    rate: Fraction,
    running: Fraction = Fraction(0),
) -> Fraction | None:
    if cost is None:
        return None
    net = annual - running
    return -cost + sum((net / (1 + rate) ** year for year in range(1, years + 1)), Fraction(0))
