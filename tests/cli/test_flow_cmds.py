"""``opcanvas analyze``: tables, JSON, filters, exit codes and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import opcanvas.canvas
from opcanvas.cli import main

CANVAS = """\
organization: Acme
engines:
  growth:
    name: Growth
    streams:
      sales:
        name: Sales
        demand: 40/month
        steps:
          - {id: qualify, name: Qualify, lane: Sales, lead_time: 240min, process_time: 60min}
          - {id: propose, name: Propose, lane: Sales, lead_time: 120min, process_time: 30min}
          - {id: sign, name: Sign, lane: Legal, lead_time: 60min, process_time: 15min}
  efficiency:
    streams:
      line:
        name: Line
        mode: manufacturing
        demand: 920/day
        production: {shifts: 2, shift_length: 8h, breaks: 20min}
        steps:
          - {id: press, name: Press, cycle_time: 62s, inventory_before: 920}
"""

WARNINGS_ONLY = """\
organization: Acme
engines:
  growth:
    streams:
      s:
        name: S
        steps:
          - {id: a, name: A, process_time: 1h, wait_time: 3h, complete_accurate: 50%}
"""


@pytest.fixture
def canvas_file(tmp_path: Path) -> Path:
    path = tmp_path / "canvas.yaml"
    path.write_text(CANVAS, encoding="utf-8")
    return path


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(["analyze", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_tables_per_engine_with_conventions(
    canvas_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", str(canvas_file)]) == 0
    out = capsys.readouterr().out
    assert "Growth (growth)" in out
    assert "Efficiency (efficiency)" in out
    assert "7h" in out  # 420 min on the 8-hour working day
    assert "25.0%" in out  # flow efficiency 105 / 420
    assert "\n  engine " in out
    assert "conventions:" in out
    assert "time_basis: working time (day = 8 h" in out
    assert "lead_time_includes_process_time: yes" in out


def test_json_has_the_hand_checked_numbers(
    canvas_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data = run_json(capsys, str(canvas_file))
    assert code == 0
    sales = data["streams"]["growth/sales"]
    assert (sales["lead_time"], sales["process_time"], sales["flow_efficiency"]) == (
        420.0,
        105.0,
        0.25,
    )
    assert sales["takt_time"] == pytest.approx(240.0)
    assert sales["handoffs"] == 1
    line = data["streams"]["efficiency/line"]
    assert line["takt_time"] == pytest.approx(1.0)
    assert line["steps"][0]["inventory_days"] == pytest.approx(1.0)
    assert set(data) == {"streams", "engines", "completeness", "conventions", "flag_counts"}
    assert data["conventions"]["decision"].startswith("expected")


def test_stream_option_shows_the_steps(
    canvas_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", str(canvas_file), "--stream", "growth/sales"]) == 0
    out = capsys.readouterr().out
    assert "critical path: qualify → propose → sign" in out
    assert "* qualify" in out
    assert "conventions:" in out
    code, data = run_json(capsys, str(canvas_file), "--stream", "growth/sales")
    assert code == 0
    assert data["ref"] == "growth/sales"
    assert [s["wait_time"] for s in data["steps"]] == [180.0, 90.0, 45.0]


def test_engine_option_limits_the_streams(
    canvas_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data = run_json(capsys, str(canvas_file), "--engine", "efficiency")
    assert code == 0
    assert list(data["streams"]) == ["efficiency/line"]
    assert list(data["engines"]) == ["efficiency"]


@pytest.mark.parametrize(
    ("text", "fail_on", "expected"),
    [
        (WARNINGS_ONLY, None, 0),
        (WARNINGS_ONLY, "warning", 1),
        (WARNINGS_ONLY, "error", 0),
        (CANVAS, "error", 1),  # the press runs at 103 % of its capacity
    ],
)
def test_fail_on_exit_codes(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    fail_on: str | None,
    expected: int,
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    argv = ["analyze", str(path)] + (["--fail-on", fail_on] if fail_on else [])
    assert main(argv) == expected
    assert "conventions:" in capsys.readouterr().out  # results are printed either way


def test_fail_on_applies_to_the_selected_stream_only(
    canvas_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["analyze", str(canvas_file), "--stream", "growth/sales", "--fail-on", "error"]) == 0
    )
    assert main(["analyze", str(canvas_file), "--engine", "efficiency", "--fail-on", "error"]) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--stream", "growth/nope"], 'no stream "growth/nope"; the canvas has: growth/sales'),
        (["--engine", "retention"], 'no engine "retention"; the canvas has: growth, efficiency'),
        (["--engine", "efficiency", "--stream", "growth/sales"], "is not in engine"),
    ],
)
def test_unknown_references_exit_2(
    canvas_file: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["analyze", str(canvas_file), *argv]) == 2
    assert message in capsys.readouterr().err


def test_bad_files_exit_2_and_are_left_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.yaml"
    assert main(["analyze", str(missing)]) == 2
    assert "no such canvas file" in capsys.readouterr().err
    broken = tmp_path / "broken.yaml"
    broken.write_text("organization: [unclosed\n", encoding="utf-8")
    assert main(["analyze", str(broken)]) == 2
    assert "malformed YAML" in capsys.readouterr().err
    assert broken.read_text(encoding="utf-8") == "organization: [unclosed\n"


def test_a_routing_cycle_exits_2_naming_the_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cycle.yaml"
    path.write_text(
        "organization: A\nengines: {growth: {streams: {s: {name: S, steps: ["
        "{id: a, name: A, after: [b]}, {id: b, name: B, after: [a]}]}}}}\n",
        encoding="utf-8",
    )
    assert main(["analyze", str(path)]) == 2
    err = capsys.readouterr().err
    assert "cycle: a → b → a" in err
    assert "engines.growth.streams.s.steps" in err


def test_an_unknown_fail_on_level_is_a_usage_error(
    canvas_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", str(canvas_file), "--fail-on", "info"]) == 2
    assert "info" in capsys.readouterr().err


def test_every_built_in_template_analyzes(capsys: pytest.CaptureFixture[str]) -> None:
    templates = sorted((Path(opcanvas.canvas.__file__).parent / "templates").glob("*.yaml"))
    assert templates, "no built-in templates found"
    for path in templates:
        code, data = run_json(capsys, str(path))
        assert code == 0, path.name
        assert 0.0 <= data["completeness"]["fraction"] <= 1.0


def test_whole_process_exit_code(canvas_file: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "opcanvas", "analyze", str(canvas_file), "--fail-on", "error"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "utilisation" in done.stdout
