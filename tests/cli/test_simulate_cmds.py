"""``opcanvas simulate``: tables, JSON, what-if, event logs, gap evidence and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from opcanvas.canvas import load_canvas
from opcanvas.cli import main

CANVAS = """\
# the claims desk
organization: Acme
calendar: {hours_per_day: 8, days_per_week: 5}
engines:
  efficiency:
    streams:
      claims:
        name: Claims
        demand: 12/day
        steps:
          - {id: intake, name: Intake, lane: Desk, people: 1, process_time: 15min,
             wait_time: 1h}
          - {id: review, name: Review, lane: Experts, people: 1, process_time: 30min,
             wait_time: 4h, complete_accurate: 90%}
          - {id: pay, name: Pay, lane: Finance, process_time: 10min, wait_time: 1d}
        future_state:
          name: Faster review
          changes:
            - {step: review, process_time: -50%}
gaps:
  - id: slow-review
    stream: efficiency/claims
    step: review
    drivers: {improvement: 30%}
"""
SCENARIO = """\
name: Second expert
changes:
  - {step: review, people: +1}
"""


@pytest.fixture
def canvas(tmp_path: Path) -> Path:
    path = tmp_path / "canvas.yaml"
    path.write_text(CANVAS, encoding="utf-8")
    return path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["simulate", *args])
    out, err = capsys.readouterr()
    return code, out, err


SMALL = ["--stream", "efficiency/claims", "--cases", "300", "--replications", "3"]


def test_simulate_prints_lead_time_steps_and_conventions(
    canvas: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run([str(canvas), *SMALL], capsys)
    assert code == 0
    for text in ("lead time, P85", "throughput", "where the waiting accumulates", "review",
                 "conventions:", "waits: auto", "confidence: 95% Student-t"):  # fmt: skip
        assert text in out, text


def test_json_output_is_the_result(canvas: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([str(canvas), *SMALL, "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["stable"] and data["ref"] == "efficiency/claims"
    assert data["replications"] == 3 and len(data["per_replication"]["lead_time_mean"]) == 3
    assert data["lead_time"]["p95"]["mean"] >= data["lead_time"]["p50"]["mean"] > 0
    assert [s["id"] for s in data["steps"]] == ["intake", "review", "pay"]
    assert data["conventions"]["clock"].startswith("working minutes")


def test_same_seed_same_json(canvas: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = [run([str(canvas), *SMALL, "--json", "--seed", "5"], capsys)[1] for _ in range(2)]
    assert outputs[0] == outputs[1]


def test_a_scenario_file_compares_current_and_future(
    canvas: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "second.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    code, out, _ = run([str(canvas), *SMALL, "--scenario", str(scenario)], capsys)
    assert code == 0
    assert "current vs Second expert" in out and "change" in out
    code, out, _ = run([str(canvas), *SMALL, "--future", "--json"], capsys)
    data = json.loads(out)
    assert data["scenario"] == "Faster review"
    assert data["relative"]["lead_time_mean"]["mean"] < 0


def test_log_writes_an_event_log(
    canvas: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_path = tmp_path / "claims.parquet"
    code, out, _ = run([str(canvas), *SMALL, "--log", str(out_path)], capsys)
    assert code == 0 and f"event log: {out_path}" in out.replace("\n", "")
    log = pq.read_table(out_path)
    assert len(set(log.column("case:concept:name").to_pylist())) == 300
    assert set(log.column("lifecycle:transition").to_pylist()) == {"start", "complete"}


def test_record_gap_writes_the_evidence(canvas: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([str(canvas), *SMALL, "--future", "--record-gap", "slow-review",
                        "--set-driver", "improvement"], capsys)  # fmt: skip
    assert code == 0 and "evidence recorded" in out
    gap = load_canvas(canvas).gap("slow-review")
    assert gap.evidence is not None and gap.evidence.scenario == "Faster review"
    assert gap.drivers["improvement"] == gap.evidence.improvement
    assert canvas.read_text(encoding="utf-8").startswith("# the claims desk")


def test_an_unstable_stream_is_reported_clearly(
    canvas: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    canvas.write_text(CANVAS.replace("demand: 12/day", "demand: 20/day"), encoding="utf-8")
    code, out, _ = run([str(canvas), *SMALL], capsys)
    assert code == 0
    flat = " ".join(out.split())
    # 20 a day × 30 min × 1.11 visits / 480 min
    assert "UNSTABLE" in flat and 'step "review" needs 138.9% of its capacity' in flat


@pytest.mark.parametrize(
    ("extra", "scenario", "message"),
    [
        ([], "name: x\nchanges:\n  - {step: reveiw, people: +1}\n", 'no step "reveiw"'),
        ([], "name: x\nchanges: []\n", "changes"),
        (["--waits", "sometimes"], None, "waits: expected one of auto, queueing, delay"),
        (["--handoff-delay", "soon"], None, "--handoff-delay"),
        (["--record-gap", "slow-review"], None, "--record-gap needs a scenario"),
        (["--log", "out.json"], None, 'cannot write an event log as ".json"'),
        (["--stream", "efficiency/nope"], None, 'no stream "efficiency/nope"'),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    canvas: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    scenario: str | None,
    message: str,
) -> None:
    args = [str(canvas), *SMALL, *extra]
    if scenario is not None:
        path = tmp_path / "s.yaml"
        path.write_text(scenario, encoding="utf-8")
        args += ["--scenario", str(path)]
    if "--log" in extra:
        args[args.index("out.json")] = str(tmp_path / "out.json")
    code, _, err = run(args, capsys)
    assert code == 2
    assert message in " ".join(err.split())


def test_people_zero_is_a_clear_error(canvas: Path, capsys: pytest.CaptureFixture[str]) -> None:
    canvas.write_text(CANVAS.replace("people: 1, process_time: 30min", "people: 0, process_time: "
                                     "30min"), encoding="utf-8")  # fmt: skip
    code, _, err = run([str(canvas), *SMALL], capsys)
    assert code == 2 and 'step "review" has no capacity (people: 0)' in " ".join(err.split())


def test_the_installed_command_runs(canvas: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "opcanvas", "simulate", str(canvas), *SMALL, "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["stable"] is True
