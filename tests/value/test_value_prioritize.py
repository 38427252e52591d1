"""The prioritisation matrix: tiers, the score, ties, WSJF and rank stability."""

from __future__ import annotations

from typing import Any

import pytest

from opcanvas.canvas import parse_canvas
from opcanvas.errors import CanvasError, FormulaError
from opcanvas.value import quantify
from opcanvas.value.prioritize import prioritize, value_score

TIERS = [100_000, 500_000, 1_000_000, 5_000_000]


@pytest.mark.parametrize(
    ("annual", "score"),
    [(0, 1), (99_999, 1), (100_000, 2), (499_999, 2), (500_000, 3), (999_999, 3),
     (1_000_000, 4), (1_440_000, 4), (4_999_999, 4), (5_000_000, 5), (9e9, 5)],
)  # fmt: skip
def test_value_tiers(annual: float, score: int) -> None:
    assert value_score(annual, TIERS) == score


def _gap(gap_id: str, annual: float, **scores: int) -> dict[str, Any]:
    return {"id": gap_id, "drivers": {"annual_value": annual}, "scores": scores}


def test_score_formula_and_ranking(make_canvas: Any) -> None:
    canvas = make_canvas(
        _gap("a", 2_000_000, alignment=5, feasibility=4, cost=1, risk=2),  # 4·5·4/2 = 40
        _gap("b", 50_000, alignment=5, feasibility=5, cost=1, risk=1),  # 1·5·5 = 25
        _gap("c", 6_000_000, alignment=2, feasibility=2, cost=5, risk=5),  # 5·2·2/25 = 0.8
    )
    ranked = prioritize(canvas, quantify(canvas, samples=10))
    assert [(r.gap_id, r.score, r.value_score) for r in ranked] == [
        ("a", 40.0, 4), ("b", 25.0, 1), ("c", 0.8, 5)
    ]  # fmt: skip
    assert [r.rank for r in ranked] == [1, 2, 3]
    assert ranked[2].annual_value == 6_000_000.0


def test_ties_break_by_annual_value_then_id(make_canvas: Any) -> None:
    same = {"alignment": 3, "feasibility": 3, "cost": 3, "risk": 3, "value": 3}
    canvas = make_canvas(
        _gap("b", 600_000, **same), _gap("a", 600_000, **same), _gap("c", 900_000, **same)
    )
    ranked = prioritize(canvas, quantify(canvas, samples=10))
    assert [r.gap_id for r in ranked] == ["c", "a", "b"]
    assert {r.score for r in ranked} == {3.0}


def test_blank_scores_count_as_three_and_are_listed(make_canvas: Any) -> None:
    canvas = make_canvas(_gap("a", 200_000, alignment=4))
    row = prioritize(canvas, quantify(canvas, samples=10))[0]
    assert row.assumed == ("feasibility", "cost", "risk")
    assert row.score == 2 * 4 * 3 / (3 * 3)


def test_value_override_and_custom_tiers(make_canvas: Any) -> None:
    canvas = make_canvas(
        _gap("a", 200_000, value=5), settings={"value_tiers": [1e3, 1e4, 1e5, 1e6]}
    )
    row = prioritize(canvas, quantify(canvas, samples=10))[0]
    assert row.value_score == 5
    other = make_canvas(_gap("a", 200_000), settings={"value_tiers": [1e3, 1e4, 1e5, 1e6]})
    assert prioritize(other, quantify(other, samples=10))[0].value_score == 4


def test_wsjf_given_and_derived(make_canvas: Any) -> None:
    canvas = make_canvas(
        {**_gap("a", 600_000, alignment=4, cost=2),
         "wsjf": {"business_value": 8, "time_criticality": 5, "risk_reduction": 3, "job_size": 4}},
        {**_gap("b", 600_000, alignment=4, cost=2), "depends_on": []},
        {**_gap("c", 50_000, alignment=1, cost=1), "depends_on": ["b"]},
    )  # fmt: skip
    rows = {r.gap_id: r for r in prioritize(canvas, quantify(canvas, samples=10))}
    assert rows["a"].wsjf == (8 + 5 + 3) / 4 and not rows["a"].wsjf_derived
    # b: value 3 + alignment 4 + enablement (1 + one dependent) = 9, over cost 2
    assert rows["b"].wsjf == 9 / 2 and rows["b"].wsjf_derived
    assert rows["c"].wsjf == (1 + 1 + 1) / 1
    assert [rows[g].wsjf_rank for g in "abc"] == [2, 1, 3]  # 4.0, 4.5, 3.0


def test_rank_stability_brackets_the_rank(make_canvas: Any) -> None:
    canvas = make_canvas(
        _gap("a", 2_000_000, alignment=5, feasibility=4, cost=1, risk=2),  # 40
        _gap("b", 2_000_000, alignment=5, feasibility=3, cost=1, risk=2),  # 30
        _gap("c", 50_000, alignment=1, feasibility=1, cost=5, risk=5),  # 0.04
    )
    rows = {r.gap_id: r for r in prioritize(canvas, quantify(canvas, samples=10))}
    # a drops below b (30) when feasibility → 3 gives 30 and tie on value, id a < b keeps it 1st;
    # cost → 2 gives 20 < 30: rank 2
    assert (rows["a"].rank_low, rows["a"].rank_high) == (1, 2)
    assert (rows["b"].rank_low, rows["b"].rank_high) == (1, 2)
    assert (rows["c"].rank_low, rows["c"].rank_high) == (3, 3)


def test_scores_outside_one_to_five_are_refused_with_their_location() -> None:
    text = """
organization: Acme
engines: {growth: {streams: {s: {name: S}}}}
gaps:
  - {id: g, stream: growth/s, drivers: {annual_value: 10}, scores: {alignment: 7}}
"""
    with pytest.raises(CanvasError) as info:
        parse_canvas(text, "c.yaml")
    assert "c.yaml:5" in str(info.value)
    assert "gaps[0].scores.alignment" in str(info.value)
    assert "less than or equal to 5" in str(info.value)


def test_scores_built_in_code_are_checked_too(make_canvas: Any) -> None:
    canvas = make_canvas(_gap("g", 10))
    object.__setattr__(canvas.gaps[0].scores, "risk", 0)  # bypass the model's own bound
    with pytest.raises(FormulaError) as info:
        prioritize(canvas, quantify(canvas, samples=10))
    assert "score risk must be a whole number from 1 to 5, got 0" in str(info.value)
    assert info.value.where is not None and info.value.where.key == "gaps[0].scores.risk"
