"""Each flag fires on the case it describes, with the severity of the registry."""

from __future__ import annotations

from typing import Any

import pytest
from flowkit import REF, canvas, line

from opcanvas.flow import FLAGS, analyze_stream
from opcanvas.flow.results import at_least, severity_counts


def codes(flow: Any) -> list[tuple[str, str | None]]:
    return [(f.code, f.step) for f in flow.flags]


def test_stream_wait_share_at_the_threshold_is_flagged() -> None:
    flow = analyze_stream(canvas(line(("1h", "1h"))), REF)  # waits exactly 50 %
    assert ("stream_wait_share", None) in codes(flow)
    assert ("step_wait_share", "s1") in codes(flow)


def test_wait_share_below_the_threshold_is_not() -> None:
    flow = analyze_stream(canvas(line(("2h", "1h"))), REF)
    assert codes(flow) == []


def test_wait_share_threshold_is_a_setting() -> None:
    flow = analyze_stream(canvas(line(("2h", "1h")), settings={"max_wait_share": "30%"}), REF)
    assert ("stream_wait_share", None) in codes(flow)


def test_step_wait_share_names_the_step_that_holds_most_of_the_wait() -> None:
    flow = analyze_stream(canvas(line(("1h", "0min"), ("1h", "6h"), ("1h", "0min"))), REF)
    assert [c for c in codes(flow) if c[0] == "step_wait_share"] == [("step_wait_share", "s2")]
    assert flow.step("s2").wait_share == pytest.approx(6 / 9)


@pytest.mark.parametrize(("cta", "flagged"), [("79%", True), ("80%", False), ("95%", False)])
def test_low_complete_and_accurate(cta: str, flagged: bool) -> None:
    flow = analyze_stream(canvas([{"id": "a", "complete_accurate": cta}]), REF)
    assert (("low_complete_accurate", "a") in codes(flow)) is flagged


def test_complete_and_accurate_threshold_is_a_setting() -> None:
    steps = [{"id": "a", "complete_accurate": "85%"}]
    flow = analyze_stream(canvas(steps, settings={"min_complete_accurate": "90%"}), REF)
    assert codes(flow) == [("low_complete_accurate", "a")]
    assert "85.0% is below 90.0%" in flow.flags[0].message


def test_lead_time_that_disagrees_with_wait_and_process_time() -> None:
    steps = [{"id": "a", "lead_time": "3h", "wait_time": "1h", "process_time": "1h"}]
    flow = analyze_stream(canvas(steps), REF)
    assert ("lead_time_mismatch", "a") in codes(flow)
    assert flow.lead_time == 180.0  # the stated LT is kept


@pytest.mark.parametrize(("statistic", "flagged"), [("median", False), ("p85", False),
                                                    ("mean", True)])  # fmt: skip
def test_mined_medians_are_not_held_to_lt_equals_wait_plus_pt(
    statistic: str, flagged: bool
) -> None:
    """Medians and percentiles do not add (the median lead time of a step is not its median
    wait plus its median PT); mined means do, so only they can disagree."""
    mined = {"lead_time": "3h", "wait_time": "1h", "process_time": "1h"}
    provenance = {"source": "log.csv", "sha256": "0" * 64, "cases": 10, "events": 40,
                  "statistic": statistic}  # fmt: skip
    flow = analyze_stream(canvas([{"id": "a", "measured": mined}], measured=provenance), REF)
    assert (("lead_time_mismatch", "a") in codes(flow)) is flagged
    assert flow.lead_time == 180.0  # the measured LT either way


def test_process_time_longer_than_lead_time_is_an_error() -> None:
    flow = analyze_stream(canvas([{"id": "a", "lead_time": "1h", "process_time": "2h"}]), REF)
    assert [f.severity for f in flow.flags if f.code == "process_exceeds_lead_time"] == ["error"]
    assert flow.flow_efficiency is not None and flow.flow_efficiency <= 1.0


def test_partial_figures_are_reported() -> None:
    flow = analyze_stream(canvas([*line(("1h", "1h")), {"id": "b", "process_time": "1h"}]), REF)
    partial = [f for f in flow.flags if f.code == "partial_figures"]
    assert len(partial) == 1 and partial[0].message.endswith("for b")


def test_handoff_flag_counts_and_names_them() -> None:
    steps = [{"id": "a", "lane": "Sales"}, {"id": "b", "lane": "Ops"}, {"id": "c", "lane": "Sales"}]
    flow = analyze_stream(canvas(steps), REF)
    handoffs = [f for f in flow.flags if f.code == "handoffs"]
    assert [f.message for f in handoffs] == ["2 handoffs between lanes (into b, c)"]


def test_every_flag_names_its_stream_and_has_a_registered_code() -> None:
    steps = [
        {
            "id": "a",
            "lane": "A",
            "process_time": "1h",
            "wait_time": "5h",
            "complete_accurate": "50%",
        },
        {"id": "b", "lane": "B", "lead_time": "1h", "process_time": "2h"},
    ]
    flow = analyze_stream(canvas(steps, wip=1, throughput="1/h", lead_time="1d"), REF)
    assert len(flow.flags) >= 5
    for flag in flow.flags:
        assert flag.stream == REF
        assert flag.code in FLAGS
        assert flag.severity == FLAGS[flag.code][0]
    assert flow.flags == tuple(sorted(flow.flags, key=lambda f: f.step is not None))  # stream first


def test_severity_helpers() -> None:
    steps = [{"id": "a", "lead_time": "1h", "process_time": "2h", "complete_accurate": "50%"}]
    flow = analyze_stream(canvas(steps), REF)
    counts = severity_counts(flow.flags)
    assert counts["error"] == 1 and counts["warning"] >= 1
    assert [f.code for f in at_least(flow.flags, "error")] == ["process_exceeds_lead_time"]
    assert len(at_least(flow.flags, "info")) == len(flow.flags)


def test_registry_describes_every_code() -> None:
    for code, (severity, text) in FLAGS.items():
        assert severity in ("info", "warning", "error"), code
        assert len(text) > 20, code
