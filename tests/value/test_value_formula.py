"""The safe evaluator: what it computes, and every way a formula is refused."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from opcanvas.errors import FormulaError
from opcanvas.value import evaluate_gap, quantify
from opcanvas.value.formula import evaluate_array, evaluate_exact, parse_formula


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("a + b * c", {"a": 1, "b": 2, "c": 3}, 7),
        ("(a + b) * c", {"a": 1, "b": 2, "c": 3}, 9),
        ("-a ** 2", {"a": 3}, -9),
        ("a / b", {"a": 1, "b": 4}, 0.25),
        ("0.1 + 0.2", {}, 0.3),  # exact decimals: no 0.30000000000000004
        ("min(a, b, 7)", {"a": 5, "b": 9}, 5),
        ("max(a, 2)", {"a": -1}, 2),
        ("abs(a - b)", {"a": 2, "b": 5}, 3),
        ("round(a)", {"a": 2.5}, 3),  # half away from zero, as spreadsheets
        ("round(a)", {"a": -2.5}, -3),
        ("round(a, 2)", {"a": 1.005}, 1.01),
        ("a ** 0.5", {"a": 16}, 4),
        ("+a", {"a": 4}, 4),
    ],
)
def test_exact_and_array_evaluation_agree(
    text: str, env: dict[str, float], expected: float
) -> None:
    tree = parse_formula(text, gap_id="g", name="f")
    assert float(evaluate_exact(tree, env)) == pytest.approx(expected, abs=1e-12)
    arrays = {k: np.full(3, float(v)) for k, v in env.items()}
    result = np.broadcast_to(evaluate_array(tree, arrays, []), (3,))
    assert result == pytest.approx([expected] * 3, abs=1e-9)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("__import__('os').system('true')", 'calling "__import__'),
        ("a.real", "Attribute"),
        ("a if b else c", "IfExp"),
        ("a < b", "Compare"),
        ("'text'", "the constant 'text'"),
        ("True + 1", "the constant True"),
        ("lambda: 1", "Lambda"),
        ("[a, b]", "List"),
        ("a % b", 'the operator "Mod"'),
        ("a // b", 'the operator "FloorDiv"'),
        ("min(a)", "min() with 1 argument"),
        ("round(a, b)", "round() digits"),
        ("abs(a, b)", "abs() with 2 arguments"),
        ("max(*a)", "starred"),
        ("sum(a)", 'calling "sum"'),
        ("a +", "cannot parse"),
    ],
)
def test_disallowed_syntax_names_gap_formula_and_node(
    make_canvas: Any, text: str, found: str
) -> None:
    canvas = make_canvas({"id": "g1", "drivers": {"a": 1, "b": 2, "c": 3},
                          "formulas": {"annual_value": text}})  # fmt: skip
    with pytest.raises(FormulaError) as info:
        evaluate_gap(canvas.gaps[0], canvas)
    message = str(info.value)
    assert 'gap "g1", formula "annual_value"' in message
    assert found in message
    assert info.value.where is not None and info.value.where.key == "gaps[0].formulas.annual_value"


def test_unknown_name_lists_the_known_ones_and_suggests(make_canvas: Any) -> None:
    canvas = make_canvas(
        {"id": "g", "drivers": {"win_rate": 0.3, "deals": 10},
         "formulas": {"annual_value": "deals * win_rat"}}
    )  # fmt: skip
    with pytest.raises(FormulaError) as info:
        quantify(canvas, samples=10)
    assert 'unknown name "win_rat"' in str(info.value)
    assert "days_per_week, deals, hours_per_day, win_rate" in str(info.value)
    assert info.value.hint == 'did you mean "win_rate"?'
    assert info.value.where is not None and info.value.where.key == "gaps[0].formulas.annual_value"


def test_formula_cycle_is_named(make_canvas: Any) -> None:
    canvas = make_canvas(
        {"id": "g", "drivers": {"x": 1},
         "formulas": {"annual_value": "a + x", "a": "b * 2", "b": "a / 2"}}
    )  # fmt: skip
    with pytest.raises(FormulaError) as info:
        evaluate_gap(canvas.gaps[0], canvas)
    assert "cycle: a → b → a" in str(info.value)
    assert info.value.where is not None and info.value.where.key == "gaps[0].formulas.a"


def test_division_by_zero_at_point_values(make_canvas: Any) -> None:
    canvas = make_canvas(
        {"id": "g", "drivers": {"x": 10, "y": 0}, "formulas": {"annual_value": "x / (y * 2)"}}
    )
    with pytest.raises(FormulaError) as info:
        evaluate_gap(canvas.gaps[0], canvas)
    assert 'division by zero: "y * 2" is 0 at point values' in str(info.value)
    assert info.value.where is not None and info.value.where.key == "gaps[0].formulas.annual_value"


def test_division_by_zero_in_samples_is_counted_not_fatal(make_canvas: Any) -> None:
    # round(x) is 0 for x < 0.5: a quarter of the uniform samples on [0, 2]
    canvas = make_canvas(
        {"id": "g", "drivers": {"x": [0, 2]},
         "formulas": {"r": "1 / round(x)", "annual_value": "1000 * r"}}
    )  # fmt: skip
    value = quantify(canvas, samples=40_000, seed=3)[0]
    assert value.annual_value == 1000.0  # at the point x = 1
    assert value.zero_division == {"r": pytest.approx(0.25, abs=0.01)}
    assert value.invalid_share == pytest.approx(0.25, abs=0.01)
    assert np.isfinite(value.p90)


def test_formulas_need_annual_value(make_canvas: Any) -> None:
    canvas = make_canvas({"id": "g", "drivers": {"x": 1}, "formulas": {"total": "x"}})
    with pytest.raises(FormulaError, match="no formula named annual_value among total"):
        quantify(canvas, samples=10)


def test_builtin_formula_lists_missing_drivers(make_canvas: Any) -> None:
    canvas = make_canvas({"id": "g", "drivers": {"current_loss": 10, "improvement": 0.5}})
    with pytest.raises(FormulaError) as info:
        quantify(canvas, samples=10)
    assert "missing: volume, frequency" in str(info.value)
    assert info.value.where is not None and info.value.where.key == "gaps[0].drivers"


def test_driver_and_formula_with_the_same_name(make_canvas: Any) -> None:
    canvas = make_canvas(
        {"id": "g", "drivers": {"x": 1}, "formulas": {"x": "2", "annual_value": "x"}}
    )
    with pytest.raises(FormulaError, match='"x" is both a driver and a formula'):
        quantify(canvas, samples=10)


def test_a_driver_overrides_the_calendar(make_canvas: Any) -> None:
    canvas = make_canvas(
        {"id": "g", "drivers": {"days": 40, "working_days_per_month": 10},
         "formulas": {"annual_value": "days / working_days_per_month"}}
    )  # fmt: skip
    assert evaluate_gap(canvas.gaps[0], canvas)["annual_value"] == 4.0
    per_month = {"annual_value": "days / working_days_per_month"}
    plain = make_canvas({"id": "g", "drivers": {"days": 40}, "formulas": per_month})
    assert evaluate_gap(plain.gaps[0], plain)["annual_value"] == 2.0


def test_huge_powers_do_not_hang(make_canvas: Any) -> None:
    canvas = make_canvas({"id": "g", "formulas": {"annual_value": "10 ** 10 ** 10"}})
    with pytest.raises(FormulaError, match="cannot be computed"):
        evaluate_gap(canvas.gaps[0], canvas)


def test_gaps_without_drivers_are_listed_not_guessed(make_canvas: Any) -> None:
    from opcanvas.value import unquantified

    canvas = make_canvas({"id": "blank"}, {"id": "g", "drivers": {"annual_value": 5}})
    assert [v.gap_id for v in quantify(canvas, samples=10)] == ["g"]
    assert unquantified(canvas) == [("blank", "no drivers or formulas yet")]
