"""The PDF: every page has ink, the page count is the one WeasyPrint laid out, and each
deliverable starts on a page of its own."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from .conftest import Written

HEADINGS = (
    "1. Value Stream Maps",
    "2. Gap Analysis Report",
    "3. Transformation Roadmap",
    "4. Governance Framework",
    "5. Cross-Engine Dependency Map",
    "Workshop Pack",
)


@pytest.fixture(scope="module")
def pages(hostile_report: Written, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    pdf = hostile_report.result.main_files()["pdf"]
    out = tmp_path_factory.mktemp("pages")
    subprocess.run(["pdftoppm", "-png", "-r", "20", str(pdf), str(out / "p")], check=True)
    return sorted(out.glob("p-*.png"))


def _page_text(pdf: Path, number: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(pdf), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


def test_page_count(hostile_report: Written, pages: list[Path]) -> None:
    pdf = hostile_report.result.main_files()["pdf"]
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    count = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
    assert count == len(pages) == hostile_report.result.pages
    assert count >= 1 + len(HEADINGS)  # the cover, then each deliverable on its own pages


A4_PIXELS_AT_20_DPI = (595.276 / 72 * 20) * (841.89 / 72 * 20)


def test_every_page_has_ink(pages: list[Path]) -> None:
    """Above the footer (which every page has), each page carries real content: ink worth
    0.1 % of an A4 page at least, whatever the page's own size (the maps print on A3)."""
    for page in pages:
        image = Image.open(page).convert("L")
        body = image.crop((0, 0, image.width, int(image.height * 0.9)))
        dark = sum(body.histogram()[:160])
        share = dark / A4_PIXELS_AT_20_DPI
        assert share > 0.001, f"{page.name} is blank above its footer ({share:.2%} of A4 inked)"
        assert ImageStat.Stat(body).stddev[0] > 2, page.name


def test_each_deliverable_starts_a_page(hostile_report: Written) -> None:
    pdf = hostile_report.result.main_files()["pdf"]
    total = hostile_report.result.pages or 0
    starts = []
    for number in range(2, total + 1):
        lines = [line.strip() for line in _page_text(pdf, number).splitlines() if line.strip()]
        if lines and lines[0] in HEADINGS:
            starts.append((lines[0], number))
    assert [h for h, _ in starts] == list(HEADINGS)
    assert [n for _, n in starts] == sorted(n for _, n in starts)
    footer = _page_text(pdf, 2)
    assert f"Page 2 of {total}" in footer


A4, A4_LANDSCAPE, A3_LANDSCAPE = (595.276, 841.89), (841.89, 595.276), (1190.55, 841.89)


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    return [
        tuple(float(x) for x in line.split("size:")[1].split("pts")[0].split(" x "))  # type: ignore[misc]
        for line in info.splitlines()
        if line.startswith("Page") and " size:" in line
    ]


def test_maps_print_on_a3_landscape_the_rest_on_a4(hostile_report: Written) -> None:
    """The cover is A4 portrait; the value stream maps deliverable (pages up to the gap
    analysis) prints on A3 landscape so its maps keep readable text; the rest is A4."""
    pdf = hostile_report.result.main_files()["pdf"]
    sizes = page_sizes(pdf)
    assert len(sizes) == hostile_report.result.pages
    gaps = next(n for n in range(2, len(sizes) + 1)
                if _page_text(pdf, n).strip().startswith("2. Gap Analysis Report"))  # fmt: skip
    assert sizes[0] == pytest.approx(A4, abs=0.01)
    assert all(s == pytest.approx(A3_LANDSCAPE, abs=0.01) for s in sizes[1 : gaps - 1])
    assert all(
        s == pytest.approx(A4, abs=0.01) or s == pytest.approx(A4_LANDSCAPE, abs=0.01)
        for s in sizes[gaps - 1 :]
    )


DEJAVU_LINE = 1.164  # DejaVu Sans ascent + descent, in em: a word's box height / font size


def _word_sizes(pdf: Path, number: int) -> list[tuple[str, float]]:
    """Every word on the page with its font size in pt (from pdftotext's word boxes)."""
    xhtml = subprocess.run(
        ["pdftotext", "-f", str(number), "-l", str(number), "-bbox", str(pdf), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', xhtml)
    return [(word, (float(bottom) - float(top)) / DEJAVU_LINE) for top, bottom, word in words]


def test_map_text_prints_at_6_pt_or_more(hostile_report: Written) -> None:
    """On A4 the maps printed their labels at 2-4 pt; on their A3 pages the smallest word of
    a three-lane map (its lane names, step figures, the lead-time ladder) is 6 pt or more."""
    pdf = hostile_report.result.main_files()["pdf"]
    maps = [
        n
        for n in range(2, (hostile_report.result.pages or 0) + 1)
        if {"Wait", "Work", "Trigger"} <= {w for w, _ in _word_sizes(pdf, n)}
    ]
    assert len(maps) == 2  # one page per stream map: growth (3 lanes) and retention (2 lanes)
    for number in maps:
        sizes = sorted(size for _, size in _word_sizes(pdf, number))
        assert len(sizes) > 40, number  # the map's text is text, not outlines
        assert sizes[0] >= 6.0, f"page {number}: smallest text {sizes[0]:.1f} pt"
