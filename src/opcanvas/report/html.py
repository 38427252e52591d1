"""One self-contained HTML file: inline CSS and SVG, no external request of any kind.

It reads on a phone (fluid layout, tables scroll sideways inside their box) and prints cleanly:
the same file is what WeasyPrint turns into the PDF, so the print rules (page numbers, a page
break before each deliverable, landscape pages for wide maps) are in its stylesheet too,
``report.css`` beside this module, inlined into every page.

>>> from opcanvas.report.document import Document
>>> page = render_html(Document("Report", "<Acme>", "sub", ()))
>>> "&lt;Acme&gt;" in page and "<Acme>" not in page
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources

from opcanvas.report.document import (
    Block,
    Bullets,
    Cell,
    Deliverable,
    Document,
    Figure,
    Files,
    Missing,
    Paragraph,
    Section,
    Table,
    text,
)
from opcanvas.report.safety import html_text, sanitize_svg

_NUMERIC = {"money", "percent", "number", "integer", "days"}

CSS = (resources.files("opcanvas.report") / "report.css").read_text(encoding="utf-8")


def _cell(cell: Cell, numeric: bool) -> str:
    classes = []
    if numeric and cell.kind in _NUMERIC and cell.value is not None:
        classes.append("num")
    if cell.emphasis:
        classes.append("em")
    if cell.value is None and cell.text in ("", "—"):
        classes.append("none")
    attr = f' class="{" ".join(classes)}"' if classes else ""
    return f"<td{attr}>{html_text(cell.text)}</td>"


# Columns get widths from their content, so the PDF can lay tables out without measuring every
# cell (WeasyPrint's automatic table layout dominated the report's run time) and a narrow
# column such as "Lane" is never squeezed to one letter per line.
CHARS_PER_LINE = 110  # about this many 8 pt characters fit the width of an A4 portrait page
CHARS_PER_LINE_WIDE = 160  # ... and of a landscape page
MAX_COLUMN = 42
SHORT_TABLE = 24  # printed lines (a row's padding counts half a line): kept on one page


LONG_WORD = (12, 24)  # a cell word this long (characters) widens its column, up to the cap


def _longest_word(cell: Cell) -> int:
    return max((len(w) for w in cell.text.split()), default=0) if cell.kind == "text" else 0


def _weights(table: Table, line: int) -> list[float]:
    """Column widths in characters: content-sized, never narrower than the header's longest
    word; a long word in the cells (an identifier such as a driver name, which would break
    mid-word: DejaVu Sans runs wider than the estimate) asks for room to spare. When the table
    is wider than the line, the wide text columns give way first."""
    wants, floors = [], []
    for i, name in enumerate(table.columns):
        longest_word = max((len(w) for w in name.split()), default=1)
        content = max((len(row[i].text) for row in table.rows), default=0)
        cell_word = min(LONG_WORD[1], max((_longest_word(row[i]) for row in table.rows), default=0))
        floor = max(5, longest_word + 4)
        floors.append(floor)
        word = cell_word + 4 if cell_word >= LONG_WORD[0] else 0
        wants.append(max(floor, word, (len(name) + 1) // 2 + 3, min(content, MAX_COLUMN) + 2))
    total = sum(wants)
    if total <= line:
        return [float(w) for w in wants]
    spare = sum(w - f for w, f in zip(wants, floors, strict=True))
    excess = total - line
    if spare <= excess:  # even at their floors the columns overflow: keep the proportions
        return [float(f) for f in floors]
    return [w - (w - f) * excess / spare for w, f in zip(wants, floors, strict=True)]


def _printed_lines(table: Table, weights: list[float]) -> float:
    """About how tall the printed table is, in lines: each row as tall as its cell that wraps
    most (the column's width in characters, less its padding), plus half a line of padding.

    >>> _printed_lines(Table(("A", "B"), ((text("x" * 30), text("y")),)), [12.0, 8.0])
    5.0
    """
    total = 0.0
    for row in ((text(c) for c in table.columns), *table.rows):
        cells = list(row)
        tallest = max(
            (
                -(-len(cell.text) // max(1, int(w) - 2))
                for cell, w in zip(cells, weights, strict=True)
            ),
            default=1,
        )
        total += max(1, tallest) + 0.5
    return total


EM_PER_CHAR = 0.55  # average width of a table character, in em of the table's font


def _colgroup(table: Table, line: int) -> tuple[str, str]:
    """The ``<colgroup>`` and the table's style: a share of the line, and a minimum width so
    that a narrow screen scrolls the table sideways instead of crushing its columns."""
    weights = _weights(table, line)
    total = sum(weights)
    share = min(100, round(100 * total / line))
    cols = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in weights)
    style = f"width:{max(share, 40)}%;min-width:{total * EM_PER_CHAR:.0f}em"
    return f"<colgroup>{cols}</colgroup>", style


def _table(table: Table, line: int) -> str:
    if not table.rows:
        caption = f"<strong>{html_text(table.caption)}</strong>: " if table.caption else ""
        return f'<p class="empty">{caption}{html_text(table.empty)}</p>'
    numeric = [
        all(row[i].kind in _NUMERIC or row[i].value is None for row in table.rows)
        and any(row[i].kind in _NUMERIC for row in table.rows)
        for i in range(len(table.columns))
    ]
    head = "".join(
        f'<th class="{"num" if numeric[i] else "txt"}" scope="col">{html_text(name)}</th>'
        for i, name in enumerate(table.columns)
    )
    body = "".join(
        "<tr>" + "".join(_cell(c, numeric[i]) for i, c in enumerate(row)) + "</tr>"
        for row in table.rows
    )
    caption = f"<caption>{html_text(table.caption)}</caption>" if table.caption else ""
    cols, style = _colgroup(table, line)
    wide = ' class="wide"' if len(table.columns) > 4 else ""
    short = " short" if _printed_lines(table, _weights(table, line)) <= SHORT_TABLE else ""
    return (
        f'<div class="table-wrap{short}"><table{wide} style="{style}">{caption}{cols}'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


IMAGE_URL = "opcanvas-figure:"  # print only: figures served from memory to WeasyPrint
_SVG_ROOT = re.compile(r"<svg\b[^>]*>")
_STYLE = re.compile(r'\sstyle="([^"]*)"')


def _image(svg: str, images: dict[str, str]) -> str:
    """An ``<img>`` for the printed page, the SVG kept aside as a file of its own.

    WeasyPrint parses and styles every element of an inline SVG as part of the page (half the
    report's elements); as an image it only reads the drawing. The root's ``max-width`` moves
    to the ``<img>``, and the namespaces the inline form drops come back.

    >>> images = {}
    >>> _image('<svg viewBox="0 0 4 2" style="max-width:4px"><text>a</text></svg>', images)
    '<img src="opcanvas-figure:0" alt="" style="max-width:4px">'
    >>> images["opcanvas-figure:0"]
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 2"><text>a</text></svg>'
    """
    root = _SVG_ROOT.match(svg)
    if root is None:  # sanitize_svg always gives an <svg> root; anything else stays inline
        return svg
    style = _STYLE.search(root.group(0))
    tag = _STYLE.sub("", root.group(0), count=1)
    spaces = ' xmlns="http://www.w3.org/2000/svg"'
    if "xlink:" in svg:
        spaces += ' xmlns:xlink="http://www.w3.org/1999/xlink"'
    url = f"{IMAGE_URL}{len(images)}"
    images[url] = "<svg" + spaces + tag[len("<svg") :] + svg[root.end() :]
    style_attr = f' style="{style.group(1)}"' if style else ""
    return f'<img src="{url}" alt=""{style_attr}>'


def _block(block: Block, line: int = CHARS_PER_LINE, images: dict[str, str] | None = None) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{html_text(block.text)}</p>"
    if isinstance(block, Bullets):
        tag = "ol" if block.ordered else "ul"
        items = "".join(f"<li>{html_text(item)}</li>" for item in block.items)
        return f"<{tag}>{items}</{tag}>"
    if isinstance(block, Table):
        return _table(block, line)
    if isinstance(block, Figure):
        wide = ' class="wide"' if block.wide else ""
        svg = sanitize_svg(block.svg, responsive=True)
        drawing = svg if images is None else _image(svg, images)
        return (
            f'<figure{wide}><div class="svg">{drawing}</div>'
            f"<figcaption>{html_text(block.caption)}</figcaption></figure>"
        )
    if isinstance(block, Missing):
        items = "".join(f"<li>{html_text(item)}</li>" for item in block.items)
        return f'<div class="missing"><strong>Not yet in the canvas</strong><ul>{items}</ul></div>'
    if isinstance(block, Files):
        items = "".join(
            f"<li>{html_text(label)}: {html_text(path)}</li>" for label, path in block.items
        )
        return f'<ul class="files">{items}</ul>'
    raise TypeError(f"unknown block {type(block).__name__}")


def _section(section: Section, line: int, images: dict[str, str] | None) -> str:
    page = " newpage" if section.new_page else ""
    return (
        f'<div class="part{page}"><h2>{html_text(section.title)}</h2>'
        + "".join(_block(b, line, images) for b in section.blocks)
        + "</div>"
    )


def _conventions(deliverable: Deliverable) -> str:
    if not deliverable.conventions:
        return ""
    rows = "".join(
        f"<dt>{html_text(name)}</dt><dd>{html_text(value)}</dd>"
        for name, value in deliverable.conventions
    )
    return f'<aside class="conventions"><h3>Conventions in force</h3><dl>{rows}</dl></aside>'


def _classes(deliverable: Deliverable) -> str:
    wide = " wide" if deliverable.landscape else ""
    return "deliverable" + wide + (" a3" if deliverable.paper == "A3" else "")


def _line(deliverable: Deliverable) -> int:
    return CHARS_PER_LINE_WIDE if deliverable.landscape else CHARS_PER_LINE


def _head(deliverable: Deliverable) -> str:
    return (
        f"<h1>{html_text(deliverable.heading)}</h1>"
        f'<p class="summary">{html_text(deliverable.summary)}</p>' + _conventions(deliverable)
    )


def _deliverable(deliverable: Deliverable, images: dict[str, str] | None) -> str:
    line = _line(deliverable)
    return (
        f'<section class="{_classes(deliverable)}" id="d-{html_text(deliverable.key)}">'
        + _head(deliverable)
        + "".join(_section(s, line, images) for s in deliverable.sections)
        + "</section>"
    )


def _cover(document: Document) -> str:
    headline = "".join(
        f"<div><dt>{html_text(label)}</dt><dd>{html_text(value)}</dd></div>"
        for label, value in document.headline
    )
    toc = "".join(
        f'<li><a href="#d-{html_text(d.key)}">{html_text(d.heading)}</a></li>'
        for d in document.deliverables
    )
    highlights = "".join(f"<li>{html_text(line)}</li>" for line in document.highlights)
    return (
        f'<header class="cover"><h1>{html_text(document.organization)}</h1>'
        f'<p class="subtitle">{html_text(document.title)} — {html_text(document.subtitle)}</p>'
        + (f'<dl class="headline">{headline}</dl>' if headline else "")
        + (f'<h2>In brief</h2><ul class="brief">{highlights}</ul>' if highlights else "")
        + (f'<nav><h2>Contents</h2><ul class="toc">{toc}</ul></nav>' if toc else "")
        + "</header>"
    )


FOOTER = (
    "<footer>Generated by opcanvas. Every figure follows the conventions printed with its "
    "deliverable.</footer>"
)


def _page(title: str, body: str, css: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html_text(title)}</title>"
        f"<style>{CSS}{css}</style></head><body><main>{body}</main></body></html>\n"
    )


def _title(document: Document) -> str:
    return f"{document.organization} — {document.title}"


def render_html(document: Document, *, images: dict[str, str] | None = None) -> str:
    """The whole report as one HTML page (a string); every canvas text is escaped.

    With ``images`` (the PDF's form), each figure is an ``<img>`` whose SVG is put in
    ``images`` under its URL (``opcanvas-figure:N``) instead of being inlined.
    """
    body = _cover(document) + "".join(_deliverable(d, images) for d in document.deliverables)
    return _page(_title(document), body + FOOTER)


# The printed report in parts (:mod:`opcanvas.report.pdf_parts`): its deliverables cut where a
# page breaks anyway, printed side by side without page furniture; then a frame of the same
# pages with the cover, the footers and the contents' page numbers, printed over them.

SHEETS = {"": (210.0, 297.0), "wide": (297.0, 210.0), "map": (420.0, 297.0)}  # mm, as @page
_PIECE_CSS = (
    "@page { @bottom-left { content: none } @bottom-right { content: none } }"
    # a chunk that opens with a section on a new page is on one already
    "section.deliverable > .part.newpage:first-child { break-before: auto; }"
)
_FRAME_CSS = (
    ".sheet { break-before: page; } .sheet.wide { page: wide; } .sheet.map { page: map; }"
    "body { background: none; }"  # a white page would hide the piece printed under it
)


@dataclass(frozen=True)
class Chunk:
    """A run of the printed report that starts on a page of its own, as HTML."""

    deliverable: str  # the key of the deliverable it belongs to
    opens: bool  # it starts the deliverable (with its heading)
    html: str  # a <section> whose id is ``chunk-N``, N its place in the report


def print_chunks(
    deliverables: Sequence[Deliverable], images: dict[str, str], *, first: int = 0, last: bool
) -> list[Chunk]:
    """The deliverables cut before each section printed on a new page, in report order, the
    chunks numbered from ``first``; with ``last``, the report's closing line ends the last one.

    Figures are ``<img>`` elements, their SVGs put in ``images`` (as :func:`render_html`).
    """
    chunks: list[Chunk] = []
    for deliverable in deliverables:
        line, classes = _line(deliverable), _classes(deliverable)
        runs: list[list[str]] = [[_head(deliverable)]]
        for section in deliverable.sections:
            if section.new_page:
                runs.append([])
            runs[-1].append(_section(section, line, images))
        for i, run in enumerate(r for r in runs if r):
            number = first + len(chunks)
            html = f'<section class="{classes}" id="chunk-{number}">{"".join(run)}</section>'
            chunks.append(Chunk(deliverable.key, i == 0, html))
    if chunks and last:
        chunks[-1] = replace(chunks[-1], html=chunks[-1].html + FOOTER)
    return chunks


def piece_html(chunks: Sequence[Chunk]) -> str:
    """Chunks as one page to print, without footers (the frame prints them)."""
    return _page("opcanvas: a piece of the report", "".join(c.html for c in chunks), _PIECE_CSS)


def frame_html(
    document: Document, sheets: Sequence[tuple[str, str | None]], *, cover_pages: int = 1
) -> str:
    """The cover, then one empty page per printed page of the chunks: ``(sheet, anchor)``
    gives its kind (a key of :data:`SHEETS`) and the id the contents link to (``d-KEY``) on
    the first page of each deliverable. The page furniture prints on every page.

    The footers state the page total as a number, the cover counted as ``cover_pages``: with
    ``counter(pages)`` WeasyPrint would lay every page out twice, a third of the frame's time.
    """
    pages = []
    for sheet, anchor in sheets:
        target = f' id="{html_text(anchor)}"' if anchor else ""
        pages.append(f'<div class="sheet {sheet}"{target}></div>')
    total = cover_pages + len(sheets)
    footer = f'@page {{ @bottom-right {{ content: "Page " counter(page) " of {total}" }} }}'
    return _page(_title(document), _cover(document) + "".join(pages), _FRAME_CSS + footer)
