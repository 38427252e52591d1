"""``opcanvas map``: writes each format atomically, prints what it wrote with the conventions,
and refuses bad input with exit code 2 and a message that says what to do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opcanvas.canvas import Canvas
from opcanvas.cli import main
from opcanvas.render.drawio import to_drawio
from opcanvas.render.mermaid import to_mermaid
from opcanvas.render.vsm import render_vsm_svg


@pytest.fixture
def canvas_file(tmp_path: Path, office_yaml: str) -> Path:
    path = tmp_path / "canvas.yaml"
    path.write_text(office_yaml, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("fmt", "render"),
    [("svg", render_vsm_svg), ("drawio", to_drawio), ("mermaid", to_mermaid)],
)
def test_map_writes_the_format(
    canvas_file: Path, office: Canvas, tmp_path: Path, fmt: str, render: object,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    out = tmp_path / "maps" / f"quote.{fmt}"
    code = main(["map", str(canvas_file), "--stream", "growth/quote", "-f", fmt, "-o", str(out)])
    assert code == 0
    assert out.read_text(encoding="utf-8") == render(office, "growth/quote")  # type: ignore[operator]
    printed = capsys.readouterr().out
    assert f"wrote {out}" in printed and "Lead time 1.37w" in printed
    assert "conventions: working time (day = 8 h" in printed


def test_map_png_and_default_file_name(
    canvas_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["map", str(canvas_file), "-s", "growth/quote", "-f", "png", "--future"]) == 0
    data = (tmp_path / "growth-quote-future.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    assert width >= 2000  # twice the SVG's size, sharp in print


def test_map_json_and_stdout(
    canvas_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "m.svg"
    assert main(["map", str(canvas_file), "-s", "growth/quote", "-o", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["file"] == str(out) and summary["state"] == "current"
    assert summary["totals"]["Flow efficiency"] == "11.1%"
    assert summary["conventions"][0].startswith("working time")
    assert main(["map", str(canvas_file), "-s", "growth/quote", "-f", "mermaid", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("flowchart LR\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-s", "growth/nope"], 'no stream "growth/nope"; the canvas has: growth/quote'),
        (["-s", "growth/quote", "-f", "pdf"], '--format "pdf" is not a map format'),
        (["-s", "growth/quote", "-f", "png", "-o", "-"], "png is binary"),
    ],
)
def test_map_bad_input_exits_2(
    canvas_file: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["map", str(canvas_file), *args]) == 2
    assert message in capsys.readouterr().err


def test_map_future_without_future_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "organization: A\nengines: {growth: {streams: {s: {name: S, steps: [{id: a, name: A}]}}}}\n"
    )
    out = tmp_path / "never.svg"
    assert main(["map", str(path), "-s", "growth/s", "--future", "-o", str(out)]) == 2
    assert "growth/s has no future_state" in capsys.readouterr().err
    assert not out.exists()
