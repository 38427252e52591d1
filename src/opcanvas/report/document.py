"""The deliverables as a format-neutral document: deliverables → sections → blocks.

The builders in :mod:`opcanvas.report.deliverables` turn an
:class:`~opcanvas.assess.Assessment` into this structure; the HTML, Markdown and XLSX writers
only lay it out. A cell keeps both its value (a number for Excel) and its text (for people), so
every format shows the same figures.

>>> table = Table(("Gap", "Annual value"), ((text("proposals"), money(1_440_000.0, "USD")),))
>>> table.rows[0][1].text
'$1.44M'
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opcanvas.canvas.quantities import (
    Calendar,
    format_duration,
    format_money,
    format_percent,
    format_rate,
)

# Excel number formats, one per kind of cell.
XLSX_FORMATS = {
    "money": "#,##0;[Red]-#,##0",
    "percent": "0.0%",
    "number": "#,##0.##",
    "integer": "#,##0",
    "days": '0.0#" d"',
    "text": "@",
}


@dataclass(frozen=True)
class Cell:
    """One table cell: ``value`` for spreadsheets, ``text`` for people, ``kind`` for formats."""

    value: float | str | None
    text: str
    kind: str = "text"
    emphasis: bool = False
    link: str | None = None  # a live-formula key, e.g. "gap:<id>:annual_value" (XLSX only)


def text(value: object) -> Cell:
    shown = "" if value is None else str(value)
    return Cell(shown or None, shown)


def linked(cell: Cell, link: str) -> Cell:
    """The same cell, computed live in the workbook from the gap model (``gap:<id>:<name>``)."""
    return Cell(cell.value, cell.text, cell.kind, cell.emphasis, link=link)


def blank(reason: str = "—") -> Cell:
    """A missing figure: empty in Excel, a dash (or the reason) for people."""
    return Cell(None, reason)


def money(amount: float | None, currency: str) -> Cell:
    if amount is None:
        return blank()
    return Cell(float(amount), format_money(amount, currency), "money")


def percent(fraction: float | None, digits: int = 1) -> Cell:
    if fraction is None:
        return blank()
    return Cell(float(fraction), format_percent(fraction, digits), "percent")


def number(value: float | None, digits: int = 3) -> Cell:
    if value is None:
        return blank()
    kind = "integer" if float(value).is_integer() else "number"
    return Cell(float(value), f"{value:,.{digits}g}" if kind == "number" else f"{value:,.0f}", kind)


def duration(minutes: float | None, calendar: Calendar) -> Cell:
    """A duration: in days of the canvas calendar for Excel, in the largest unit for people."""
    if minutes is None:
        return blank()
    return Cell(minutes / calendar.unit_minutes()["d"], format_duration(minutes, calendar), "days")


def rate(per_minute: float | None, calendar: Calendar) -> Cell:
    if per_minute is None:
        return blank()
    return Cell(format_rate(per_minute, calendar), format_rate(per_minute, calendar))


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str | None = None
    empty: str = "Nothing recorded yet."

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"row of {len(row)} cells under {len(self.columns)} columns")


def without_empty_columns(table: Table, keep: int = 1) -> Table:
    """The table minus the columns (after the first ``keep``) in which no row says anything."""
    used = [
        i
        for i in range(len(table.columns))
        if i < keep or any(row[i].text not in ("", "—") for row in table.rows)
    ]
    return Table(
        tuple(table.columns[i] for i in used),
        tuple(tuple(row[i] for i in used) for row in table.rows),
        table.caption,
        table.empty,
    )


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Figure:
    """An inline SVG (already produced by a renderer) with its caption."""

    svg: str
    caption: str
    wide: bool = False  # print on a landscape page
    file: str | None = None  # the same SVG written beside the report (relative path)
    mermaid: str | None = None  # a Mermaid version for Markdown readers


@dataclass(frozen=True)
class Missing:
    """What the canvas does not say yet, so this part cannot be computed or shown."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Files:
    """Companion files written beside the report (maps, calendar), as relative paths."""

    items: tuple[tuple[str, str], ...]  # (label, relative path)


Block = Paragraph | Bullets | Table | Figure | Missing | Files


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]
    new_page: bool = False  # in print, start the section on a new page


@dataclass(frozen=True)
class Deliverable:
    """One of the five deliverables (or the workshop pack), with the conventions in force."""

    key: str  # stable id: "maps", "gaps", "roadmap", "governance", "dependencies", "workshop"
    number: str  # "1".."5", or "" for the workshop pack
    title: str
    summary: str
    sections: tuple[Section, ...]
    conventions: tuple[tuple[str, str], ...] = ()
    landscape: bool = False  # print on landscape pages (wide maps and tables)
    paper: str = "A4"  # "A3": print on A3 landscape pages, so maps keep their text readable

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


@dataclass(frozen=True)
class Document:
    title: str
    organization: str
    subtitle: str
    deliverables: tuple[Deliverable, ...]
    headline: tuple[tuple[str, str], ...] = field(default=())  # key figures for the cover
    highlights: tuple[str, ...] = ()  # the executive summary: a few sentences for the cover
