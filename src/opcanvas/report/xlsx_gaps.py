"""The "Gap model" sheet: each gap's value-driver tree as live Excel formulas.

One row per driver (an input cell, blue, with its low/likely/high when it is a range), per
calendar value a formula uses, per formula (an Excel formula over the cells above it, in the
order the value module evaluates them), and the finance rows: implementation cost, running
cost, first-year ROI and payback with the value module's definitions. Change a driver and the
annual value, ROI and payback move, and so does the gap sheet that links to them.

Range drivers enter at the canvas's point estimate (``settings.point_estimate``); the P10–P90
band comes from the Monte Carlo and is shown in the gap sheet as computed values.
"""

from __future__ import annotations

from openpyxl.cell.cell import Cell as XCell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from opcanvas.canvas.model import Canvas
from opcanvas.canvas.quantities import PointEstimate, Quantity, Range, point
from opcanvas.report.excel_formulas import to_excel
from opcanvas.report.safety import formula_like
from opcanvas.value.finance import PAYBACK_DEFINITION, ROI_DEFINITION
from opcanvas.value.formula import names_in
from opcanvas.value.model import ANNUAL_VALUE, GapModel, compile_gap, quantifiable

SHEET = "Gap model"
TITLE = "Gap model — live formulas: change a driver (blue) and the values move"
COLUMNS = ("Gap", "Name", "Kind", "Value", "Low", "Likely", "High", "Distribution", "Formula")
WIDTHS = (26, 24, 11, 16, 12, 12, 12, 13, 70)
HEADER_ROW = 3
INPUT = Font(color="1F4FBF")
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF6")
MONEY_FORMAT = "#,##0;[Red]-#,##0"
MONEY_NAMES = {ANNUAL_VALUE, "implementation_cost", "running_cost"}


def text_cell(ws: Worksheet, row: int, column: int, value: str) -> XCell:
    """A string cell that no spreadsheet will evaluate, whatever the text."""
    cell = ws.cell(row, column, value)
    cell.data_type = "s"
    if formula_like(value):
        cell.quotePrefix = True
    return cell


def fit_to_width(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _ref(row: int) -> str:
    return f"'{SHEET}'!$D${row}"


class _Writer:
    def __init__(self, ws: Worksheet, estimate: PointEstimate) -> None:
        self.ws = ws
        self.estimate = estimate
        self.row = HEADER_ROW + 1
        self.links: dict[str, str] = {}

    def put(
        self, gap_id: str, name: str, kind: str, value: float | str | None, note: str = ""
    ) -> int:
        ws, row = self.ws, self.row
        text_cell(ws, row, 1, gap_id)
        text_cell(ws, row, 2, name)
        text_cell(ws, row, 3, kind)
        cell = ws.cell(row, 4, value)
        if kind == "driver":
            cell.font = INPUT
        if name in MONEY_NAMES:
            cell.number_format = MONEY_FORMAT
        elif name == "roi":
            cell.number_format = "0.0%"
        elif name == "payback_months":
            cell.number_format = "0.0"
        if note:
            text_cell(ws, row, 9, note)
        self.links[f"gap:{gap_id}:{name}"] = _ref(row)
        self.row += 1
        return row

    def driver(self, gap_id: str, name: str, quantity: Quantity) -> int:
        row = self.put(gap_id, name, "driver", point(quantity, self.estimate))
        if isinstance(quantity, Range):
            for column, value in ((5, quantity.low), (6, quantity.likely), (7, quantity.high)):
                self.ws.cell(row, column, value)
            text_cell(self.ws, row, 8, quantity.dist)
        return row

    def gap(self, model: GapModel) -> None:
        gap_id = model.gap.id
        refs: dict[str, str] = {}
        for name, quantity in model.drivers.items():
            refs[name] = f"$D${self.driver(gap_id, name, quantity)}"
        used = {name for _, tree in model.order for name in names_in(tree)}
        for name, value in model.calendar.items():
            if name in used and name not in refs:
                refs[name] = f"$D${self.put(gap_id, name, 'calendar', value, 'canvas calendar')}"
        for name, tree in model.order:
            note = model.texts[name] + ("  (the seed's built-in formula)" if model.builtin else "")
            refs[name] = f"$D${self.put(gap_id, name, 'formula', to_excel(tree, refs), note)}"
        self.finance(model, refs)
        self.row += 1

    def finance(self, model: GapModel, refs: dict[str, str]) -> None:
        gap, gap_id = model.gap, model.gap.id
        cost = point(gap.implementation_cost, self.estimate)
        running = point(gap.running_cost, self.estimate) or 0.0
        value = refs[ANNUAL_VALUE]
        run_ref = f"$D${self.put(gap_id, 'running_cost', 'driver', running, 'per year')}"
        if cost is None:
            text_cell(self.ws, self.row, 9, "no implementation cost yet: ROI and payback undefined")
            self.put(gap_id, "implementation_cost", "driver", None)
            return
        cost_ref = f"$D${self.put(gap_id, 'implementation_cost', 'driver', cost)}"
        self.put(
            gap_id,
            "roi",
            "formula",
            f'=IF({cost_ref}>0,({value}-{run_ref}-{cost_ref})/{cost_ref},"")',
            ROI_DEFINITION,
        )
        self.put(
            gap_id,
            "payback_months",
            "formula",
            f'=IF({value}-{run_ref}>0,{cost_ref}/(({value}-{run_ref})/12),"")',
            PAYBACK_DEFINITION,
        )


def write_gap_model(ws: Worksheet, canvas: Canvas) -> dict[str, str]:
    """Fill ``ws`` with every quantifiable gap; return ``{"gap:<id>:<name>": cell}`` links."""
    ws.title = SHEET
    title = text_cell(ws, 1, 1, TITLE)
    title.font = Font(bold=True, size=14, color="1F5FA8")
    text_cell(
        ws,
        2,
        1,
        f"Range drivers enter at their {canvas.settings.point_estimate} value; "
        "P10/P50/P90 come from the Monte Carlo (see the gap analysis). Money in "
        f"{canvas.currency}.",
    )
    for column, (name, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True), start=1):
        cell = text_cell(ws, HEADER_ROW, column, name)
        cell.font, cell.fill = BOLD, HEADER_FILL
        ws.column_dimensions[cell.column_letter].width = width
    writer = _Writer(ws, canvas.settings.point_estimate)
    for index, gap in enumerate(canvas.gaps):
        if not quantifiable(gap):
            text_cell(ws, writer.row, 1, gap.id)
            text_cell(ws, writer.row, 9, "not quantified yet: the gap has no drivers or formulas")
            writer.row += 2
            continue
        writer.gap(compile_gap(canvas, index))
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    fit_to_width(ws)
    return writer.links
