"""``opcanvas report`` and ``opcanvas demo`` from the command line."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from opcanvas.cli import main

CANVAS = """
organization: Acme
engines:
  growth:
    streams:
      s:
        name: Sales
        steps:
          - {id: a, name: Qualify, lane: Sales, process_time: 1h, wait_time: 1d}
gaps:
  - id: g
    title: Faster qualification
    stream: growth/s
    drivers: {current_loss: 1000, improvement: [40%, 50%, 60%], volume: 10, frequency: 12}
    implementation_cost: 20000
"""


@pytest.fixture
def canvas_file(tmp_path: Path) -> Path:
    path = tmp_path / "acme.yaml"
    path.write_text(CANVAS, encoding="utf-8")
    return path


def test_report_writes_the_formats_asked(
    canvas_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["report", str(canvas_file), "-o", str(out), "--format", "json,md",
                 "--samples", "300", "--start", "2027-01-04"])  # fmt: skip
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "acme.json", "acme.md", "charts", "governance.ics", "maps"
    ]  # fmt: skip
    printed = capsys.readouterr().out
    assert "acme.json" in printed and "Conventions in force" in printed
    assert "Faster qualification: $60K a year" in printed  # 1000 × 50 % × 10 × 12
    assert "sprint 1 starts 2027-01-04 (--start, by default the next Monday)" in printed
    data = json.loads((out / "acme.json").read_text())
    assert data["gaps"][0]["annual_value"] == 60_000
    assert "DTSTART;VALUE=DATE:20270104" in (out / "governance.ics").read_text()


def test_report_json_output(
    canvas_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["report", str(canvas_file), "-o", str(tmp_path / "o"), "-f", "json",
                 "--samples", "200", "--json"])  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["formats"] == ["json"] and "acme.json" in data["files"]
    assert data["summary"]["top_gaps"][0]["annual_value"] == 60_000
    assert "time basis" in data["summary"]["conventions"]


def test_unknown_format_is_exit_2(
    canvas_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["report", str(canvas_file), "-o", str(tmp_path / "o"), "-f", "html,docx"])
    assert code == 2
    err = capsys.readouterr().err
    assert "'docx'" in err and "html, pdf, xlsx, md, json" in err
    assert not (tmp_path / "o").exists()


def test_missing_canvas_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "o")])
    assert code == 2
    assert "no such canvas file" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_bad_canvas_leaves_no_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(CANVAS.replace("process_time: 1h", "process_time: one hour"))
    code = main(["report", str(bad), "-o", str(tmp_path / "o"), "-f", "json"])
    assert code == 2
    assert "process_time" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_terminated_report_leaves_nothing(tmp_path: Path) -> None:
    """SIGTERM while the report is being written: exit 143, nothing in the target directory
    (not even the hidden staging one), and the print server and its printers stopped."""
    out = tmp_path / "o"
    run = subprocess.Popen(
        [sys.executable, "-m", "opcanvas", "report", "examples/sales-proposal.yaml", "-o",
         str(out), "--samples", "200"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not (out.exists() and any(out.iterdir())) and run.poll() is None:
        assert time.monotonic() < deadline, "the report never started writing"
        time.sleep(0.01)
    children = Path(f"/proc/{run.pid}/task/{run.pid}/children")
    servers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
    assert servers or not children.exists(), "the print server should be running by now"
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 143, err
    assert list(out.iterdir()) == []
    for server in servers:  # its own process group, printers included: none left running
        deadline = time.monotonic() + 10
        while _running_in_group(server):
            assert time.monotonic() < deadline, f"still running: {_running_in_group(server)}"
            time.sleep(0.05)


def _running_in_group(group: int) -> list[int]:
    """The processes of a process group that still run (not zombies: a container's first
    process may never reap the orphans), from Linux's /proc."""
    running = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _parent, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except OSError:  # ended meanwhile
            continue
        if int(pgrp) == group and state != "Z":
            running.append(int(stat.parent.name))
    return running


@pytest.mark.slow
def test_demo_produces_every_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo"
    code = main(["demo", "-o", str(out), "--samples", "500", "--cases", "120"])
    assert code == 0, capsys.readouterr().err
    names = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    base = "northwind-services"
    assert {f"{base}.{ext}" for ext in ("yaml", "html", "pdf", "xlsx", "md", "json")} <= names
    assert "governance.ics" in names
    for stream in ("growth--mql-to-close", "efficiency--incident-to-resolution"):
        assert {f"logs/{stream}.{ext}" for ext in ("csv", "parquet", "xes")} <= names
    maps = [n for n in names if n.startswith("maps/")]
    assert len([n for n in maps if n.endswith(".svg")]) >= 14  # every stream of the sample
    assert len([n for n in maps if n.endswith(".drawio")]) == len(
        [n for n in maps if n.endswith(".svg")]
    )
    assert {"charts/pareto.svg", "charts/roadmap.svg", "charts/dependencies.svg"} <= names
    canvas = (out / f"{base}.yaml").read_text(encoding="utf-8")
    assert canvas.count("sha256:") == 2  # the two mined streams carry their provenance
    printed = capsys.readouterr().out
    assert "Manual proposal creation: $1.44M a year" in printed
    # the logs come from a reality that departs from the canvas (demo.REALITY): 2.5x the
    # discovery wait and 3x the triage wait are found; 1.5x the proposal PT is not "far"
    assert "far from the log: discovery.wait_time, discovery.lead_time" in printed
    assert "far from the log: triage.wait_time, triage.lead_time" in printed
    assert "proposal." not in printed
    assert "Roadmap:" in printed and "Growth Engine:" in printed
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
