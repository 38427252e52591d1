"""Loading and saving canvas files: comments survive, errors point at lines, no half-writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ruamel.yaml.comments import CommentedMap

from opcanvas.canvas.io import (
    canvas_schema,
    dump_document,
    load_canvas,
    load_document,
    parse_canvas,
    read_document,
    update_canvas,
    write_atomic,
)
from opcanvas.errors import CanvasError, Location

COMMENTED = """\
# Acme's canvas: kept in git, edited by hand
opcanvas: 1
organization: Acme  # the legal name
calendar:
  hours_per_day: 8  # the working day
engines:
  growth:
    streams:
      # the sales stream
      mql-to-close:
        name: MQL → Closed-Won
        owner: Sales
        steps:
          - id: proposal  # the slow one
            name: Solution design and proposal
            wait_time: 3d
            process_time: 6h
          - {id: close, name: Close, process_time: 1h}
"""


@pytest.fixture
def canvas_file(tmp_path: Path) -> Path:
    path = tmp_path / "canvas.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    return path


def _set_proposal_time(doc: CommentedMap) -> None:
    doc["engines"]["growth"]["streams"]["mql-to-close"]["steps"][0]["process_time"] = "2h"


def test_update_keeps_comments_key_order_and_flow_style(canvas_file: Path) -> None:
    canvas = update_canvas(canvas_file, _set_proposal_time)
    text = canvas_file.read_text(encoding="utf-8")
    assert text == COMMENTED.replace("process_time: 6h", "process_time: 2h")
    assert canvas.stream("growth/mql-to-close").step("proposal").process_time == 120.0


def test_update_never_rewraps_a_long_one_line_mapping(tmp_path: Path) -> None:
    long_step = (
        "          - {id: close, name: Close the deal with legal review and countersignature "
        "by both parties, process_time: 1h, wait_time: 2d, lane: Sales}\n"
    )
    path = tmp_path / "canvas.yaml"
    text = COMMENTED.replace("          - {id: close, name: Close, process_time: 1h}\n", long_step)
    assert len(long_step) > 140 and long_step in text
    path.write_text(text, encoding="utf-8")
    update_canvas(path, _set_proposal_time)
    assert path.read_text(encoding="utf-8") == text.replace("process_time: 6h", "process_time: 2h")


def test_update_can_add_keys_and_keeps_the_rest_in_place(canvas_file: Path) -> None:
    def add_demand(doc: CommentedMap) -> None:
        doc["engines"]["growth"]["streams"]["mql-to-close"]["demand"] = "40/month"

    canvas = update_canvas(canvas_file, add_demand)
    lines = canvas_file.read_text(encoding="utf-8").splitlines()
    assert lines[: len(COMMENTED.splitlines())] == COMMENTED.splitlines()
    assert lines[-1] == "        demand: 40/month"
    assert canvas.stream("growth/mql-to-close").demand == pytest.approx(40 / 9600)


def test_update_that_breaks_the_canvas_leaves_the_file_byte_identical(canvas_file: Path) -> None:
    before = canvas_file.read_bytes()
    os.utime(canvas_file, ns=(1_000_000_000, 1_000_000_000))

    def break_it(doc: CommentedMap) -> None:
        doc["engines"]["growth"]["streams"]["mql-to-close"]["steps"][0]["wait_time"] = "-3d"

    with pytest.raises(CanvasError) as caught:
        update_canvas(canvas_file, break_it)
    assert "steps[0].wait_time: expected a duration of zero or more" in str(caught.value)
    assert canvas_file.read_bytes() == before
    assert canvas_file.stat().st_mtime_ns == 1_000_000_000
    assert sorted(p.name for p in canvas_file.parent.iterdir()) == ["canvas.yaml"]


def test_update_with_a_change_that_raises_writes_nothing(canvas_file: Path) -> None:
    before = canvas_file.read_bytes()

    def fail(doc: CommentedMap) -> None:
        doc["organization"] = "Half-done"
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        update_canvas(canvas_file, fail)
    assert canvas_file.read_bytes() == before


def test_load_document_gives_the_round_trip_document_and_the_model(canvas_file: Path) -> None:
    doc, canvas = load_document(canvas_file)
    assert dump_document(doc) == COMMENTED
    assert canvas.organization == "Acme"
    assert list(doc) == ["opcanvas", "organization", "calendar", "engines"]


def test_durations_resolve_on_the_files_own_calendar() -> None:
    canvas = parse_canvas(COMMENTED.replace("hours_per_day: 8", "hours_per_day: 10"))
    assert canvas.stream("growth/mql-to-close").step("proposal").wait_time == 1800.0  # 3 × 10 h


def test_calendar_basis_changes_what_a_day_is() -> None:
    text = COMMENTED.replace("  hours_per_day: 8", "  basis: calendar")
    step = parse_canvas(text).stream("growth/mql-to-close").step("proposal")
    assert step.wait_time == 3 * 1440.0


def _position(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first occurrence of ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


@pytest.mark.parametrize(
    ("old", "new", "at", "key", "message"),
    [
        ("wait_time: 3d", "wait_time: 3 parsecs", "3 parsecs",
         "engines.growth.streams.mql-to-close.steps[0].wait_time", 'unknown time unit "parsecs"'),
        ("name: Close,", "name: Close, people: -2,", "-2,",
         "engines.growth.streams.mql-to-close.steps[1].people", "expected a number of 0 or more"),
        ("hours_per_day: 8", "hours_per_day: 30", "30",
         "calendar.hours_per_day", "Input should be less than or equal to 24, got 30"),
        ("organization: Acme", "organization: [Acme]", "[Acme]",
         "organization", "Input should be a valid string, got a list"),
    ],
)  # fmt: skip
def test_errors_name_file_line_column_and_key(
    old: str, new: str, at: str, key: str, message: str
) -> None:
    text = COMMENTED.replace(old, new)
    with pytest.raises(CanvasError) as caught:
        parse_canvas(text, "acme.yaml")
    [(location, problem)] = caught.value.problems
    assert location == Location("acme.yaml", *_position(text, at), key)
    assert message in problem
    assert str(caught.value).startswith(f"acme.yaml:{location.line}:{location.column}: {key}: ")


def test_malformed_yaml_names_the_line_and_column_where_parsing_stopped() -> None:
    text = COMMENTED.replace("owner: Sales", "owner: [Sales")
    with pytest.raises(CanvasError) as caught:
        parse_canvas(text, "acme.yaml")
    # the unclosed [ swallows the next line; the parser stops at the colon after "steps"
    steps_line = text.splitlines().index("        steps:") + 1
    assert caught.value.where == Location("acme.yaml", steps_line, len("        steps:"))
    assert "malformed YAML: expected ',' or ']'" in str(caught.value)
    assert caught.value.hint == "check indentation, colons and quotes around that position"


def test_every_problem_is_listed_with_its_own_location() -> None:
    text = COMMENTED.replace("wait_time: 3d", "wait_time: soon").replace(
        "process_time: 1h", "process_time: 1 parsec"
    )
    with pytest.raises(CanvasError) as caught:
        parse_canvas(text, "acme.yaml")
    keys = [where.key for where, _ in caught.value.problems if where is not None]
    assert keys == [
        "engines.growth.streams.mql-to-close.steps[0].wait_time",
        "engines.growth.streams.mql-to-close.steps[1].process_time",
    ]
    assert str(caught.value).startswith("2 problems in the canvas:\n  acme.yaml:16:")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("", "an empty file"),
        ("- a\n- b\n", "a list"),
        ("just words\n", "the single value 'just words'"),
    ],
)
def test_a_document_that_is_not_a_mapping_is_refused(text: str, found: str) -> None:
    with pytest.raises(CanvasError) as caught:
        read_document(text, "x.yaml")
    assert f"expected a mapping with at least 'organization:', found {found}" in str(caught.value)
    assert caught.value.where == Location("x.yaml", 1, 1)


def test_a_missing_file_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(CanvasError) as caught:
        load_canvas(tmp_path / "nope.yaml")
    assert "no such canvas file" in str(caught.value)
    assert caught.value.hint == "create one with `opcanvas init`"


def test_a_file_that_is_not_utf8_is_refused_with_the_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("organization: Café\n".encode("latin-1"))
    with pytest.raises(CanvasError) as caught:
        load_canvas(path)
    assert "expected UTF-8 text, found a byte it cannot decode at offset 17" in str(caught.value)


def test_write_atomic_replaces_the_file_keeps_its_mode_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "out.yaml"
    path.write_text("old\n")
    path.chmod(0o600)
    write_atomic(path, "new\n")
    assert path.read_text() == "new\n"
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]


def test_write_atomic_creates_missing_directories(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "canvas.yaml"
    write_atomic(path, b"organization: Acme\n")
    assert load_canvas(path).organization == "Acme"


def test_the_schema_names_its_dialect_and_the_canvas_fields() -> None:
    schema = canvas_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "opcanvas canvas"
    assert schema["required"] == ["organization"]
    step = schema["$defs"]["Step"]["properties"]
    assert "lead time" not in step["process_time"]["description"].lower()
    assert step["process_time"]["description"].startswith("PT: hands-on work time")
