"""The PDF printed in parts reads and looks as the report printed in one go: the same pages,
text, sizes, outline and links, and the same pixels."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops, ImageStat

from opcanvas.assess import assess
from opcanvas.canvas.io import load_canvas
from opcanvas.report.build import build_document
from opcanvas.report.figures import build_figures
from opcanvas.report.html import Chunk, print_chunks, render_html
from opcanvas.report.pdf import Layout, render_pdf
from opcanvas.report.pdf_parts import MM, PartsPrint, pack, place, sheet_of
from opcanvas.report.pdf_worker import PrintServer

from .conftest import Written


@pytest.fixture(scope="module")
def both(hostile_report: Written, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The report's PDF as written (in parts), and the same document printed in one go."""
    a = hostile_report.assessment
    document = build_document(a, build_figures(a), ics_file="governance.ics")
    images: dict[str, str] = {}
    data, _ = render_pdf(render_html(document, images=images), images)
    whole = tmp_path_factory.mktemp("whole") / "whole.pdf"
    whole.write_bytes(data)
    return hostile_report.result.main_files()["pdf"], whole


def _texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    return [" ".join(page.split()) for page in text.split("\f")]


def _outline(pdf: Path) -> list[tuple[int, str, int, list[int]]]:
    items: list[tuple[int, str, int, list[int]]] = []
    with pikepdf.open(pdf) as doc, doc.open_outline() as outline:

        def walk(level: int, children: list[pikepdf.OutlineItem]) -> None:
            for item in children:
                dest = item.destination
                assert isinstance(dest, pikepdf.Array)
                page = doc.pages.index(pikepdf.Page(dest[0]))
                items.append((level, item.title, page, [round(float(v)) for v in dest[2:4]]))
                walk(level + 1, item.children)

        walk(0, outline.root)
    return items


def _links(pdf: Path) -> list[tuple[int, str, list[int]]]:
    with pikepdf.open(pdf) as doc:
        return [
            (number, str(a.get("/Dest", a.get("/A"))), [round(float(v)) for v in a.Rect])
            for number, page in enumerate(doc.pages)
            for a in page.get("/Annots", [])
        ]


def test_the_same_pages_and_text(both: tuple[Path, Path]) -> None:
    parts, whole = both
    assert _texts(parts) == _texts(whole)  # every page's text, the footers' "Page N of M" too
    assert any("Page 2 of" in page for page in _texts(parts))


def test_the_same_outline_and_contents_links(both: tuple[Path, Path]) -> None:
    parts, whole = both
    outline = _outline(parts)
    assert outline == _outline(whole)
    assert [title for level, title, _, _ in outline if level == 0][1] == "1. Value Stream Maps"
    links = _links(parts)
    assert links == _links(whole) and len(links) >= 6  # the contents link to each deliverable


def test_the_same_pixels(both: tuple[Path, Path], tmp_path: Path) -> None:
    """Every page rasterised from both PDFs: at most a few anti-aliasing pixels differ."""
    for name, pdf in zip(("parts", "whole"), both, strict=True):
        subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / name)], check=True)
    parts, wholes = sorted(tmp_path.glob("parts-*.png")), sorted(tmp_path.glob("whole-*.png"))
    assert len(parts) == len(wholes) > 5
    for mine, reference in zip(parts, wholes, strict=True):
        a, b = Image.open(mine).convert("L"), Image.open(reference).convert("L")
        assert a.size == b.size, mine.name
        assert ImageStat.Stat(ImageChops.difference(a, b)).mean[0] < 0.05, mine.name
        assert ImageStat.Stat(a).stddev[0] > 2, mine.name  # not blank (a white frame hides ink)


def test_chunks_start_each_deliverable_and_each_section_on_a_new_page(
    hostile_report: Written,
) -> None:
    a = hostile_report.assessment
    document = build_document(a, build_figures(a))
    chunks = print_chunks(document.deliverables, {}, last=True)
    opening = [c.deliverable for c in chunks if c.opens]
    assert opening == [d.key for d in document.deliverables]
    streams = sum(1 for d in document.deliverables for s in d.sections if s.new_page)
    assert len(chunks) == len(document.deliverables) + streams
    assert all(f'id="chunk-{i}"' in c.html for i, c in enumerate(chunks))
    assert chunks[-1].html.endswith("</footer>") and "<footer>" not in chunks[0].html
    # printed in two batches (the maps first), the chunks keep their numbers
    images: dict[str, str] = {}
    maps = print_chunks(document.deliverables[:1], images, last=False)
    rest = print_chunks(document.deliverables[1:], images, first=len(maps), last=True)
    assert [c.html for c in maps + rest] == [c.html for c in print_chunks(
        document.deliverables, {}, last=True)]  # fmt: skip


@pytest.mark.parametrize(
    ("work", "pieces"),
    [([5, 1, 1, 3, 2], 2), ([1.0] * 9, 4), ([9, 1, 1, 1], 3), ([3, 3], 5), ([], 2)],
)
def test_pack_balances_the_work(work: list[float], pieces: int) -> None:
    """Every chunk in one group, each group in report order, the heaviest group first, and no
    group heavier than the lightest by more than its heaviest chunk (the LPT bound)."""
    groups = pack(work, pieces)
    assert sorted(i for g in groups for i in g) == list(range(len(work)))
    assert all(g == sorted(g) for g in groups)
    totals = [sum(work[i] for i in g) for g in groups]
    assert totals == sorted(totals, reverse=True)
    if totals:
        assert totals[0] - totals[-1] <= max(work)
    assert len(groups) == min(pieces, len(work))


def _layout(pages: int, anchors: dict[str, int], size: tuple[float, float]) -> Layout:
    return Layout((size,) * pages, anchors, ())


def test_place_puts_the_pieces_pages_in_report_order() -> None:
    a4, a3 = (210 * MM, 297 * MM), (420 * MM, 297 * MM)
    chunks = [Chunk("maps", True, ""), Chunk("maps", False, ""), Chunk("gaps", True, "")]
    groups = [[0, 2], [1]]  # piece 0 printed chunks 0 (2 pages) and 2 (1 page); piece 1 chunk 1
    layouts = [_layout(3, {"chunk-0": 0, "chunk-2": 2}, a3), _layout(2, {"chunk-1": 0}, a4)]
    placed = place(chunks, groups, layouts)
    assert [(p.piece, p.page, p.sheet, p.anchor) for p in placed] == [
        (0, 0, "map", "d-maps"),
        (0, 1, "map", None),
        (1, 0, "", None),
        (1, 1, "", None),
        (0, 2, "map", "d-gaps"),
    ]


def test_a_page_of_unknown_size_is_refused() -> None:
    assert sheet_of((210 * MM + 0.5, 297 * MM)) == ""
    with pytest.raises(ValueError, match="100 x 100 px is of no known kind"):
        sheet_of((100.0, 100.0))


def test_a_cover_of_two_pages_counts_in_every_footer(tmp_path: Path) -> None:
    """The frame states the page total as a number, counting a one-page cover; a longer cover
    prints the frame again, so every footer's total and the contents' pages stay right."""
    a = assess(load_canvas("examples/sales-proposal.yaml"), samples=200)
    short = build_document(a)
    document = replace(short, highlights=short.highlights + ("A long finding. " * 60,) * 8)
    run = PartsPrint(PrintServer(slots=2), tmp_path)
    run.add(document.deliverables, last=True)
    data, pages = run.finish(document)
    run.server.close()
    parts, whole = tmp_path / "parts.pdf", tmp_path / "whole.pdf"
    parts.write_bytes(data)
    images: dict[str, str] = {}
    whole.write_bytes(render_pdf(render_html(document, images=images), images)[0])
    texts = _texts(parts)
    assert f"Page 2 of {pages}" in texts[1] and f"Page {pages} of {pages}" in texts[pages - 1]
    assert texts == _texts(whole)
    assert _links(parts) == _links(whole)
