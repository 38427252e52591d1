"""The PDF: every page has ink, the page count is the one WeasyPrint laid out, and each
deliverable starts on a page of its own."""

from __future__ import annotations

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


def test_every_page_has_ink(pages: list[Path]) -> None:
    """Above the footer (which every page has), each page carries real content."""
    for page in pages:
        image = Image.open(page).convert("L")
        body = image.crop((0, 0, image.width, int(image.height * 0.9)))
        dark = sum(body.histogram()[:160])
        share = dark / (body.width * body.height)
        assert share > 0.001, f"{page.name} is blank above its footer ({share:.2%} ink)"
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


def test_maps_are_printed_landscape(hostile_report: Written) -> None:
    pdf = hostile_report.result.main_files()["pdf"]
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "3", str(pdf)], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    sizes = [line for line in info.splitlines() if line.startswith("Page") and "size" in line]
    assert "595.276 x 841.89" in sizes[0]  # the cover: portrait
    assert "841.89 x 595.276" in sizes[1]  # the value stream maps: landscape
