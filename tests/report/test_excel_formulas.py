"""Value-driver formulas become Excel formulas that compute the same numbers."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from opcanvas.errors import ReportError
from opcanvas.report.excel_formulas import to_excel
from opcanvas.value.formula import Invalid, evaluate_exact, parse_formula

from .excel_eval import Evaluator

REFS = {"a": "$B$1", "b": "$B$2", "c": "$B$3"}
VALUES = {"a": 3.0, "b": -2.0, "c": 0.5}


@pytest.mark.parametrize(
    ("formula", "excel"),
    [
        ("a * (b + c)", "=$B$1*($B$2+$B$3)"),
        ("a - (b - c)", "=$B$1-($B$2-$B$3)"),
        ("a / (b * c)", "=$B$1/($B$2*$B$3)"),
        ("a * b / c", "=$B$1*$B$2/$B$3"),
        ("-a ** 2", "=-($B$1^2)"),  # Excel's -a^2 would be (+9), Python's is -9
        ("(-a) ** 2", "=(-$B$1)^2"),
        ("a ** b ** c", "=$B$1^($B$2^$B$3)"),  # Excel's ^ is left-associative
        ("round(a / c)", "=ROUND($B$1/$B$3,0)"),
        ("round(a, 2) + min(a, b, 3) - max(a, 1) + abs(b)",
         "=ROUND($B$1,2)+MIN($B$1,$B$2,3)-MAX($B$1,1)+ABS($B$2)"),
        ("2.5e-7 * a", "=2.5E-07*$B$1"),
    ],
)  # fmt: skip
def test_translation(formula: str, excel: str) -> None:
    assert to_excel(ast.parse(formula, mode="eval"), REFS) == excel


def _workbook() -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "S"
    for row, name in enumerate("abc", start=1):
        ws.cell(row, 2, VALUES[name])
    return wb


_leaf = st.sampled_from(["a", "b", "c", "2", "0.5", "3"])


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**"]), children).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )
    unary = children.map(lambda x: f"-{x}")
    calls = st.tuples(st.sampled_from(["min", "max"]), children, children).map(
        lambda t: f"{t[0]}({t[1]}, {t[2]})"
    )
    return binary | unary | calls | children.map(lambda x: f"abs({x})")


@given(st.recursive(_leaf, _combine, max_leaves=6))
def test_excel_computes_what_the_value_module_computes(formula: str) -> None:
    tree = parse_formula(formula, gap_id="g", name="f")
    try:
        expected = float(evaluate_exact(tree, VALUES))
    except Invalid:  # a division by zero or a complex power: nothing to compare
        return
    if abs(expected) > 1e12:
        return
    text = to_excel(tree, REFS)
    try:
        got = Evaluator(_workbook()).formula(text, "S")
    except (ZeroDivisionError, OverflowError):
        return
    if isinstance(got, complex):
        return
    assert float(got) == pytest.approx(expected, rel=1e-9, abs=1e-9), (formula, text)


def test_a_name_without_a_cell_is_a_report_error() -> None:
    with pytest.raises(ReportError, match='"zzz" has no cell'):
        to_excel(ast.parse("a + zzz", mode="eval"), REFS)
