"""Printing the PDF: SVG text drawn a run at a time lands where WeasyPrint puts it, figures
come from memory and nothing else loads, and the child process that prints reports its
failures without leaving a file behind."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest

from opcanvas.assess import assess
from opcanvas.canvas import parse_canvas
from opcanvas.errors import ReportError
from opcanvas.report import write_report
from opcanvas.report import writer as writer_module
from opcanvas.report.html import IMAGE_URL, render_html
from opcanvas.report.pdf import Layout, render_pdf, svg_text_runs
from opcanvas.report.pdf_worker import DRAW_NICE, NICE, PrintServer

from .conftest import Written

SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200" width="400" height="200"
 font-family="DejaVu Sans">
 <text x="10" y="20" font-size="10">Plain start text</text>
 <text x="200" y="50" font-size="12" text-anchor="middle" font-weight="bold">Centred bold</text>
 <text x="390" y="80" font-size="9" text-anchor="end" font-style="italic">Ends here 12.5d</text>
 <text x="20" y="110" font-size="11" transform="rotate(-90 20 110)">Rotated</text>
 <text x="50" y="140" font-size="10" dx="0 3 3 3">Per glyph</text>
 <g transform="translate(100,160)"><text y="10" font-size="10">In a group → 3</text></g>
</svg>"""


def _words(pdf: bytes, tmp_path: Path) -> list[tuple[str, float, float, float, float]]:
    path = tmp_path / "words.pdf"
    path.write_bytes(pdf)
    xhtml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True,
                           capture_output=True, text=True).stdout  # fmt: skip
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        xhtml,
    )
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in found]


def _plain_render(html: str) -> bytes:
    """WeasyPrint on its own, without the faster SVG text drawer."""
    import weasyprint

    data = weasyprint.HTML(string=html).write_pdf()
    assert data is not None
    return data


def test_svg_text_runs_land_where_weasyprint_puts_them(tmp_path: Path) -> None:
    """Same words, same boxes (within a fraction of a point: a run is kerned as a whole)."""
    html = f"<p>Before</p>{SVG}"
    mine, _ = render_pdf(html)
    theirs = _plain_render(html)
    ours, reference = _words(mine, tmp_path), _words(theirs, tmp_path)
    assert [w[0] for w in ours] == [w[0] for w in reference]
    assert {"Centred", "bold", "12.5d", "Rotated", "→"} <= {w[0] for w in ours}
    for got, expected in zip(ours, reference, strict=True):
        assert got[1:] == pytest.approx(expected[1:], abs=0.6), got[0]


def test_svg_text_runs_swap_lasts_one_rendering() -> None:
    from weasyprint import svg as wsvg

    before = (wsvg.text, dict(wsvg.TAGS))
    with svg_text_runs() as swapped:
        assert swapped
        assert wsvg.TAGS["text"] is wsvg.text is not before[0]
        assert wsvg.TAGS["tspan"] is wsvg.text
    assert (wsvg.text, dict(wsvg.TAGS)) == before


def test_figures_come_from_memory(tmp_path: Path) -> None:
    images = {f"{IMAGE_URL}0": SVG}
    data, pages = render_pdf(f'<img src="{IMAGE_URL}0" alt="">', images)
    assert pages == 1
    assert "Centred" in {w[0] for w in _words(data, tmp_path)}


@pytest.mark.parametrize(
    "tag",
    [
        '<img src="http://example.com/logo.png" alt="">',
        '<img src="file:///etc/hostname" alt="">',
        f'<img src="{IMAGE_URL}7" alt="">',  # a figure the report does not have
        '<link rel="stylesheet" href="https://cdn.example/x.css">',
    ],
)
def test_nothing_else_loads(tag: str) -> None:
    with pytest.raises(ReportError, match="external resource"):
        render_pdf(f"<html><head></head><body>{tag}<p>x</p></body></html>", {})


def test_print_html_has_images_instead_of_inline_svg(hostile_report: Written) -> None:
    from opcanvas.report.build import build_document
    from opcanvas.report.figures import build_figures

    a = hostile_report.assessment
    document = build_document(a, build_figures(a))
    images: dict[str, str] = {}
    printed = render_html(document, images=images)
    page = render_html(document)
    assert "<svg" not in printed.split("<style>")[0] + printed.split("</style>")[1]
    assert page.count("<svg") == len(images) == printed.count(f'src="{IMAGE_URL}')
    assert all(svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') for svg in images.values())
    # the max-width that caps a figure's scale moves from the <svg> root to the <img>
    capped = len(re.findall(r'<svg[^>]*style="max-width:', page))
    assert capped == len(images) and printed.count('alt="" style="max-width:') == capped


def test_server_prints_into_the_given_files(tmp_path: Path) -> None:
    server = PrintServer(slots=2)
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    server.submit(f'<p>Hi</p><img src="{IMAGE_URL}0" alt="">', {f"{IMAGE_URL}0": SVG}, first)
    server.submit('<h1 id="top">One</h1><p style="break-before: page">Two</p>', {}, second)
    layouts = server.wait([second, first])
    server.close()
    assert len(layouts[first].sizes) == 1 and len(layouts[second].sizes) == 2
    assert layouts[second].anchors == {"top": 0}
    assert [(level, label, page) for level, label, page, _, _ in layouts[second].bookmarks] == [
        (1, "One", 0)
    ]
    assert first.read_bytes().startswith(b"%PDF-") and second.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf"]  # job files gone


@pytest.mark.parametrize("until", ["layouts", "wait"])
def test_server_reports_a_report_error(tmp_path: Path, until: str) -> None:
    server = PrintServer()
    target = tmp_path / "out.pdf"
    server.submit('<img src="https://example.com/x.png" alt="">', {}, target)
    with pytest.raises(ReportError, match="external resource"):
        getattr(server, until)([target])
    server.cancel()
    assert not target.exists()


def _printers_niceness(server: PrintServer) -> list[int]:
    """The nice value of each printer the server runs that yields (the urgent one, at 0, may
    still be ending), from Linux's /proc."""
    pid = server._process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if not children.exists():
        pytest.skip("no /proc children list here")
    stats = [Path(f"/proc/{child}/stat").read_text() for child in children.read_text().split()]
    nice = [int(stat.rsplit(")", 1)[1].split()[16]) for stat in stats]  # field 19
    return [n for n in nice if n]


def test_server_tells_the_layout_before_the_pdf_and_starts_urgent_jobs_at_once(
    tmp_path: Path,
) -> None:
    """Answers come in the order things happen: the urgent job, started beside the one that
    holds the only slot, is printed first; a layout is told before its PDF is done."""
    server = PrintServer(slots=1)
    slow, urgent = tmp_path / "slow.pdf", tmp_path / "urgent.pdf"
    server.submit("<p>x</p>" * 4000, {}, slow)  # seconds of work, holding the only slot
    server.submit("<h2>Now</h2>", {}, urgent, now=True)
    assert server.wait([urgent])[urgent].bookmarks[0][:3] == (2, "Now", 0)
    assert server._events[slow] & {"laid-out", "printed"} == set()
    layout = server.layouts([slow])[slow]
    assert len(layout.sizes) > 1 and server._events[slow] == {"laid-out"}
    assert _printers_niceness(server) == [NICE + DRAW_NICE]  # queued, then drawing: yields
    assert server.wait([slow])[slow] == layout
    server.close()
    assert slow.read_bytes().startswith(b"%PDF-")


def test_the_server_ends_with_its_block(tmp_path: Path) -> None:
    """Closed without waiting, the server still answers for the jobs sent; a block that fails
    stops it, printers too, and one that ends well waits for it."""
    with PrintServer(slots=1) as server:
        target = tmp_path / "a.pdf"
        server.submit("<h2>Last</h2>", {}, target)
        server.close(wait=False)
        server.close(wait=False)  # again: still no waiting, the answers still come
        assert server.wait([target])[target].bookmarks[0][:2] == (2, "Last")
    assert server._process.returncode == 0
    with pytest.raises(RuntimeError, match="the report failed"), PrintServer(slots=1) as server:
        server.submit("<p>x</p>" * 4000, {}, tmp_path / "slow.pdf")  # seconds of work
        raise RuntimeError("the report failed")
    assert server._process.returncode == -9 and not (tmp_path / "slow.pdf").exists()


def test_a_printer_that_dies_is_reported(tmp_path: Path) -> None:
    """A job the printer cannot even read (a crash, not a ReportError) ends in a ReportError
    that quotes the printer's error output."""
    server = PrintServer()
    target = tmp_path / "out.pdf"
    server.submit("<p>x</p>", {}, target)
    server.wait([target])
    (tmp_path / "bad.pdf.job.json").write_text("not json")
    assert server._process.stdin is not None
    server._process.stdin.write(f"queue {tmp_path / 'bad.pdf'}\n")
    server._process.stdin.flush()
    with pytest.raises(ReportError, match=r"(?s)stopped without a result.*JSONDecodeError"):
        server.wait([tmp_path / "bad.pdf"])


def test_a_failed_pdf_leaves_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF fails after every other format is staged: nothing moves into place, and the
    worker is stopped."""
    stopped: list[bool] = []

    class Failing(PrintServer):
        def wait(self, pdfs: Iterable[Path]) -> dict[Path, Layout]:
            self.cancel()
            raise ReportError("printer on fire (simulated)")

        def cancel(self) -> None:
            stopped.append(True)
            super().cancel()

    monkeypatch.setattr(writer_module, "PrintServer", Failing)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    a = assess(parse_canvas("organization: Acme"), samples=50)
    with pytest.raises(ReportError, match="printer on fire"):
        write_report(a, out, formats=["html", "pdf", "md"])
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert stopped


def test_progress_waits_for_the_pdf_last(tmp_path: Path) -> None:
    seen: list[str] = []
    a = assess(parse_canvas("organization: Acme"), samples=50)
    result = write_report(a, tmp_path / "out", formats=["pdf", "json"], progress=seen.append)
    assert seen == writer_module.steps(["pdf", "json"])
    assert seen.index("pdf") > seen.index("json")
    assert result.files[:2] == ("acme.pdf", "acme.json")  # files keep the formats' order
    assert result.pages is not None and result.pages >= 7
