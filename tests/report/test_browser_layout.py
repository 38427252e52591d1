"""The HTML report in a real browser (headless Chromium): read on a phone, on a desktop, printed.

The sample organisation's report (Northwind Services: 14 value stream maps, wide tables, charts)
is laid out once at 390 px and 1280 px; each test reads one measurement. What is measured and
how is in ``browser.py``.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from opcanvas.assess import assess
from opcanvas.canvas.templates import sample_canvas
from opcanvas.report import write_report

from .browser import A4, DESKTOP, PHONE, Layout, lay_out, needs_chromium, print_to_pdf
from .conftest import Written

pytestmark = needs_chromium

BODY_TEXT_PX = 14  # the smallest comfortable reading size for running text on a phone
SVG_LABEL_PX = 6  # the smallest label in a drawing, at the size the browser draws it
A3_LANDSCAPE = (1191.0, 842.0)  # points: the maps deliverable prints on A3 landscape


@pytest.fixture(scope="module")
def sample_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The HTML report of the built-in sample organisation, as ``opcanvas report`` writes it."""
    out = tmp_path_factory.mktemp("sample") / "out"
    assessment = assess(sample_canvas(), samples=200, seed=1)
    result = write_report(assessment, out, formats=["html"], start=dt.date(2027, 1, 4))
    return result.main_files()["html"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def layouts(sample_html: str, tmp_path_factory: pytest.TempPathFactory) -> dict[int, Layout]:
    return lay_out(sample_html, (PHONE, DESKTOP), tmp_path_factory.mktemp("browser"))


def _listing(items: list[str], limit: int = 15) -> str:
    more = f"\n  ... and {len(items) - limit} more" if len(items) > limit else ""
    return "\n  " + "\n  ".join(items[:limit]) + more


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_page_never_scrolls_sideways(layouts: dict[int, Layout], width: int) -> None:
    """Wide tables and maps scroll inside their own box; the page itself stays the screen's
    width, and no element outside such a box sticks out of it."""
    layout = layouts[width]
    assert layout["viewport"] == width
    assert layout["offenders"] == [], f"sticking out at {width} px:" + _listing(layout["offenders"])
    assert layout["scrollWidth"] <= layout["viewport"]


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_running_text_is_readable(layouts: dict[int, Layout], width: int) -> None:
    text = layouts[width]["text"]
    assert len(text) > 50  # paragraphs and list items of the deliverables were found
    small = [f"{name}: {px:g} px" for name, px in text if px < BODY_TEXT_PX]
    assert small == [], f"running text under {BODY_TEXT_PX} px at {width} px:" + _listing(small)


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_drawings_scale_to_their_box(layouts: dict[int, Layout], width: int) -> None:
    """Every inline SVG has a viewBox and keeps its proportions; one wider than its box (a map
    on a phone) sits in a box that scrolls sideways."""
    svgs = layouts[width]["svgs"]
    assert len(svgs) >= 14 + 5  # a map per stream and the charts
    for svg in svgs:
        assert svg["viewBox"] is not None, f"{svg['name']}: no viewBox"
        vb_w, vb_h = svg["viewBox"]
        assert svg["height"] == pytest.approx(svg["width"] * vb_h / vb_w, abs=1.0), svg["name"]
        if svg["width"] > svg["container"] + 0.5:
            assert svg["scrolls"], f"{svg['name']}: wider than its box, which does not scroll"


def test_maps_scroll_on_a_phone_and_fit_a_desktop(layouts: dict[int, Layout]) -> None:
    def wide(width: int) -> list[dict[str, object]]:
        return [s for s in layouts[width]["svgs"] if s["width"] > s["container"] + 0.5]

    assert len(wide(PHONE)) >= 14  # every map (and maybe a chart) scrolls on the phone
    assert wide(DESKTOP) == []


def test_drawing_labels_are_legible_on_a_phone(layouts: dict[int, Layout]) -> None:
    """The smallest label of each map and chart, at the size the phone draws it. Scaled down
    to a 390 px screen, a chart's 9-unit labels come out near 4 px: unreadable without zoom."""
    small = [
        f"{s['name']}: {s['smallestLabel']:.1f} px"
        for s in layouts[PHONE]["svgs"]
        if s["smallestLabel"] is not None and s["smallestLabel"] < SVG_LABEL_PX
    ]
    assert small == [], f"labels under {SVG_LABEL_PX} px at {PHONE} px:" + _listing(small)


def test_tables_fit_a_desktop_screen(layouts: dict[int, Layout]) -> None:
    """On a 1280 px screen no table hides its last columns behind a sideways scroll."""
    scrolling = [f"{name}: {box} px box, {full} px table" for name, box, full in
                 layouts[DESKTOP]["scrollingTables"]]  # fmt: skip
    assert scrolling == [], f"tables scrolling at {DESKTOP} px:" + _listing(scrolling)


def test_tables_scroll_inside_their_box_on_a_phone(layouts: dict[int, Layout]) -> None:
    """The wide tables do not fit 390 px; they scroll in their box (the page does not, above)."""
    assert len(layouts[PHONE]["scrollingTables"]) > 10


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_no_request_leaves_the_page(layouts: dict[int, Layout], width: int) -> None:
    """Laid out under a policy that blocks every fetch: nothing was blocked, nothing fetched
    but the page itself, no image is broken."""
    layout = layouts[width]
    assert layout["violations"] == []
    assert [r for r in layout["resources"] if not r.startswith("data:")] == []
    assert layout["brokenImages"] == []


def test_the_probe_sees_requests(tmp_path: Path) -> None:
    """The check above is not vacuous: a page that fetches an image and a style sheet is
    caught, and its broken image is listed."""
    page = (
        '<!DOCTYPE html><html><head><link rel="stylesheet" href="https://cdn.example/x.css">'
        '</head><body><main><p>Hello</p><img src="http://example.com/logo.png" alt="logo">'
        "</main></body></html>"
    )
    layout = lay_out(page, (PHONE,), tmp_path)[PHONE]
    blocked = " ".join(layout["violations"])
    assert "https://cdn.example/x.css" in blocked
    assert "http://example.com/logo.png" in blocked
    assert layout["brokenImages"] == ["img"]


def test_the_browser_prints_every_page(hostile_report: Written, tmp_path: Path) -> None:
    """Printing the HTML from the browser (not WeasyPrint's PDF): A4 pages, the maps on
    A3 landscape ones, and every page carries content above its footer."""
    pdf = tmp_path / "printed.pdf"
    print_to_pdf(hostile_report.result.main_files()["html"], pdf, tmp_path)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    sizes = [
        tuple(float(x) for x in line.split("size:")[1].split("pts")[0].split(" x "))
        for line in info.splitlines()
        if line.startswith("Page") and " size:" in line
    ]
    assert len(sizes) > 0
    allowed = {"A4": A4, "A4 landscape": A4[::-1], "A3 landscape": A3_LANDSCAPE}
    named = [
        next((name for name, box in allowed.items() if size == pytest.approx(box, abs=1)), None)
        for size in sizes
    ]
    assert None not in named, f"pages not A4 or A3 landscape: {sizes}"
    assert named[0] == "A4"  # the cover
    assert "A3 landscape" in named  # the maps
    subprocess.run(["pdftoppm", "-png", "-r", "20", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == len(sizes)
    for page, size in zip(pages, sizes, strict=True):
        image = Image.open(page).convert("L")
        body = image.crop((0, 0, image.width, int(image.height * 0.9)))
        a4_share = A4[0] * A4[1] / (size[0] * size[1])  # ink counted against an A4 page
        share = sum(body.histogram()[:160]) / (body.width * body.height * a4_share)
        assert share > 0.001, f"{page.name} is blank above its footer ({share:.2%} ink)"
        assert ImageStat.Stat(body).stddev[0] > 2, page.name
