"""``opcanvas mine``: measured values into the canvas, estimates kept, bad input refused with
the canvas file left byte-identical."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from opcanvas.canvas import load_canvas
from opcanvas.cli import main

LOG = """case,activity,start_timestamp,time:timestamp,org:resource
c1,Qualify,2024-03-04T09:00:00Z,2024-03-04T10:00:00Z,ann
c1,Propose,2024-03-04T13:00:00Z,2024-03-04T16:00:00Z,bob
c2,Qualify,2024-03-05T09:00:00Z,2024-03-05T09:30:00Z,ann
c2,Propose,2024-03-05T10:30:00Z,2024-03-05T12:30:00Z,bob
c2,Propose,2024-03-06T09:00:00Z,2024-03-06T10:00:00Z,bob
"""
CANVAS = """opcanvas: 1
organization: Acme
engines:
  growth:
    streams:
      sales:
        name: Sales
        lead_time: 2d  # the workshop's guess
        steps:
          - id: qualify
            name: Qualify
            process_time: 45min
          - id: proposal
            name: Propose
            process_time: 30min
            wait_time: 3h
"""
COLUMNS = ["--case", "case", "--activity", "activity"]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    canvas = tmp_path / "canvas.yaml"
    canvas.write_text(CANVAS, encoding="utf-8")
    log = tmp_path / "log.csv"
    log.write_text(LOG, encoding="utf-8")
    return canvas, log


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr with Rich's line wrapping undone."""
    code = main(args)
    out, err = capsys.readouterr()
    return code, " ".join(out.split()), " ".join(err.split())


def test_mine_writes_measured_values_beside_the_estimates(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    canvas, log = files
    code, out, _ = run(
        ["mine", str(canvas), str(log), "--stream", "growth/sales", *COLUMNS], capsys
    )
    assert code == 0
    assert "time basis: elapsed time" in out and "statistic: median" in out
    assert "engine: duckdb" in out and "service time available: yes" in out
    stream = load_canvas(canvas).stream("growth/sales")
    qualify, proposal = stream.steps
    assert (qualify.process_time, proposal.process_time, proposal.wait_time) == (45, 30, 180)
    assert qualify.measured is not None and proposal.measured is not None
    assert qualify.measured.process_time == 45.0  # median of 60 and 30 minutes
    assert qualify.measured.wait_time is None  # always first: nothing before it
    assert (proposal.measured.process_time, proposal.measured.wait_time) == (120.0, 180.0)
    assert proposal.measured.lead_time == 360.0  # median of wait + service: 360, 180, 1290
    assert proposal.measured.rework_rate == pytest.approx(0.333)  # written as "33.3%"
    assert proposal.measured.executions == 3 and proposal.measured.first_pass_yield == 0.5
    measured = stream.measured
    assert measured is not None and measured.lead_time == 16 * 60.0
    assert (measured.cases, measured.events, measured.statistic) == (2, 5, "median")
    assert measured.source == "log.csv" and len(measured.sha256) == 64
    assert measured.mapping == {"qualify": ["Qualify"], "proposal": ["Propose"]}
    text = canvas.read_text(encoding="utf-8")
    assert "process_time: 2h" in text and "# the workshop's guess" in text
    assert "far off" in out  # proposal process time: 2h measured against 30min


def test_json_report_lists_far_off_guesses(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    canvas, log = files
    code, out, _ = run(
        [
            "mine",
            str(canvas),
            str(log),
            "-s",
            "growth/sales",
            "--json",
            "--statistic",
            "mean",
            *COLUMNS,
        ],
        capsys,
    )
    assert code == 0
    report = json.loads(out)
    far = {(c["step"], c["field"]): c["ratio"] for c in report["far_off"]}
    # means: service (3h+2h+1h)/3 = 2h; wait (3h + 1h + 20.5h)/3 = 490min; lead 610min
    assert far == pytest.approx(
        {
            ("proposal", "process_time"): 120 / 30,
            ("proposal", "wait_time"): 490 / 180,
            ("proposal", "lead_time"): 610 / (30 + 180),
        }
    )
    assert report["written"]["proposal"]["process_time"] == "2h"  # mean of 3h, 2h, 1h
    assert report["result"]["settings"]["statistic"] == "mean"


def test_mapping_file_with_a_working_calendar(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    canvas, _ = files  # the mapping names the log
    mapping = tmp_path / "mining.yaml"
    mapping.write_text(
        "columns: {case: case, activity: activity}\n"
        "calendar: {basis: working, hours: ['09:00', '17:00']}\n"
        "streams:\n  growth/sales:\n    log: log.csv\n"
        "    steps: {qualify: [Qualify], proposal: Propose}\n",
        encoding="utf-8",
    )
    code, out, _ = run(["mine", str(canvas), "--map", str(mapping), "-s", "growth/sales"], capsys)
    assert code == 0, out
    assert "working time: 09:00–17:00, Mon–Fri, time zone UTC" in out
    measured = load_canvas(canvas).stream("growth/sales").measured
    assert measured is not None
    assert measured.lead_time == 8 * 60.0  # median of 7 h and 9 working hours
    assert measured.time_basis is not None and measured.time_basis.startswith("working time")


def test_dry_run_writes_nothing(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    canvas, log = files
    code, out, _ = run(
        ["mine", str(canvas), str(log), "-s", "growth/sales", "--dry-run", *COLUMNS], capsys
    )
    assert code == 0 and "would write" in out
    assert canvas.read_text(encoding="utf-8") == CANVAS


def test_discover_proposes_steps_as_yaml(
    logs_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        [
            "mine",
            "--discover",
            str(logs_dir / "pm4py_running-example.xes"),
            "--stream",
            "growth/claims",
        ],
        capsys,
    )
    assert code == 0
    assert "main variant (16.7% of cases): register request → check ticket" in out
    assert "register-request: [register request]" in out
    code, out, _ = run(
        ["mine", "--discover", str(logs_dir / "pm4py_running-example.xes"), "--json"], capsys
    )
    found = json.loads(out)
    assert "register-request: [register request]\n" in found["yaml"]
    assert found["steps"][0]["activity"] == "register request"
    assert len(found["steps"]) == 8


def bomb(path: Path) -> Path:
    with gzip.open(path, "wt") as handle:
        handle.write("case,activity,time:timestamp\n" + "c,A,2024-01-01T00:00:00Z\n" * 100_000)
    return path


@pytest.mark.parametrize(
    ("log_text", "extra", "message"),
    [
        ("case,activity,time:timestamp\nc,Qualify,not a date\n", COLUMNS, 'row 1: "not a date"'),
        (
            LOG,
            ["--case", "case", "--activity", "Activty"],
            'activity column "Activty" not found; did you mean "activity"?',
        ),
        ("case,activity,time:timestamp\n", COLUMNS, "the log has no events"),
        (LOG, [*COLUMNS, "--statistic", "p99"], 'unknown statistic "p99"'),
        (LOG, [*COLUMNS, "--engine", "polars"], 'unknown engine "polars"'),
        (
            "case,activity,time:timestamp\nc,Other,2024-01-01T00:00:00Z\n",
            COLUMNS,
            "no step of growth/sales has the name of an activity",
        ),
    ],
)
def test_bad_input_leaves_the_canvas_unchanged(
    files: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    log_text: str,
    extra: list[str],
    message: str,
) -> None:
    canvas, log = files
    log.write_text(log_text, encoding="utf-8")
    code, _, err = run(["mine", str(canvas), str(log), "-s", "growth/sales", *extra], capsys)
    assert code == 2
    assert message in err
    assert canvas.read_text(encoding="utf-8") == CANVAS


def test_refused_files_leave_the_canvas_unchanged(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    canvas, _ = files
    evil = tmp_path / "evil.xes"
    evil.write_text("<?xml version='1.0'?><!DOCTYPE log [<!ENTITY x 'y'>]><log/>", encoding="utf-8")
    cases = [
        ([str(evil)], "declares a DOCTYPE or ENTITY; refused"),
        (
            [str(bomb(tmp_path / "big.csv.gz")), *COLUMNS, "--max-decompressed-bytes", "100000"],
            "expands beyond the limit of 100,000 bytes",
        ),
        ([str(tmp_path / "missing.csv")], "no such event log file"),
    ]
    for args, message in cases:
        code, _, err = run(["mine", str(canvas), args[0], "-s", "growth/sales", *args[1:]], capsys)
        assert code == 2 and message in err
        assert canvas.read_text(encoding="utf-8") == CANVAS


def test_unknown_stream_and_step_in_the_mapping(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    canvas, log = files
    code, _, err = run(["mine", str(canvas), str(log), "-s", "growth/nope", *COLUMNS], capsys)
    assert code == 2 and 'no stream "growth/nope"; the canvas has: growth/sales' in err
    mapping = tmp_path / "m.yaml"
    mapping.write_text("streams:\n  growth/sales:\n    steps: {qualfy: [Qualify]}\n", "utf-8")
    code, _, err = run(
        ["mine", str(canvas), str(log), "-s", "growth/sales", "--map", str(mapping), *COLUMNS],
        capsys,
    )
    assert code == 2 and 'step "qualfy"' in err and 'did you mean "qualify"' in err
    mapping.write_text("streams:\n  growth/sales:\n    stepz: {}\n", "utf-8")
    code, _, err = run(
        ["mine", str(canvas), str(log), "-s", "growth/sales", "--map", str(mapping), *COLUMNS],
        capsys,
    )
    assert code == 2 and "m.yaml:3" in err and "stepz" in err
    assert canvas.read_text(encoding="utf-8") == CANVAS


def test_format_and_csv_dialect_options(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    canvas, _ = files
    log = tmp_path / "export.dat"  # a name that says nothing about the format
    log.write_text(LOG.replace(",", "|"), encoding="latin-1")
    args = ["mine", str(canvas), str(log), "-s", "growth/sales", "--format", "csv",
            "--csv-delimiter", "|", "--csv-encoding", "latin-1", "--dry-run", *COLUMNS]  # fmt: skip
    code, out, err = run(args, capsys)
    assert code == 0, err
    assert "5 events, 2 cases" in out
