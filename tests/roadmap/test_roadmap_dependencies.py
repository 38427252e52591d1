"""The cross-engine dependency map: the seed's four handoffs, loops versus cycles."""

from __future__ import annotations

from typing import Any

from opcanvas.canvas import Canvas
from opcanvas.roadmap.dependencies import dependency_map
from opcanvas.roadmap.graph import find_cycle, simple_cycles
from opcanvas.value import quantify


def test_seed_handoffs_and_engine_loops(example: Canvas) -> None:
    deps = dependency_map(example, quantify(example, samples=10))
    assert [h.id for h in deps.handoffs] == [
        "growth-to-retention", "retention-to-growth", "efficiency-to-innovation",
        "innovation-to-all",
    ]  # fmt: skip
    first = deps.handoffs[0]
    assert first.current_state == {"incomplete_share": 0.4}
    assert first.gaps == ("crm-handoff",)
    assert first.gap_value == 216_000.0
    assert deps.handoffs[3].to_engines == ("growth", "retention", "efficiency")
    assert deps.handoffs[3].current_state == {"delay": 6 * 5 * 8 * 60}  # 6 working weeks
    # engine loops are how the engines feed each other: reported, not errors
    assert deps.loops == (("efficiency", "innovation", "efficiency"),
                          ("growth", "retention", "growth"))  # fmt: skip
    assert deps.cycles == ()


def test_graph_edges_link_every_kind(example: Canvas) -> None:
    deps = dependency_map(example)
    kinds = {n.kind for n in deps.nodes}
    assert kinds == {"engine", "stream", "handoff", "initiative"}
    edges = {(e.source, e.target, e.kind) for e in deps.edges}
    assert ("stream:growth/mql-to-close", "handoff:growth-to-retention", "hands_off") in edges
    assert ("handoff:growth-to-retention", "stream:retention/onboarding", "received_by") in edges
    assert ("initiative:crm-handoff", "handoff:growth-to-retention", "fixes") in edges
    assert (
        "initiative:contract-approvals",
        "initiative:proposal-automation",
        "depends_on",
    ) in edges
    assert ("engine:growth", "stream:growth/mql-to-close", "contains") in edges
    assert ("handoff:innovation-to-all", "engine:efficiency", "received_by") in edges


def test_initiative_cycles_are_reported(make_cycle: Any) -> None:
    deps = dependency_map(make_cycle)
    assert deps.cycles == (("a", "b", "a"),)


def test_graph_helpers() -> None:
    assert find_cycle({"a": ["b"], "b": []}) is None
    assert find_cycle({"a": ["a"]}) == ["a", "a"]
    assert simple_cycles({"a": ["b", "c"], "b": ["a", "c"], "c": ["a"]}) == [
        ["a", "b", "a"], ["a", "c", "a"], ["a", "b", "c", "a"]
    ]  # fmt: skip
