"""`opcanvas init`, `validate`, `schema` and `templates`: exit codes, messages, files untouched."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from opcanvas.canvas.io import canvas_schema, read_document
from opcanvas.canvas.templates import TEMPLATES, template_text
from opcanvas.cli import main

Run = tuple[int, str, str]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Any:
    def invoke(*args: str) -> Run:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


# ---- templates ------------------------------------------------------------------------------


def test_templates_lists_every_registered_template(run: Any) -> None:
    code, out, _ = run("templates")
    assert code == 0
    for template in TEMPLATES:
        assert template.name in out


def test_templates_json_is_the_registry(run: Any) -> None:
    code, out, _ = run("templates", "--json")
    assert code == 0
    assert json.loads(out) == [{"name": t.name, "description": t.description} for t in TEMPLATES]


# ---- init -----------------------------------------------------------------------------------


def test_init_writes_the_template_with_the_organisation_and_its_comments(
    run: Any, tmp_path: Path
) -> None:
    path = tmp_path / "acme.yaml"
    code, out, _ = run("init", str(path), "--organization", "Acme Corp")
    assert code == 0
    flat = " ".join(out.split())  # Rich wraps long lines at the terminal width
    assert f"wrote {path} from the operational-canvas template for Acme Corp: 4 engines, " in flat
    assert "13 streams, 65 steps" in flat
    text = path.read_text(encoding="utf-8")
    expected = template_text("operational-canvas").replace(
        "organization: Your Organization", "organization: Acme Corp"
    )
    assert text == expected  # every comment, every line but the one changed


def test_init_quotes_a_name_yaml_would_misread(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    assert run("init", str(path), "-t", "blank", "-o", "Acme: Holdings #1")[0] == 0
    assert "organization: 'Acme: Holdings #1'" in path.read_text(encoding="utf-8")
    code, out, _ = run("validate", str(path), "--json")
    assert (code, json.loads(out)["organization"]) == (0, "Acme: Holdings #1")


@pytest.mark.parametrize("template", [t.name for t in TEMPLATES])
def test_init_from_every_template_gives_a_valid_canvas(
    run: Any, tmp_path: Path, template: str
) -> None:
    path = tmp_path / f"{template}.yaml"
    code, out, _ = run("init", str(path), "--template", template, "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["template"] == template
    assert summary["file"] == str(path)
    assert path.read_text(encoding="utf-8") == template_text(template)
    code, out, _ = run("validate", str(path), "--json")
    assert code == 0
    assert json.loads(out)["counts"] == summary["counts"]


def _untouched(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def test_init_refuses_to_overwrite_without_force(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("organization: Mine  # my work\n", encoding="utf-8")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = _untouched(path)
    code, _, err = run("init", str(path), "--template", "sample")
    assert code == 2
    assert f"{path}: the file already exists; nothing was written" in err
    assert "pass --force to overwrite it" in err
    assert _untouched(path) == before
    assert run("init", str(path), "--template", "sample", "--force")[0] == 0
    assert "organization: Northwind Services" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--template", "nope"], 'no template "nope"; the templates are: operational-canvas, '),
        (["--organization", "  "], "expected an organisation name, got an empty one"),
    ],
)
def test_init_bad_arguments_exit_2_and_write_nothing(
    run: Any, tmp_path: Path, args: list[str], message: str
) -> None:
    path = tmp_path / "c.yaml"
    code, _, err = run("init", str(path), *args)
    assert code == 2
    assert message in err
    assert not path.exists()


def test_init_into_a_directory_is_refused(run: Any, tmp_path: Path) -> None:
    code, _, err = run("init", str(tmp_path))
    assert code == 2
    assert "expected a file name, found a directory" in err


# ---- validate -------------------------------------------------------------------------------

BASE = """\
# a small canvas
organization: Acme
engines:
  growth:
    streams:
      s:
        name: S
        demand: 40/month
        steps:
          - id: a
            name: A
            people: 2
            process_time: 1h
            wait_time: 2h
            complete_accurate: 90%
          - id: b
            name: B
            process_time: 30min
            branches:
              - {to: a, probability: 40%}
              - {to: c, probability: 60%}
          - id: c
            name: C
gaps:
  - id: g
    stream: growth/s
"""
STEP = "engines.growth.streams.s.steps"


def test_validate_ok_prints_the_summary_and_the_calendar(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(BASE, encoding="utf-8")
    code, out, _ = run("validate", str(path))
    assert code == 0
    assert out.startswith(f"OK {path}")
    assert "1 engines, 1 streams, 3 steps, 0 KPIs, 1 gaps, 0 handoffs" in out
    assert "durations resolve on working time (day = 8 h, week = 5 d, month = 20 d)" in out


def test_validate_json_counts(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(BASE, encoding="utf-8")
    code, out, _ = run("validate", str(path), "--json")
    assert code == 0
    assert json.loads(out) == {
        "ok": True,
        "file": str(path),
        "organization": "Acme",
        "calendar": "working time (day = 8 h, week = 5 d, month = 20 d)",
        "counts": {"engines": 1, "streams": 1, "steps": 3, "kpis": 0, "bottlenecks": 0,
                   "gaps": 1, "handoffs": 0},
    }  # fmt: skip


def _line_col(text: str, needle: str) -> tuple[int, int]:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


# (old, new, where the error points, key path, message)
BAD_INPUTS = [
    pytest.param("people: 2", "people: many", "many", f"{STEP}[0].people",
                 'expected a number, got "many"', id="wrong-type"),
    pytest.param("name: S", "name: [S, T]", "[S, T]", "engines.growth.streams.s.name",
                 "Input should be a valid string, got a list", id="wrong-type-list"),
    pytest.param("process_time: 1h", "process_time: 3 parsecs", "3 parsecs",
                 f"{STEP}[0].process_time", 'unknown time unit "parsecs"', id="unknown-unit"),
    pytest.param("demand: 40/month", "demand: 40/fortnight", "40/fortnight",
                 "engines.growth.streams.s.demand", 'unknown time unit "fortnight"',
                 id="unknown-rate-unit"),
    pytest.param("wait_time: 2h", "wait_time: -2h", "-2h", f"{STEP}[0].wait_time",
                 'expected a duration of zero or more, got "-2h"', id="negative-duration"),
    pytest.param("complete_accurate: 90%", "complete_accurate: 120%", "120%",
                 f"{STEP}[0].complete_accurate",
                 "expected a percentage from 0 % to 100 %, got '120%'", id="percent-above-100"),
    pytest.param("stream: growth/s", "stream: growth/nope", "growth/nope", "gaps[0].stream",
                 'no stream "growth/nope"; the canvas has: growth/s', id="unknown-stream"),
    pytest.param("process_time: 30min", "proces_time: 30min", "30min",
                 f"{STEP}[1].proces_time", "unknown key (check spelling)", id="unknown-key"),
    pytest.param("probability: 60%}", "probability: 50%}", "- {to: a",
                 f"{STEP}[1].branches",
                 "branch probabilities must add up to 100 %, they add up to 90.0%",
                 id="branches-not-100"),
    pytest.param("{to: c,", "{to: d,", "d,", f"{STEP}[1].branches[1].to",
                 'no step "d" (a, b, c)', id="unknown-branch-step"),
    pytest.param("- id: b", "- id: a", "- id: a", f"{STEP}",
                 'step id "a" is used 2 times; ids must be unique', id="duplicate-step"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "at", "key", "message"), BAD_INPUTS)
def test_bad_input_exits_2_with_file_line_column_and_key(
    run: Any, tmp_path: Path, old: str, new: str, at: str, key: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    text = BASE.replace(old, new, 1)
    assert text != BASE
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = _untouched(path)
    code, out, err = run("validate", str(path))
    assert code == 2
    assert out == ""
    line, column = _line_col(text, at)  # a list's problems point at its first item
    assert f"error: {path}:{line}:{column}: {key}: {message}" in err
    assert _untouched(path) == before


@pytest.mark.parametrize(("old", "new", "at", "key", "message"), BAD_INPUTS[:3])
def test_bad_input_as_json_lists_each_problem(
    run: Any, tmp_path: Path, old: str, new: str, at: str, key: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    text = BASE.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("validate", str(path), "--json")
    assert code == 2
    result = json.loads(out)
    assert result["ok"] is False
    [error] = result["errors"]
    line, column = _line_col(text, at)
    assert error["file"] == str(path)
    assert (error["line"], error["column"], error["key"]) == (line, column, key)
    assert message in error["message"]


def test_malformed_yaml_exits_2_with_line_and_column(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    text = BASE.replace("name: S", "name: [S")
    path.write_text(text, encoding="utf-8")
    before = _untouched(path)
    code, _, err = run("validate", str(path))
    assert code == 2
    # the unclosed [ runs on into the next line; the parser stops at the colon after "demand"
    line, column = _line_col(text, "demand:")
    where = f"{path}:{line}:{column + len('demand')}"
    assert f"error: {where}: malformed YAML: expected ',' or ']'" in err
    assert _untouched(path) == before


def test_several_problems_are_all_reported(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    text = BASE.replace("people: 2", "people: many").replace("wait_time: 2h", "wait_time: -2h")
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("validate", str(path), "--json")
    assert code == 2
    keys = [e["key"] for e in json.loads(out)["errors"]]
    assert keys == [f"{STEP}[0].people", f"{STEP}[0].wait_time"]


def test_validate_a_missing_file(run: Any, tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "no such canvas file" in err


def test_validate_without_an_argument_is_a_usage_error(run: Any) -> None:
    assert run("validate")[0] == 2


# ---- schema ---------------------------------------------------------------------------------


def test_schema_prints_the_canvas_schema(run: Any) -> None:
    code, out, _ = run("schema")
    assert code == 0
    assert json.loads(out) == canvas_schema()


def test_schema_writes_a_file_and_says_how_to_use_it(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "canvas.schema.json"
    code, out, _ = run("schema", "-o", str(path))
    assert code == 0
    assert json.loads(path.read_text(encoding="utf-8"))["title"] == "opcanvas canvas"
    assert "# yaml-language-server: $schema=canvas.schema.json" in out


@pytest.mark.parametrize("template", [t.name for t in TEMPLATES])
def test_every_template_satisfies_the_exported_schema(template: str) -> None:
    doc = json.loads(json.dumps(read_document(template_text(template)), default=str))
    jsonschema.Draft202012Validator(canvas_schema()).validate(doc)


def test_the_schema_catches_an_unknown_key_as_editors_will() -> None:
    doc = json.loads(json.dumps(read_document(BASE.replace("name: A", "nme: A"))))
    errors = list(jsonschema.Draft202012Validator(canvas_schema()).iter_errors(doc))
    assert errors
    assert any("nme" in error.message for error in errors)
