"""Parallel branches, decision points and cycles: which path sets the lead time."""

from __future__ import annotations

from typing import Any

import pytest
from flowkit import REF, canvas

from opcanvas.canvas.model import Branch, Step
from opcanvas.errors import CanvasError
from opcanvas.flow import analyze_stream
from opcanvas.flow.routing import build_routing, scenarios

# intake → (credit check ∥ document review) → approve; the review branch is longer
PARALLEL: list[dict[str, Any]] = [
    {"id": "intake", "process_time": "10min", "wait_time": "20min"},
    {"id": "credit", "process_time": "30min", "wait_time": "1h", "after": ["intake"]},
    {"id": "docs", "process_time": "1h", "wait_time": "3h", "after": ["intake"]},
    {"id": "approve", "process_time": "15min", "wait_time": "45min", "after": ["credit", "docs"]},
]

# triage decides: 80 % quick fix, 20 % escalation; both end in close
DECISION: list[dict[str, Any]] = [
    {"id": "triage", "process_time": "5min", "wait_time": "25min",
     "branches": [{"to": "quick", "probability": "80%"}, {"to": "escalate", "probability": "20%"}]},
    {"id": "quick", "process_time": "10min", "wait_time": "50min"},
    {"id": "escalate", "process_time": "2h", "wait_time": "1d"},
    {"id": "close", "process_time": "5min", "wait_time": "55min", "after": ["quick", "escalate"]},
]  # fmt: skip


def test_parallel_branches_follow_the_critical_path_and_name_it() -> None:
    flow = analyze_stream(canvas(PARALLEL), REF)
    assert flow.critical_path == ("intake", "docs", "approve")
    assert flow.lead_time == 30 + 240 + 60
    assert flow.process_time == 10 + 60 + 15
    assert flow.flow_efficiency == pytest.approx(85 / 330)
    assert [s.on_critical_path for s in flow.steps] == [True, False, True, True]
    assert flow.work_content == 10 + 30 + 60 + 15  # every step's work, on the path or not


def test_parallel_sum_setting_adds_every_step() -> None:
    flow = analyze_stream(canvas(PARALLEL, settings={"parallel": "sum"}), REF)
    assert flow.lead_time == 30 + 90 + 240 + 60
    assert flow.critical_path == ("intake", "credit", "docs", "approve")
    assert flow.conventions["parallel"].startswith("sum")


def test_a_tie_between_branches_goes_to_the_first() -> None:
    steps = [
        {"id": "a", "process_time": "1h", "wait_time": "0min"},
        {"id": "b", "process_time": "1h", "wait_time": "0min", "after": []},
        {"id": "c", "process_time": "1h", "wait_time": "0min", "after": ["a", "b"]},
    ]
    assert analyze_stream(canvas(steps), REF).critical_path == ("a", "c")


def test_decision_expected_weights_branches_by_probability() -> None:
    flow = analyze_stream(canvas(DECISION), REF)
    quick_path = 30 + 60 + 60
    escalated = 30 + (120 + 480) + 60
    assert flow.lead_time == pytest.approx(0.8 * quick_path + 0.2 * escalated)
    assert flow.process_time == pytest.approx(0.8 * 20 + 0.2 * 130)
    assert flow.critical_path == ("triage", "quick", "close")  # the most likely choices
    assert flow.path_probability == pytest.approx(0.8)
    assert flow.scenarios == 2
    assert [s.reach for s in flow.steps] == pytest.approx([1.0, 0.8, 0.2, 1.0])
    assert flow.step("triage").branches == pytest.approx({"quick": 0.8, "escalate": 0.2})


def test_decision_longest_assumes_the_longest_branch() -> None:
    flow = analyze_stream(canvas(DECISION, settings={"decision": "longest"}), REF)
    assert flow.lead_time == 30 + 600 + 60
    assert flow.critical_path == ("triage", "escalate", "close")
    assert flow.conventions["decision"].startswith("longest")


def test_decision_weights_rolled_complete_and_accurate() -> None:
    steps = [
        {"id": "d", "branches": [{"to": "x", "probability": 0.5}, {"to": "y", "probability": 0.5}]},
        {"id": "x", "complete_accurate": "90%"},
        {"id": "y", "complete_accurate": "70%"},
    ]  # fmt: skip
    assert analyze_stream(canvas(steps), REF).rolled_cta == pytest.approx(0.8)


def test_steps_default_to_the_list_order() -> None:
    routing = build_routing([Step(id=i, name=i) for i in ("a", "b", "c")])
    assert routing.preds == {"a": (), "b": ("a",), "c": ("b",)}


def test_a_step_after_a_decision_that_is_not_an_exit_is_flagged() -> None:
    steps = [
        {"id": "d", "branches": [{"to": "x", "probability": "100%"}]},
        {"id": "x"},
        {"id": "z"},  # follows x (not a decision): fine
        {"id": "e", "branches": [{"to": "z", "probability": "100%"}], "after": ["x"]},
        {"id": "w"},  # follows decision e without being one of its exits
    ]
    flow = analyze_stream(canvas(steps), REF)
    assert [(f.code, f.step) for f in flow.flags if f.code == "no_predecessor"] == [
        ("no_predecessor", "w")
    ]


@pytest.mark.parametrize(
    ("steps", "cycle"),
    [
        ([{"id": "a", "after": ["b"]}, {"id": "b", "after": ["a"]}], "a → b → a"),
        (
            [
                {"id": "a"},
                {"id": "b"},
                {"id": "c", "branches": [{"to": "a", "probability": "100%"}]},
            ],
            "a → b → c → a",
        ),
    ],
)
def test_a_cycle_is_an_error_naming_its_steps(steps: list[dict[str, Any]], cycle: str) -> None:
    with pytest.raises(CanvasError) as info:
        analyze_stream(canvas(steps), REF)
    assert cycle in str(info.value)
    assert "engines.growth.streams.s.steps" in str(info.value)
    assert "rework_to" in str(info.value)


def test_rework_loops_are_not_edges() -> None:
    steps = [{"id": "a", "process_time": "1h", "wait_time": "1h"},
             {"id": "b", "process_time": "1h", "wait_time": "1h", "rework_to": "a"}]  # fmt: skip
    assert analyze_stream(canvas(steps), REF).lead_time == 240.0


def test_scenarios_multiply_over_reached_decisions_only() -> None:
    def decide(step_id: str, left: str, right: str) -> Step:
        exits = [Branch(to=left, probability=0.5), Branch(to=right, probability=0.5)]
        return Step(id=step_id, name=step_id, branches=exits)

    steps = [decide("d1", "a", "d2"), Step(id="a", name="a"), decide("d2", "b", "c"),
             Step(id="b", name="b"), Step(id="c", name="c")]  # fmt: skip
    found = scenarios(build_routing(steps))
    assert found is not None
    assert sorted((sorted(s.active), s.probability) for s in found) == [
        (["a", "d1"], 0.5),
        (["b", "d1", "d2"], 0.25),
        (["c", "d1", "d2"], 0.25),
    ]


def test_too_many_decisions_fall_back_to_every_branch_taken() -> None:
    steps: list[dict[str, Any]] = []
    for i in range(13):  # 2**13 combinations > 4096
        steps.append({"id": f"d{i}", "process_time": "1min", "wait_time": "0min",
                      "branches": [{"to": f"x{i}", "probability": "50%"},
                                   {"to": f"y{i}", "probability": "50%"}]})  # fmt: skip
        steps.append({"id": f"x{i}", "process_time": "1min", "wait_time": "0min"})
        steps.append(
            {"id": f"y{i}", "process_time": "2min", "wait_time": "0min", "after": [f"d{i}"]}
        )
        if i:
            steps[-3]["after"] = [f"x{i - 1}", f"y{i - 1}"]
    flow = analyze_stream(canvas(steps), REF)
    assert "scenario_limit" in [f.code for f in flow.flags]
    assert flow.lead_time == 13 * 3  # every decision takes its 2-minute exit
