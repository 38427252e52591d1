"""The XLSX workbook: a sheet per deliverable, plus the live gap model.

Numbers are stored as numbers with Excel number formats (money, %, days), headers are frozen,
columns are sized to their content and sheets print landscape, one page wide. Text from the
canvas is always a string cell; text that a spreadsheet would read as a formula gets Excel's
quote-prefix flag too, so ``=HYPERLINK(...)`` shows as typed and is never evaluated.

The gap sheet's annual values are live formulas into the "Gap model" sheet
(:mod:`opcanvas.report.xlsx_gaps`), where each gap's drivers are input cells.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from opcanvas.canvas.model import Canvas
from opcanvas.report.document import (
    XLSX_FORMATS,
    Block,
    Bullets,
    Cell,
    Deliverable,
    Document,
    Figure,
    Files,
    Missing,
    Paragraph,
    Table,
)
from opcanvas.report.xlsx_gaps import SHEET, fit_to_width, text_cell, write_gap_model

TITLE = Font(bold=True, size=14, color="1F5FA8")
SECTION = Font(bold=True, size=12)
BOLD = Font(bold=True)
MUTED = Font(italic=True, color="5B6677")
WARN = Font(color="A4471B")
HEADER_FILL = PatternFill("solid", fgColor="E8EEF6")
MIN_WIDTH, MAX_WIDTH = 10, 60

SHEET_NAMES = {
    "maps": "1 Value Stream Maps",
    "gaps": "2 Gap Analysis",
    "roadmap": "3 Roadmap",
    "governance": "4 Governance",
    "dependencies": "5 Dependencies",
    "workshop": "Workshop Pack",
}


class _Sheet:
    """Writes blocks one under another and remembers column widths and the first header."""

    def __init__(self, ws: Worksheet, links: Mapping[str, str]) -> None:
        self.ws = ws
        self.links = links
        self.row = 1
        self.widths: dict[int, int] = {}
        self.first_header: int | None = None

    def line(self, value: str, font: Font | None = None) -> None:
        cell = text_cell(self.ws, self.row, 1, value)
        if font is not None:
            cell.font = font
        self.row += 1

    def _width(self, column: int, text: str) -> None:
        longest = max((len(part) for part in text.splitlines()), default=0)
        self.widths[column] = max(self.widths.get(column, MIN_WIDTH), min(longest + 2, MAX_WIDTH))

    def cell(self, column: int, cell: Cell) -> None:
        target = self.ws.cell(self.row, column)
        ref = self.links.get(cell.link) if cell.link and cell.value is not None else None
        if ref is not None:
            target.value = f"={ref}"
            target.number_format = XLSX_FORMATS.get(cell.kind, "General")
        elif isinstance(cell.value, float) and cell.kind in XLSX_FORMATS:
            target.value = cell.value
            target.number_format = XLSX_FORMATS[cell.kind]
        elif cell.text and cell.text != "—":
            text_cell(self.ws, self.row, column, cell.text)
        if cell.emphasis:
            target.font = BOLD
        if cell.kind == "text":
            target.alignment = Alignment(wrap_text=len(cell.text) > MAX_WIDTH, vertical="top")
        self._width(column, cell.text)

    def table(self, table: Table) -> None:
        if table.caption:
            self.line(table.caption, BOLD)
        if not table.rows:
            self.line(table.empty, MUTED)
            self.row += 1
            return
        for column, name in enumerate(table.columns, start=1):
            header = text_cell(self.ws, self.row, column, name)
            header.font, header.fill = BOLD, HEADER_FILL
            header.alignment = Alignment(wrap_text=True, vertical="top")
            self._width(column, name if len(name) < 24 else name[:24])
        if self.first_header is None:
            self.first_header = self.row
        self.row += 1
        for values in table.rows:
            for column, cell in enumerate(values, start=1):
                self.cell(column, cell)
            self.row += 1
        self.row += 1

    def block(self, block: Block) -> None:
        if isinstance(block, Paragraph):
            self.line(block.text)
        elif isinstance(block, Bullets):
            for i, item in enumerate(block.items, start=1):
                self.line(f"{i}. {item}" if block.ordered else f"• {item}")
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            where = f" — file {block.file}" if block.file else " — see the HTML or PDF report"
            self.line(f"Figure: {block.caption}{where}", MUTED)
        elif isinstance(block, Missing):
            for item in block.items:
                self.line(f"Not yet in the canvas: {item}", WARN)
        elif isinstance(block, Files):
            for label, path in block.items:
                self.line(f"{label}: {path}", MUTED)
        else:
            raise TypeError(f"unknown block {type(block).__name__}")

    def finish(self) -> None:
        for column, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(column)].width = width
        self.ws.freeze_panes = "A3" if self.first_header is None else f"A{self.first_header + 1}"
        fit_to_width(self.ws)
        self.ws.print_title_rows = "1:2"


def _deliverable_sheet(wb: Workbook, deliverable: Deliverable, links: Mapping[str, str]) -> None:
    name = SHEET_NAMES.get(deliverable.key, deliverable.title[:31])
    sheet = _Sheet(wb.create_sheet(name), links)
    sheet.line(deliverable.heading, TITLE)
    sheet.line(deliverable.summary, MUTED)
    sheet.row += 1
    for section in deliverable.sections:
        sheet.line(section.title, SECTION)
        for block in section.blocks:
            sheet.block(block)
        sheet.row += 1
    if deliverable.conventions:
        sheet.line("Conventions in force", SECTION)
        for key, value in deliverable.conventions:
            text_cell(sheet.ws, sheet.row, 1, key).font = BOLD
            text_cell(sheet.ws, sheet.row, 2, value)
            sheet.row += 1
    sheet.finish()


def render_xlsx(document: Document, canvas: Canvas) -> bytes:
    """The workbook as bytes: a sheet per deliverable, then "Gap model" with live formulas."""
    wb = Workbook()
    default = wb.active
    model_sheet = wb.create_sheet(SHEET)
    links = write_gap_model(model_sheet, canvas)
    for deliverable in document.deliverables:
        _deliverable_sheet(wb, deliverable, links)
    if default is not None:
        wb.remove(default)
    # the model sheet goes right after the gap analysis it feeds
    names = [ws.title for ws in wb.worksheets]
    others = [name for name in names if name != SHEET]
    if SHEET_NAMES["gaps"] in others:
        target = others.index(SHEET_NAMES["gaps"]) + 1
        wb.move_sheet(model_sheet, offset=target - names.index(SHEET))
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
