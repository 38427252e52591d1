"""Print layout decisions made in the HTML: which tables are kept on one page, how much room a
column of identifiers gets, and which deliverable prints on A3."""

from __future__ import annotations

import re

import pytest

from opcanvas.report.document import Cell, Deliverable, Document, Section, Table, text
from opcanvas.report.html import CHARS_PER_LINE, CSS, _printed_lines, _weights, render_html


def _table(rows: int, width: int) -> Table:
    return Table(("Gap", "Notes"), tuple((text("g"), text("w" * 4 + " " + "x" * width))
                                         for _ in range(rows)))  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "width", "short"),
    [
        (15, 10, True),  # fifteen one-line rows (24 lines with padding): kept together
        (16, 10, False),
        (8, 10, True),
        (8, 300, False),  # eight rows, but each wraps over several lines: may break
    ],
)
def test_short_tables_are_measured_in_printed_lines(rows: int, width: int, short: bool) -> None:
    table = _table(rows, width)
    lines = _printed_lines(table, _weights(table, CHARS_PER_LINE))
    page = render_html(Document("R", "O", "s", (Deliverable("k", "1", "T", "s", (
        Section("S", (table,)),)),)))  # fmt: skip
    assert ('class="table-wrap short"' in page) is short, lines


def test_printed_lines_count_the_wrapping_cell() -> None:
    table = Table(("A", "B"), ((text("x" * 50), text("y")), (text("z"), text("w"))))
    # column A is 12 characters wide: 10 per line after padding -> 5 lines; header 1 line
    assert _printed_lines(table, [12.0, 8.0]) == (1 + 0.5) + (5 + 0.5) + (1 + 0.5)


def test_an_identifier_column_gets_room_to_spare() -> None:
    """``new_customers_per_month`` broke mid-word in the printed gap model: a long word asks
    for its length plus four characters; a number column does not widen."""
    name = "new_customers_per_month"
    table = Table(("Name", "Formula", "Value"),
                  ((text(name), text("driver"), Cell(12.0, "12", "number")),))  # fmt: skip
    weights = _weights(table, CHARS_PER_LINE)
    assert weights[0] == len(name) + 4
    assert weights[2] == max(5, len("Value") + 4)


def test_the_maps_deliverable_prints_on_a3_landscape() -> None:
    maps = Deliverable("maps", "1", "Value Stream Maps", "s", (), landscape=True, paper="A3")
    other = Deliverable("gaps", "2", "Gaps", "s", ())
    page = render_html(Document("R", "O", "s", (maps, other)))
    assert 'class="deliverable wide a3" id="d-maps"' in page
    assert 'class="deliverable" id="d-gaps"' in page
    assert re.search(r"@page map \{ size: A3 landscape;", CSS)
    assert "section.a3, section.a3 figure.wide { page: map; }" in CSS
