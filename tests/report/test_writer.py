"""Writing is all or nothing, formats are checked, and a partial canvas still reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opcanvas.assess import assess
from opcanvas.canvas import parse_canvas
from opcanvas.errors import ReportError
from opcanvas.report import parse_formats, write_report
from opcanvas.report import writer as writer_module


@pytest.mark.parametrize(
    ("text", "expected"),
    [("html", ("html",)), ("pdf, HTML ,pdf", ("pdf", "html")),
     ("html,pdf,xlsx,md,json", ("html", "pdf", "xlsx", "md", "json"))],
)  # fmt: skip
def test_parse_formats(text: str, expected: tuple[str, ...]) -> None:
    assert parse_formats(text) == expected


@pytest.mark.parametrize("text", ["docx", "html,docx", "", " , "])
def test_unknown_format_names_the_known_ones(text: str) -> None:
    with pytest.raises(ReportError, match="expected a comma-separated list of html, pdf, xlsx"):
        parse_formats(text)


def test_a_failure_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    a = assess(parse_canvas("organization: Acme"), samples=50)

    def broken(*args: object) -> bytes:
        raise ReportError("disk full (simulated)")

    monkeypatch.setattr(writer_module, "render_xlsx", broken)
    with pytest.raises(ReportError, match="disk full"):
        write_report(a, out, formats=["html", "md", "xlsx", "json"])
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_a_file_in_the_way_is_a_report_error(tmp_path: Path) -> None:
    target = tmp_path / "report"
    target.write_text("not a directory")
    a = assess(parse_canvas("organization: Acme"), samples=50)
    with pytest.raises(ReportError, match="expected a directory"):
        write_report(a, target, formats=["json"])


def test_a_blank_canvas_reports_what_is_missing(tmp_path: Path) -> None:
    a = assess(parse_canvas("organization: Acme"), samples=50)
    result = write_report(a, tmp_path / "out", formats=["html", "md", "json", "xlsx"])
    files = result.main_files()
    assert set(files) == {"html", "md", "json", "xlsx"}
    page = files["html"].read_text(encoding="utf-8")
    assert page.count('class="deliverable') == 6
    assert "no value streams mapped yet" not in page or "Not yet in the canvas" in page
    assert "No quantified gap to rank yet." in page
    assert "No cross-engine handoffs recorded yet." in page
    assert "governance.ics" not in result.files  # no start date anywhere: no calendar
    assert json.loads(files["json"].read_text())["missing"][0].startswith("no value streams")


def test_a_template_without_numbers_reports(tmp_path: Path) -> None:
    from opcanvas.canvas.templates import load_template

    a = assess(load_template("operational-canvas"), samples=50)
    result = write_report(a, tmp_path / "out", formats=["md"])
    text = result.main_files()["md"].read_text(encoding="utf-8")
    assert "Not yet in the canvas" in text
    assert text.count("\n## ") == 6
