"""Markdown, JSON and the files beside them: hostile text inert, names sanitised, data intact."""

from __future__ import annotations

import json
from pathlib import Path

from opcanvas.report.safety import slug

from .conftest import FORMULA, SCRIPT, Written


def test_markdown_has_no_raw_html_and_tables_keep_their_shape(hostile_report: Written) -> None:
    text = hostile_report.text("md")
    assert SCRIPT not in text
    assert "\\<script\\>alert(1)\\</script\\>" in text
    for line in text.splitlines():
        if line.startswith("| "):
            cells = line.replace("\\|", "").count("|") - 1
            assert cells >= 2, line
    assert "```mermaid" in text
    assert "](maps/growth--mql-to-close.svg)" in text


def test_markdown_table_rows_match_their_header(hostile_report: Written) -> None:
    lines = hostile_report.text("md").splitlines()
    width = None
    for line in lines:
        if not line.startswith("|"):
            width = None
            continue
        cells = line.replace("\\|", "").count("|") - 1
        width = width or cells
        assert cells == width, line


def test_json_round_trip(hostile_report: Written) -> None:
    data = json.loads(hostile_report.text("json"))
    expected = json.loads(json.dumps(hostile_report.assessment.to_dict(), default=str))
    assert data == expected
    assert data["organization"] == f"{SCRIPT} & Co"
    assert data["gaps"][0]["title"] == FORMULA
    assert data["gaps"][0]["annual_value"] == 1_440_000
    assert data["unquantified"] == [{"gap": "blank-gap", "reason": "no drivers or formulas yet"}]


def test_file_names_are_sanitised(hostile_report: Written) -> None:
    result = hostile_report.result
    base = slug(f"{SCRIPT} & Co")
    assert base == "script-alert-1-script-co"
    for name in result.files:
        assert ".." not in name and not name.startswith("/") and "\\" not in name
        assert Path(name).name.replace(".", "").replace("-", "").isalnum(), name
        assert (result.directory / name).is_file()
    assert {f"{base}.{ext}" for ext in ("html", "pdf", "xlsx", "md", "json")} <= set(result.files)
    assert not [p for p in result.directory.iterdir() if p.name.startswith(".")]


def test_companion_files(hostile_report: Written) -> None:
    files = set(hostile_report.result.files)
    for stream in ("growth--mql-to-close", "retention--onboarding"):
        assert {f"maps/{stream}.svg", f"maps/{stream}.drawio", f"maps/{stream}.mmd"} <= files
    assert {"charts/distribution--proposal-automation.svg",
            "charts/tornado--proposal-automation.svg", "charts/pareto.svg",
            "charts/priority-matrix.svg", "charts/roadmap.svg", "charts/dependencies.svg",
            "charts/kpis.svg"} <= files  # fmt: skip
    ics = hostile_report.result.path("governance.ics").read_text(encoding="utf-8")
    assert ics.startswith("BEGIN:VCALENDAR") and "DTSTART" in ics
