"""Completeness of partial canvases, engine and canvas roll-ups, and JSON output."""

from __future__ import annotations

import json

import pytest
from flowkit import REF, canvas

from opcanvas.canvas import Canvas
from opcanvas.errors import UnknownReferenceError
from opcanvas.flow import analyze_canvas, analyze_stream
from opcanvas.flow.conventions import conventions


def partial() -> Canvas:
    """Two engines; growth/s is half filled in, growth/t is empty, efficiency/m manufacturing."""
    return Canvas.model_validate(
        {
            "organization": "Partial",
            "engines": {
                "growth": {
                    "name": "Growth",
                    "streams": {
                        "s": {
                            "name": "S",
                            "demand": "10/day",
                            "steps": [
                                {"id": "a", "name": "A", "lane": "Sales", "people": 2,
                                 "process_time": "1h", "wait_time": "3h",
                                 "complete_accurate": "90%"},
                                {"id": "b", "name": "B", "process_time": "2h"},
                            ],
                        },
                        "t": {"name": "T"},
                    },
                },
                "efficiency": {
                    "streams": {
                        "m": {
                            "name": "M",
                            "mode": "manufacturing",
                            "steps": [{"id": "press", "name": "Press", "cycle_time": "30s"}],
                        }
                    }
                },
            },
        }
    )  # fmt: skip


def test_stream_completeness_of_a_partial_stream() -> None:
    flow = analyze_stream(partial(), "growth/s")
    # 2 stream figures + 5 per step × 2 steps = 12; blank: b.wait_time, %C&A, lane, people
    assert (flow.completeness.filled, flow.completeness.total) == (8, 12)
    assert flow.completeness.fraction == pytest.approx(8 / 12)
    assert flow.completeness.missing == (
        "b.wait_time",
        "b.complete_accurate",
        "b.lane",
        "b.people",
    )


def test_empty_stream_and_manufacturing_completeness() -> None:
    flow = analyze_canvas(partial())
    empty = flow.streams["growth/t"].completeness
    assert (empty.filled, empty.total, empty.missing) == (0, 2, ("steps", "demand"))
    press = flow.streams["efficiency/m"].completeness
    # steps ✓, demand ✗, production ✗; cycle_time ✓, changeover, uptime, inventory, operators ✗
    assert (press.filled, press.total) == (2, 8)
    assert press.missing == (
        "demand",
        "production",
        "press.changeover",
        "press.uptime",
        "press.inventory_before",
        "press.operators",
    )


def test_engine_and_canvas_roll_ups() -> None:
    flow = analyze_canvas(partial())
    growth = flow.engines["growth"]
    assert growth.streams == ("growth/s", "growth/t")
    assert (growth.completeness.filled, growth.completeness.total) == (8, 14)
    assert "s/b.lane" in growth.completeness.missing
    assert "t/steps" in growth.completeness.missing
    assert growth.lead_time_total == 6 * 60  # s: 4 h + 2 h (b's wait is blank); t: unknown
    assert growth.process_time_total == 180.0
    assert growth.flow_efficiency == pytest.approx(0.5)
    assert (growth.lowest_rolled_cta, growth.lowest_rolled_cta_stream) == (0.9, "growth/s")
    assert flow.engines["efficiency"].name == "Efficiency"
    assert (flow.completeness.filled, flow.completeness.total) == (10, 22)
    assert "growth/s/b.lane" in flow.completeness.missing
    assert flow.completeness.missing[-1] == "efficiency/m/press.operators"


def test_engine_filter_and_unknown_engine() -> None:
    flow = analyze_canvas(partial(), engines=["efficiency"])
    assert list(flow.streams) == ["efficiency/m"]
    with pytest.raises(UnknownReferenceError, match='no engine "retention"; the canvas has: '):
        analyze_canvas(partial(), engines=["retention"])


def test_unknown_stream_lists_the_streams() -> None:
    with pytest.raises(UnknownReferenceError, match="growth/s, growth/t, efficiency/m"):
        analyze_stream(partial(), "growth/x")


def test_to_dict_is_json_with_every_public_field() -> None:
    data = analyze_canvas(partial()).to_dict()
    text = json.dumps(data, sort_keys=True)
    back = json.loads(text)
    stream = back["streams"]["growth/s"]
    for key in (
        "lead_time",
        "process_time",
        "flow_efficiency",
        "rolled_cta",
        "takt_time",
        "critical_path",
        "bottleneck",
        "flags",
        "completeness",
        "conventions",
        "little",
    ):
        assert key in stream  # fmt: skip
    assert stream["steps"][0]["sources"]["process_time"] == "estimate"
    assert stream["takt_time"] == pytest.approx(48.0)  # 10 a day over an 8-hour day
    assert back["engines"]["growth"]["completeness"]["total"] == 14
    assert set(back["conventions"]) == set(conventions(partial().settings, partial().calendar))


def test_conventions_are_printed_with_every_result() -> None:
    flow = analyze_stream(canvas([{"id": "a"}], calendar={"basis": "calendar"}), REF)
    required = ("time_basis", "point_estimate", "prefer_measured",
                "lead_time_includes_process_time", "parallel", "decision", "statistic")  # fmt: skip
    assert all(key in flow.conventions for key in required)
    assert flow.conventions["time_basis"].startswith("calendar time")
    assert flow.conventions["statistic"].startswith("median")
