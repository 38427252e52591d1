"""``opcanvas gaps | prioritize | roadmap | governance | lineage``: output, JSON, files, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

import opcanvas.canvas
from opcanvas.cli import main
from opcanvas.cli.app import console

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "sales-proposal.yaml"
SAMPLE = Path(opcanvas.canvas.__file__).parent / "templates" / "sample.yaml"
FAST = ["--samples", "500"]

BASE = """\
organization: Acme
engines: {growth: {streams: {s: {name: S}}}}
gaps:
"""


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "_width", 220)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:  # type: ignore[type-arg]
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_gaps_prints_the_seed_example_to_the_dollar(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gaps", str(EXAMPLE), *FAST]) == 0
    out = capsys.readouterr().out
    for text in (
        "lost_days = proposal_days * proposals_per_month * 12 = 1,440",
        "lost_deals = lost_days / working_days_per_month * win_rate * deal_size = 1,080,000",
        "wasted_capacity = lost_days * cost_per_day = 720,000",
        "recovered_deals = improvement * lost_deals = 864,000",
        "capacity_savings = improvement * wasted_capacity = 576,000",
        "annual_value = recovered_deals + capacity_savings = 1,440,000",
        "$1.44M",
        "2,780%",
        "ROI: first-year ROI = (annual value − running cost − implementation cost)",
        "point estimate: likely value of each range",
        "Monte Carlo: 500 samples, seed 0",
    ):
        assert text in out


def test_gaps_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "gaps", str(EXAMPLE), *FAST, "--seed", "4")
    first = data["gaps"][0]
    assert (first["gap_id"], first["annual_value"], first["roi"]) == (
        "proposal-automation", 1_440_000.0, 27.8
    )  # fmt: skip
    assert first["lines"]["recovered_deals"] == 864_000.0
    assert first["samples"] == 500 and first["seed"] == 4
    assert first["p10"] < first["p50"] < first["p90"]
    assert "ROI" in data["conventions"]
    assert data["unquantified"] == []


def test_prioritize_states_directions_and_dollars(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prioritize", str(EXAMPLE), *FAST]) == 0
    out = capsys.readouterr().out
    assert "cost and risk: 1 = low, 5 = high" in out
    assert "$1.44M" in out and "$720K" in out
    assert "value tiers: value score: 1 < $100K, 2 ≥ $100K, 3 ≥ $500K, 4 ≥ $1M, 5 ≥ $5M" in out
    data = run_json(capsys, "prioritize", str(EXAMPLE), *FAST)
    assert [(r["gap_id"], r["score"], r["annual_value"]) for r in data["ranked"]] == [
        ("contract-approvals", 45.0, 720_000.0),
        ("proposal-automation", 40.0, 1_440_000.0),
        ("crm-handoff", 8.0, 216_000.0),
    ]
    assert "ties" in data["conventions"]


def test_roadmap_with_calendar(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ics = tmp_path / "plan.ics"
    assert main(["roadmap", str(EXAMPLE), *FAST, "--ics", str(ics)]) == 0
    out = capsys.readouterr().out
    assert "1. Foundation" in out and "Fix 2-3 highest-impact bottlenecks" in out
    assert "first-year value: optimised $1.49M, greedy $1.37M, gained $126K" in out
    assert "value timing: value counts from the end of the finishing sprint" in out
    assert "engine loop (normal): growth → retention → growth" in out
    events = icalendar.Calendar.from_ical(ics.read_text(encoding="utf-8")).walk("VEVENT")
    assert len(events) == 7
    data = run_json(capsys, "roadmap", str(EXAMPLE), *FAST)
    assert data["roadmap"]["value_optimised"] == pytest.approx(1_494_000)
    assert data["roadmap"]["value_gained"] == pytest.approx(126_000)
    assert [p["gap_id"] for p in data["roadmap"]["sprints"][0]["finishing"]] == [
        "proposal-automation"
    ]
    assert data["dependencies"]["loops"][1] == ["growth", "retention", "growth"]


def test_governance_reads_tracking_beside_the_canvas(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    canvas = tmp_path / "acme.yaml"
    canvas.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "acme.tracking.yaml").write_text(
        "snapshots:\n  - date: 2027-02-01\n    kpis: {nrr: {actual: 106}}\n", encoding="utf-8"
    )
    ics = tmp_path / "gov.ics"
    args = ["governance", str(canvas), *FAST, "--ics", str(ics), "--start", "2027-02-01"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Transformation steering committee (monthly, tuesdays 10:00, 120 min)" in out
    assert "KPIs: Win rate MQL → Close, Gross retention rate" in out
    assert "Net revenue retention" in out and "50%" in out  # (106 − 102) / (110 − 102)
    assert "DTSTART:20270202T100000" in ics.read_text(encoding="utf-8")
    data = run_json(capsys, "governance", str(canvas), *FAST)
    nrr = next(t for t in data["governance"]["kpi_tracking"] if t["kpi"] == "nrr")
    assert nrr["latest"] == 106


def test_lineage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lineage", str(EXAMPLE), *FAST]) == 0
    assert "Net revenue retention (nrr): $216K from crm-handoff" in capsys.readouterr().out
    data = run_json(capsys, "lineage", str(EXAMPLE), *FAST)
    assert data["nodes"]["arr-growth"]["rollup_value"] == 2_160_000


@pytest.mark.parametrize("command", ["gaps", "prioritize", "roadmap", "governance", "lineage"])
def test_commands_run_on_the_sample_canvas(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, str(SAMPLE), "--samples", "200", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("gap", "command", "expected"),
    [
        ("{id: g, stream: growth/s, drivers: {x: 1}, formulas: {annual_value: x * y}}", "gaps",
         'c.yaml:4:73: gaps[0].formulas.annual_value: gap "g", formula "annual_value": unknown '
         'name "y"'),
        ("{id: g, stream: growth/s, drivers: {x: 1}, formulas: {annual_value: b, b: annual_value}}",
         "gaps", "cycle: annual_value → b → annual_value"),
        ("{id: g, stream: growth/s, drivers: {x: 0}, formulas: {annual_value: 1 / x}}", "gaps",
         'division by zero: "x" is 0 at point values'),
        ("{id: g, stream: growth/s, drivers: {annual_value: 1}, scores: {risk: 6}}", "prioritize",
         "c.yaml:4:"),
        ("{id: g, stream: growth/s, drivers: {annual_value: 1}, depends_on: [zz]}", "roadmap",
         'gaps[0].depends_on[0]: no gap "zz" to depend on'),
        ("{id: g, stream: growth/s, drivers: {x: 1}, formulas: {annual_value: x.real}}", "gaps",
         "is not allowed"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_location(
    gap: str, command: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(BASE + f"  - {gap}\n", encoding="utf-8")
    assert main([command, str(path), *FAST]) == 2
    assert expected in capsys.readouterr().err.replace("\n", " ")


def test_dependency_cycle_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        BASE
        + "  - {id: a, stream: growth/s, drivers: {annual_value: 1}, depends_on: [b]}\n"
        + "  - {id: b, stream: growth/s, drivers: {annual_value: 1}, depends_on: [a]}\n",
        encoding="utf-8",
    )
    assert main(["roadmap", str(path), *FAST]) == 2
    assert "in a cycle: a → b → a" in capsys.readouterr().err


def test_calendar_needs_a_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(BASE + "  - {id: g, stream: growth/s, drivers: {annual_value: 1}}\n")
    assert main(["governance", str(path), *FAST, "--ics", str(tmp_path / "x.ics")]) == 2
    assert "pass --start YYYY-MM-DD" in capsys.readouterr().err
    assert not (tmp_path / "x.ics").exists()


def test_whole_process_gaps_on_the_example() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "opcanvas", "gaps", str(EXAMPLE), "--samples", "1000", "--json"],
        capture_output=True, text=True, check=False, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["gaps"][0]["roi"] == 27.8


def test_track_records_kpis_and_realised_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    canvas = tmp_path / "acme.yaml"
    canvas.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    cycle, realised = "growth/mql-to-close/cycle=58", "proposal-automation=60k"
    args = ["track", str(canvas), "--date", "2027-05-03", "--kpi", "nrr=1.04",
            "--kpi", cycle, "--realised", realised]  # fmt: skip
    assert main(args) == 0
    assert "recorded $60K realised by proposal-automation on 2027-05-03" in capsys.readouterr().out
    assert main([*args[:4], "--kpi", "nrr=1.05", "--note", "May review"]) == 0
    capsys.readouterr()
    text = (tmp_path / "acme.tracking.yaml").read_text(encoding="utf-8")
    assert text.count("2027-05-03") == 1  # the same date's snapshot is updated, not repeated
    assert "actual: 1.05" in text and "actual: 58" in text and "May review" in text
    saved = canvas.read_text(encoding="utf-8")
    assert "# The Operational Canvas seed's worked example" in saved  # comments survive
    data = run_json(capsys, "governance", str(canvas), *FAST)
    check = next(c for c in data["governance"]["roi_validation"]
                 if c["gap_id"] == "proposal-automation")  # fmt: skip
    assert check["realised"] == 60_000 and check["as_of"] == "2027-05-03"
    nrr = next(t for t in data["governance"]["kpi_tracking"] if t["kpi"] == "nrr")
    assert nrr["series"] == [["2027-05-03", 1.05]]


def test_track_refuses_unknown_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    canvas = tmp_path / "acme.yaml"
    canvas.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["track", str(canvas), "--kpi", "nps=40"]) == 2
    assert 'no KPI "nps"' in capsys.readouterr().err
    assert main(["track", str(canvas), "--realised", "nope=1k"]) == 2
    assert 'no gap "nope" in the canvas' in capsys.readouterr().err
    assert main(["track", str(canvas), "--kpi", "nrr"]) == 2
    assert "expected NAME=VALUE" in capsys.readouterr().err
    assert canvas.read_text(encoding="utf-8") == EXAMPLE.read_text(encoding="utf-8")
