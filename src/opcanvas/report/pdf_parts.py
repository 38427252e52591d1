"""The PDF printed in parts, side by side on the cores, then joined into one.

WeasyPrint lays out and draws on one core, and a page's footer ("Page 3 of 71") or the
contents' page numbers depend on every page before it. So the report prints in two steps:

1. **Pieces.** The deliverables are cut where a page breaks anyway (each deliverable, and each
   section that starts a new page: :func:`~opcanvas.report.html.print_chunks`), the chunks
   packed into a few pieces of about equal work (:func:`pack`), and the pieces printed at once
   by the print server, without page furniture.
2. **Frame.** From the pieces' page counts and sizes comes the frame: the cover, then an empty
   page of the same size for every printed page (:func:`place`). WeasyPrint prints it with the
   footers, the page numbers and the contents' links and page numbers, all its own.

:func:`join` puts each piece's page under its frame page and writes the outline (bookmarks) of
the whole from the pieces' headings. The result reads as the report printed in one go.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opcanvas.report.document import Deliverable, Document
from opcanvas.report.html import IMAGE_URL, SHEETS, Chunk, frame_html, piece_html, print_chunks
from opcanvas.report.pdf import Layout
from opcanvas.report.pdf_worker import PrintServer

MM = 96 / 25.4  # CSS pixels per millimetre
PT = 0.75  # PDF points per CSS pixel
_IMAGE = re.compile(re.escape(IMAGE_URL) + r"\d+")

# Printing work of a chunk, in table cells: WeasyPrint spends about as much on one figure as on
# this many cells, and on this many characters of figure SVG as on one cell (the demo report).
CELLS_PER_FIGURE = 20
SVG_CHARACTERS_PER_CELL = 400


def work(chunk: Chunk, images: Mapping[str, str]) -> float:
    """The printing work of a chunk, in table cells (an estimate for :func:`pack`)."""
    cells = chunk.html.count("<td") + chunk.html.count("<th")
    svgs = [images[url] for url in _IMAGE.findall(chunk.html)]
    return 1 + cells + CELLS_PER_FIGURE * len(svgs) + sum(map(len, svgs)) / SVG_CHARACTERS_PER_CELL


def pack(weights: Sequence[float], pieces: int) -> list[list[int]]:
    """Chunk indexes in ``pieces`` groups of about equal total weight, heaviest group first (so
    the printers that start first get the longest jobs); each group in report order.

    >>> pack([5, 1, 1, 3, 2], 2)
    [[0, 1], [2, 3, 4]]
    """
    groups: list[list[int]] = [[] for _ in range(min(pieces, len(weights)))]
    totals = [0.0] * len(groups)
    for i in sorted(range(len(weights)), key=lambda i: -weights[i]):  # heaviest first
        lightest = totals.index(min(totals))
        groups[lightest].append(i)
        totals[lightest] += weights[i]
    order = sorted(range(len(groups)), key=lambda g: -totals[g])
    return [sorted(groups[g]) for g in order]


@dataclass(frozen=True)
class Placed:
    """A printed page of the report: which piece printed it, and as which of its pages."""

    piece: int
    page: int
    sheet: str  # the page's kind, a key of SHEETS
    anchor: str | None  # the id of the deliverable it opens (the contents link to it)


def sheet_of(size: tuple[float, float]) -> str:
    """The kind of page (a key of :data:`~opcanvas.report.html.SHEETS`) of this size in CSS px.

    >>> sheet_of((297 * MM, 210 * MM))
    'wide'
    """
    for name, (width, height) in SHEETS.items():
        if abs(size[0] - width * MM) < 1 and abs(size[1] - height * MM) < 1:
            return name
    raise ValueError(f"a printed page of {size[0]:.0f} x {size[1]:.0f} px is of no known kind")


def place(
    chunks: Sequence[Chunk], groups: Sequence[Sequence[int]], layouts: Sequence[Layout]
) -> list[Placed]:
    """Every printed page in report order, from the pieces' layouts (piece ``g`` printed the
    chunks ``groups[g]``, each starting on the page of its anchor ``chunk-N``)."""
    start: dict[int, tuple[int, int, int]] = {}  # chunk -> (piece, first page, end page)
    for g, (group, layout) in enumerate(zip(groups, layouts, strict=True)):
        firsts = [layout.anchors[f"chunk-{i}"] for i in group]
        for i, first, end in zip(group, firsts, [*firsts[1:], len(layout.sizes)], strict=True):
            start[i] = (g, first, end)
    placed = []
    for i, chunk in enumerate(chunks):
        piece, first, end = start[i]
        for page in range(first, end):
            anchor = f"d-{chunk.deliverable}" if chunk.opens and page == first else None
            placed.append(Placed(piece, page, sheet_of(layouts[piece].sizes[page]), anchor))
    return placed


def join(frame: bytes, frame_layout: Layout, pieces: Sequence[bytes], layouts: Sequence[Layout],
         placed: Sequence[Placed]) -> bytes:  # fmt: skip
    """The frame with each placed piece page drawn under its page, and the outline of the
    whole: the frame's bookmarks (the cover's) and then the pieces', in page order."""
    import pikepdf

    with contextlib.ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.open(io.BytesIO(frame)))
        sources = [stack.enter_context(pikepdf.open(io.BytesIO(data))) for data in pieces]
        cover = len(pdf.pages) - len(placed)
        if cover < 0:
            raise ValueError(f"the frame has {len(pdf.pages)} pages for {len(placed)} printed")
        marks = [mark for mark in frame_layout.bookmarks if mark[2] < cover]
        for number, spot in enumerate(placed, start=cover):
            sheet, printed = pdf.pages[number], sources[spot.piece].pages[spot.page]
            box = pikepdf.Rectangle(sheet.mediabox)
            if _rounded(box) != _rounded(pikepdf.Rectangle(printed.mediabox)):
                raise ValueError(f"page {number + 1}: the frame and the piece differ in size")
            sheet.add_underlay(printed, box)
            marks += [
                (level, label, number, x, y)
                for level, label, page, x, y in layouts[spot.piece].bookmarks
                if page == spot.page
            ]
        _outline(pdf, marks, [height for _, height in frame_layout.sizes])
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def _rounded(box: Any) -> tuple[int, ...]:
    return tuple(round(v) for v in (box.llx, box.lly, box.urx, box.ury))


def _outline(pdf: Any, marks: Sequence[tuple[int, str, int, float, float]],
             heights: Sequence[float]) -> None:  # fmt: skip
    """Replace the outline with ``marks`` nested by level, as WeasyPrint nests headings."""
    import pikepdf

    with pdf.open_outline() as outline:
        outline.root.clear()
        stack: list[tuple[int, pikepdf.OutlineItem]] = []
        for level, label, page, x, y in marks:
            item = pikepdf.OutlineItem(
                label, page, "XYZ", left=x * PT, top=(heights[page] - y) * PT
            )
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else outline.root).append(item)
            stack.append((level, item))


class PartsPrint:
    """The report's PDF, printing in parts: each :meth:`add` starts printing some deliverables
    (so the maps print while the charts are drawn); :meth:`finish` prints the frame and joins.
    Work files go to ``directory`` (inside the report's staging one)."""

    def __init__(self, server: PrintServer, directory: Path) -> None:
        self.server, self.directory = server, directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.images: dict[str, str] = {}
        self.chunks: list[Chunk] = []
        self.pieces: list[tuple[Path, list[int]]] = []  # each piece's PDF and its chunks

    def add(self, deliverables: Sequence[Deliverable], *, last: bool = False) -> None:
        """Start printing ``deliverables``, which follow those added before (``last``: the
        report ends with them)."""
        first = len(self.chunks)
        chunks = print_chunks(deliverables, self.images, first=first, last=last)
        self.chunks += chunks
        weights = [work(chunk, self.images) for chunk in chunks]
        for group in pack(weights, self.server.slots):  # all printing at once
            members = [chunks[i] for i in group]
            html = piece_html(members)
            used = {url: self.images[url] for url in _IMAGE.findall(html)}
            pdf = self.directory / f"piece-{len(self.pieces)}.pdf"
            self.pieces.append((self.server.submit(html, used, pdf), [first + i for i in group]))

    def finish(self, document: Document) -> tuple[bytes, int]:
        """The joined PDF and its page count: waits for the pieces, then prints the frame with
        ``document``'s cover."""
        import pikepdf  # noqa: F401  (loaded for join while the pieces print)

        pdfs = [pdf for pdf, _ in self.pieces]
        laid_out = self.server.layouts(pdfs)  # the last pieces draw while the frame prints
        layouts = [laid_out[pdf] for pdf in pdfs]
        placed = place(self.chunks, [group for _, group in self.pieces], layouts)
        sheets = [(spot.sheet, spot.anchor) for spot in placed]
        frame = self._frame(document, sheets, cover_pages=1)  # a cover of one page, as a rule
        frame_layout = self.server.wait([*pdfs, frame])[frame]
        if (cover := len(frame_layout.sizes) - len(sheets)) != 1:  # the footers' total was off
            frame = self._frame(document, sheets, cover_pages=cover)
            frame_layout = self.server.wait([frame])[frame]
        self.server.close(wait=False)  # it ends while the pages are joined
        pieces = [pdf.read_bytes() for pdf in pdfs]
        data = join(frame.read_bytes(), frame_layout, pieces, layouts, placed)
        return data, len(frame_layout.sizes)

    def _frame(self, document: Document, sheets: Sequence[tuple[str, str | None]],
               cover_pages: int) -> Path:  # fmt: skip
        page = frame_html(document, sheets, cover_pages=cover_pages)
        return self.server.submit(page, {}, self.directory / "frame.pdf", now=True)
