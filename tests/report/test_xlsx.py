"""The workbook: a sheet per deliverable, live gap formulas that recompute the seed's $1.44M,
and canvas text that no spreadsheet will ever evaluate."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from opcanvas.report.xlsx import SHEET_NAMES
from opcanvas.report.xlsx_gaps import SHEET
from opcanvas.value import evaluate_gap

from .conftest import FORMULA, Written
from .excel_eval import Evaluator

ALLOWED_FUNCTIONS = {"MIN", "MAX", "ROUND", "ABS", "IF"}


@pytest.fixture(scope="module")
def workbook(hostile_report: Written) -> Workbook:
    return load_workbook(hostile_report.result.main_files()["xlsx"])


def _rows(wb: Workbook, gap_id: str) -> dict[str, int]:
    ws = wb[SHEET]
    return {
        str(ws.cell(r, 2).value): r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 1).value == gap_id and ws.cell(r, 2).value
    }


def test_a_sheet_per_deliverable_and_the_gap_model(workbook: Workbook) -> None:
    names = workbook.sheetnames
    assert names[:3] == [SHEET_NAMES["maps"], SHEET_NAMES["gaps"], SHEET]
    assert set(SHEET_NAMES.values()) <= set(names)


def test_annual_value_is_a_live_formula_over_the_driver_cells(workbook: Workbook) -> None:
    ws = workbook[SHEET]
    rows = _rows(workbook, "proposal-automation")
    formula = ws.cell(rows["annual_value"], 4).value
    assert isinstance(formula, str) and formula.startswith("=")
    referenced = {int(n) for n in re.findall(r"\$D\$(\d+)", formula)}
    assert referenced == {rows["improvement"], rows["lost_deals"], rows["wasted_capacity"]}
    lost_deals = ws.cell(rows["lost_deals"], 4).value
    assert {int(n) for n in re.findall(r"\$D\$(\d+)", lost_deals)} == {
        rows["lost_days"],
        rows["working_days_per_month"],
        rows["win_rate"],
        rows["deal_size"],
    }
    assert ws.cell(rows["improvement"], 4).value == 0.8  # the likely value of [60%, 80%, 90%]
    assert (ws.cell(rows["improvement"], 5).value, ws.cell(rows["improvement"], 7).value) == (
        0.6,
        0.9,
    )


def test_the_formulas_recompute_the_seed_example(
    workbook: Workbook, hostile_report: Written
) -> None:
    rows = _rows(workbook, "proposal-automation")
    evaluator = Evaluator(workbook)
    assert evaluator.cell(f"$D${rows['annual_value']}", SHEET) == pytest.approx(1_440_000)
    assert evaluator.cell(f"$D${rows['roi']}", SHEET) == pytest.approx(27.8)
    canvas = hostile_report.assessment.canvas
    expected = evaluate_gap(canvas.gap("proposal-automation"), canvas)
    for name, value in expected.items():
        assert evaluator.cell(f"$D${rows[name]}", SHEET) == pytest.approx(value), name


def test_changing_a_driver_moves_the_value(workbook: Workbook) -> None:
    rows = _rows(workbook, "proposal-automation")
    workbook[SHEET].cell(rows["improvement"], 4).value = 0.5
    try:
        value = Evaluator(workbook).cell(f"$D${rows['annual_value']}", SHEET)
    finally:
        workbook[SHEET].cell(rows["improvement"], 4).value = 0.8
    assert value == pytest.approx(0.5 * (1_080_000 + 720_000))


def test_the_gap_sheet_links_to_the_model(workbook: Workbook) -> None:
    ws = workbook[SHEET_NAMES["gaps"]]
    links = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)
             and c.value.startswith(f"='{SHEET}'!")]  # fmt: skip
    assert links, "the gap sheet should link its values to the gap model"
    values = [Evaluator(workbook).formula(c.value, ws.title) for c in links]
    assert pytest.approx(1_440_000) in values
    assert any(c.number_format.startswith("#,##0") for c in links)


def test_every_formula_is_ours(workbook: Workbook) -> None:
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    text = str(cell.value)
                    assert "HYPERLINK" not in text and "alert" not in text
                    assert set(re.findall(r"([A-Z]+)\(", text)) <= ALLOWED_FUNCTIONS, text


def test_formula_like_text_is_a_quoted_string(workbook: Workbook) -> None:
    found = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(("+", "-", "@", "=", "\t")):
                    if cell.data_type == "f":
                        continue  # our own formulas, checked above
                    assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.coordinate)
                    found += 1
    assert found >= 5
    texts = {c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row}
    assert FORMULA in texts and "@SUM(A1)" in texts and "-1+1" in texts


def test_frozen_headers_widths_and_number_formats(workbook: Workbook) -> None:
    model = workbook[SHEET]
    assert model.freeze_panes == "C4"
    gaps = workbook[SHEET_NAMES["gaps"]]
    assert gaps.freeze_panes is not None and gaps.freeze_panes != "A1"
    assert all((gaps.column_dimensions[c].width or 0) >= 10 for c in "ABC")
    rows = _rows(workbook, "proposal-automation")
    assert model.cell(rows["annual_value"], 4).number_format == "#,##0;[Red]-#,##0"
    assert model.cell(rows["roi"], 4).number_format == "0.0%"
