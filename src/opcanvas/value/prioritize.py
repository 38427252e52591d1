"""The gap prioritisation matrix: Priority Score, WSJF and a rank-stability check.

**Priority Score** = (Value × Alignment × Feasibility) / (Cost × Risk), each scored 1–5.

- *Value* comes from the annual value by ``settings.value_tiers`` (default $100K, $500K, $1M,
  $5M): score = 1 + the number of thresholds the value reaches, so below $100K is 1 and $5M
  or more is 5 (a value equal to a threshold takes the higher score). ``scores.value``
  overrides the tier.
- *Cost* and *risk* are scored **1 = low, 5 = high**: they divide, so a cheap, safe gap ranks up.
- A blank score counts as 3 (the middle) and is listed in ``assumed``.
- Ties (the score has few distinct values) are broken by annual value, higher first, then id.

**WSJF** = (business value + time criticality + risk reduction/opportunity enablement) / job
size, from ``gap.wsjf`` when given. Otherwise it is *derived* from the matrix: business value
= value score, time criticality = alignment score, risk reduction/opportunity enablement =
1 + the number of gaps that depend on this one (at most 5), job size = cost score.

**Rank stability**: for each gap, its best and worst rank when any one of its five scores moves
by ±1 (within 1–5) and every other gap stays as it is.

>>> value_score(1_440_000, [100_000, 500_000, 1_000_000, 5_000_000])
4
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

from opcanvas.canvas.gaps import Gap
from opcanvas.canvas.model import Canvas
from opcanvas.errors import FormulaError, Location
from opcanvas.value.quantify import GapValue

SCORE_NAMES = ("value", "alignment", "feasibility", "cost", "risk")
DEFAULT_SCORE = 3
SCORE_DIRECTIONS = (
    "scores 1–5; value, alignment and feasibility: 5 = best; cost and risk: 1 = low, "
    "5 = high (they divide); a blank score counts as 3"
)
PRIORITY_DEFINITION = "Priority Score = (Value × Alignment × Feasibility) / (Cost × Risk)"


@dataclass(frozen=True)
class RankedGap:
    """One row of the ranked backlog. The dollar value stands beside the score."""

    rank: int
    gap_id: str
    title: str
    score: float
    value_score: int
    alignment: int
    feasibility: int
    cost: int
    risk: int
    annual_value: float
    currency: str
    wsjf: float
    wsjf_rank: int
    wsjf_derived: bool
    rank_low: int
    rank_high: int
    assumed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def value_score(annual_value: float, tiers: Sequence[float]) -> int:
    """1 + the number of tier thresholds the annual value reaches."""
    return 1 + bisect.bisect_right(sorted(tiers), annual_value)


def priority_score(scores: dict[str, int]) -> Fraction:
    """The seed's formula, exactly: (V × A × F) / (C × R)."""
    return Fraction(
        scores["value"] * scores["alignment"] * scores["feasibility"],
        scores["cost"] * scores["risk"],
    )


def _scores(gap: Gap, value: GapValue, tiers: Sequence[float]) -> tuple[dict[str, int], list[str]]:
    given = gap.scores
    scores: dict[str, int] = {}
    assumed: list[str] = []
    for name in SCORE_NAMES:
        raw = getattr(given, name)
        if name == "value" and raw is None:
            raw = value_score(value.annual_value, tiers)
        if raw is None:
            assumed.append(name)
            raw = DEFAULT_SCORE
        scores[name] = int(raw)
    return scores, assumed


def _check_scores(canvas: Canvas) -> None:
    """Scores are bounded by the model; a canvas built in code is checked here too."""
    for i, gap in enumerate(canvas.gaps):
        for name in SCORE_NAMES:
            raw = getattr(gap.scores, name)
            if raw is not None and not 1 <= raw <= 5:
                raise FormulaError(
                    f'gap "{gap.id}": score {name} must be a whole number from 1 to 5, got {raw}',
                    where=Location(key=f"gaps[{i}].scores.{name}"),
                    hint="cost and risk: 1 = low, 5 = high; the others: 5 = best",
                )


def _wsjf(gap: Gap, scores: dict[str, int], dependents: int) -> tuple[float, bool]:
    if gap.wsjf is not None:
        w = gap.wsjf
        return (w.business_value + w.time_criticality + w.risk_reduction) / w.job_size, False
    enablement = min(5, 1 + dependents)
    return (scores["value"] + scores["alignment"] + enablement) / scores["cost"], True


def _order_key(score: Fraction, annual: float, gap_id: str) -> tuple[Fraction, float, str]:
    return (-score, -annual, gap_id)


def prioritize(canvas: Canvas, values: Sequence[GapValue]) -> list[RankedGap]:
    """Rank the valued gaps by Priority Score (ties: annual value, then id).

    >>> from opcanvas.canvas import load_canvas
    >>> from opcanvas.value import quantify
    >>> canvas = load_canvas("examples/sales-proposal.yaml")
    >>> ranked = prioritize(canvas, quantify(canvas, samples=100))
    >>> [(r.rank, r.gap_id, r.score) for r in ranked][:2]
    [(1, 'contract-approvals', 45.0), (2, 'proposal-automation', 40.0)]
    """
    _check_scores(canvas)
    tiers = canvas.settings.value_tiers
    tier_values = [float(t) if isinstance(t, int | float) else t.likely for t in tiers]
    gaps = {gap.id: gap for gap in canvas.gaps}
    dependents = {gap.id: 0 for gap in canvas.gaps}
    for gap in canvas.gaps:
        for dep in gap.depends_on:
            if dep in dependents:
                dependents[dep] += 1
    rows = []
    for value in values:
        gap = gaps[value.gap_id]
        scores, assumed = _scores(gap, value, tier_values)
        wsjf, derived = _wsjf(gap, scores, dependents[gap.id])
        rows.append((gap, value, scores, assumed, priority_score(scores), wsjf, derived))
    rows.sort(key=lambda r: _order_key(r[4], r[1].annual_value, r[0].id))
    wsjf_order = sorted(rows, key=lambda r: (-r[5], -r[1].annual_value, r[0].id))
    wsjf_rank = {r[0].id: i for i, r in enumerate(wsjf_order, start=1)}
    keys = [_order_key(r[4], r[1].annual_value, r[0].id) for r in rows]
    ranked = []
    for i, (gap, value, scores, assumed, score, wsjf, derived) in enumerate(rows):
        low, high = _rank_range(i, scores, value.annual_value, gap.id, keys)
        ranked.append(
            RankedGap(
                rank=i + 1,
                gap_id=gap.id,
                title=gap.title or gap.id,
                score=float(score),
                value_score=scores["value"],
                alignment=scores["alignment"],
                feasibility=scores["feasibility"],
                cost=scores["cost"],
                risk=scores["risk"],
                annual_value=value.annual_value,
                currency=value.currency,
                wsjf=wsjf,
                wsjf_rank=wsjf_rank[gap.id],
                wsjf_derived=derived,
                rank_low=low,
                rank_high=high,
                assumed=tuple(assumed),
            )
        )
    return ranked


def _rank_range(
    index: int,
    scores: dict[str, int],
    annual: float,
    gap_id: str,
    keys: list[tuple[Fraction, float, str]],
) -> tuple[int, int]:
    """Best (lowest number) and worst rank of one gap when one of its scores moves ±1."""
    others = keys[:index] + keys[index + 1 :]
    ranks = [index + 1]
    for name in SCORE_NAMES:
        for step in (-1, 1):
            moved = scores[name] + step
            if not 1 <= moved <= 5:
                continue
            key = _order_key(priority_score({**scores, name: moved}), annual, gap_id)
            ranks.append(1 + bisect.bisect_left(others, key))
    return min(ranks), max(ranks)
