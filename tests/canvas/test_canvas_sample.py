"""The built-in sample, Northwind Services: complete, coherent, and usable by every module.

The numbers below are worked by hand from the sample's own figures, so a careless edit to the
sample (a funnel that no longer gives 40 proposals, a step that saturates) fails here.
"""

from __future__ import annotations

import pytest

from opcanvas.canvas import Canvas, Stream, point
from opcanvas.canvas.quantities import Range
from opcanvas.canvas.references import kpi_index
from opcanvas.canvas.templates import sample_canvas

MONTH = 20 * 8 * 60  # minutes in a working month on the sample's calendar


@pytest.fixture(scope="module")
def sample() -> Canvas:
    return sample_canvas()


def test_the_sample_fills_all_four_engines(sample: Canvas) -> None:
    assert sample.organization == "Northwind Services"
    assert sample.counts() == {
        "engines": 4, "streams": 14, "steps": 71, "kpis": 69, "bottlenecks": 79, "gaps": 10,
        "handoffs": 4,
    }  # fmt: skip
    for engine_id, engine in sample.engines.items():
        assert engine.streams and engine.kpis and engine.purpose, engine_id


def test_every_office_step_has_times_quality_people_and_lane(sample: Canvas) -> None:
    for ref, stream in sample.streams():
        for step in stream.steps:
            where = f"{ref}/{step.id}"
            if stream.mode == "manufacturing":
                assert step.cycle_time is not None and step.operators == 1, where
                continue
            assert step.process_time is not None and step.wait_time is not None, where
            assert step.complete_accurate is not None and step.people, where
            assert step.lane and step.systems, where


SIMULATED = ["growth/mql-to-close", "efficiency/incident-to-resolution"]


@pytest.mark.parametrize("ref", SIMULATED)
def test_the_simulated_streams_have_what_a_simulator_needs(sample: Canvas, ref: str) -> None:
    stream = sample.stream(ref)
    assert stream.demand is not None
    for step in stream.steps:
        assert step.process_time is not None, step.id
        assert step.wait_time is not None, step.id
        assert step.people is not None and step.people >= 1, step.id


def _visits(stream: Stream, rework: dict[str, float] | None = None) -> dict[str, float]:
    """Visits per case at each step: drop-offs leave, branches split, otherwise the next step."""
    visits = dict.fromkeys((s.id for s in stream.steps), 0.0)
    visits[stream.steps[0].id] = 1.0
    for extra_step, extra in (rework or {}).items():
        visits[extra_step] += extra
    for index, step in enumerate(stream.steps):
        staying = visits[step.id] * (1 - (point(step.drop_off) or 0.0))
        if step.branches:
            for branch in step.branches:
                visits[branch.to] += staying * (point(branch.probability) or 0.0)
        elif index + 1 < len(stream.steps):
            visits[stream.steps[index + 1].id] += staying
    return visits


def test_the_sales_funnel_gives_the_proposal_gaps_volumes(sample: Canvas) -> None:
    stream = sample.stream("growth/mql-to-close")
    per_month = (stream.demand or 0) * MONTH
    assert per_month == pytest.approx(120)
    visits = _visits(stream)
    # 120 leads × 75 % reached × 45 % past discovery = 40.5 proposals a month
    assert visits["proposal"] * per_month == pytest.approx(40.5)
    # × 40 % to negotiation × 75 % signed = 12.15 wins a month: a 30 % win rate on proposals
    assert visits["close-handoff"] * per_month == pytest.approx(12.15)
    assert visits["close-handoff"] / visits["proposal"] == pytest.approx(0.30)
    assert visits["legal-review"] * per_month == pytest.approx(40.5 * 0.4 * 0.75 * 0.35)
    gap = sample.gap("proposal-automation")
    assert gap.drivers["proposals_per_month"] == pytest.approx(visits["proposal"] * per_month, 0.02)
    assert gap.drivers["win_rate"] == pytest.approx(0.30)


def test_the_incident_stream_routes_known_issues_past_diagnosis(sample: Canvas) -> None:
    stream = sample.stream("efficiency/incident-to-resolution")
    # 8 % of closures reopen and go back to diagnosis: r = 0.08 (1 + r), so r = 0.08 / 0.92
    reopened = 0.08 / 0.92
    visits = _visits(stream, {"diagnose": reopened})
    assert visits == pytest.approx(
        {"detect": 1, "triage": 1, "diagnose": 0.4 + reopened, "fix": 1 + reopened,
         "close": 1 + reopened}
    )  # fmt: skip
    assert stream.step("close").rework_to == "diagnose"
    assert point(stream.step("close").rework_rate) == pytest.approx(0.08)


@pytest.mark.parametrize(
    ("ref", "rework", "expected"),
    [
        (
            "growth/mql-to-close",
            {},
            # λ = 120/month; utilisation = λ × visits × PT ÷ people
            {"outreach": 0.1875, "discovery": 0.421875, "proposal": 0.50625,
             "negotiation": 0.10125, "legal-review": 0.0797, "close-handoff": 0.0759},
        ),
        (
            "efficiency/incident-to-resolution",
            {"diagnose": 0.08 / 0.92},
            # λ = 900/month = 0.09375/min
            {"detect": 0.15625, "triage": 0.3125, "diagnose": 0.6848, "fix": 0.6114,
             "close": 0.3397},
        ),
    ],
)  # fmt: skip
def test_no_step_of_a_simulated_stream_saturates(
    sample: Canvas, ref: str, rework: dict[str, float], expected: dict[str, float]
) -> None:
    stream = sample.stream(ref)
    arrivals = stream.demand or 0.0
    visits = _visits(stream, rework)
    utilisation = {
        s.id: arrivals * visits[s.id] * (point(s.process_time) or 0) / (point(s.people) or 1)
        for s in stream.steps
    }
    assert utilisation == pytest.approx(expected, abs=5e-4)
    assert max(utilisation.values()) < 0.7


def test_the_onboarding_stream_runs_training_beside_implementation(sample: Canvas) -> None:
    stream = sample.stream("retention/onboarding-to-first-value")
    assert stream.step("implementation").after == ["kickoff"]
    assert stream.step("training").after == ["kickoff"]
    assert stream.step("go-live").after == ["implementation", "training"]
    training_wait = stream.step("training").wait_time
    assert isinstance(training_wait, Range)
    assert (training_wait.low, training_wait.likely, training_wait.high) == (2400, 4800, 9600)
    # critical path: implementation (8d wait + 10d work) beats training (10d + 3d)
    implementation = (stream.step("implementation").wait_time or 0) + (
        stream.step("implementation").process_time or 0
    )
    assert implementation == 18 * 480
    assert training_wait.likely + 3 * 480 == 13 * 480


def test_the_device_stream_is_learning_to_see(sample: Canvas) -> None:
    stream = sample.stream("efficiency/device-provisioning")
    assert (stream.mode, stream.safe_type) == ("manufacturing", "manufacturing")
    assert stream.production is not None
    available = stream.production.shifts * (
        stream.production.shift_length - stream.production.breaks
    )
    assert available == 440  # one 8 h shift less 40 min of breaks
    per_day = (stream.demand or 0) * 480
    assert per_day == pytest.approx(120)
    takt = available * 60 / per_day
    assert takt == pytest.approx(220)  # seconds
    cycle = {s.id: (s.cycle_time or 0) * 60 for s in stream.steps}
    assert [step for step, seconds in cycle.items() if seconds > takt] == ["configure"]
    inventory = sum(s.inventory_before or 0 for s in stream.steps)
    assert inventory / per_day == pytest.approx(16.5)  # days of demand on the floor
    assert sum(cycle.values()) / takt == pytest.approx(780 / 220)  # 3.5 operators' work


def test_the_proposal_gap_is_the_seeds_worked_example(sample: Canvas) -> None:
    gap = sample.gap("proposal-automation")
    assert gap.stream == "growth/mql-to-close"
    assert {k: v for k, v in gap.drivers.items() if k != "improvement"} == {
        "proposal_days": 3, "proposals_per_month": 40, "win_rate": 0.30, "deal_size": 50_000,
        "cost_per_day": 500,
    }  # fmt: skip
    assert gap.drivers["improvement"] == Range(0.6, 0.8, 0.9)
    assert gap.formulas == {
        "lost_days": "proposal_days * proposals_per_month * 12",
        "lost_deals": "lost_days / working_days_per_month * win_rate * deal_size",
        "wasted_capacity": "lost_days * cost_per_day",
        "annual_value": "improvement * (lost_deals + wasted_capacity)",
    }
    assert gap.implementation_cost == 50_000
    assert gap.scores.model_dump(exclude_none=True) == {
        "alignment": 5, "feasibility": 4, "cost": 1, "risk": 2,
    }  # fmt: skip
    # the seed's arithmetic: 1,440 lost days → $1.08M of deals + $720K of capacity; 80 % → $1.44M
    lost_days = 3 * 40 * 12
    lost_deals = lost_days / sample.calendar.working_days_per_month * 0.30 * 50_000
    assert (lost_days, lost_deals, lost_days * 500) == (1440, 1_080_000, 720_000)
    assert 0.8 * (lost_deals + lost_days * 500) == pytest.approx(1_440_000)


def test_every_gap_is_ready_to_value_rank_and_plan(sample: Canvas) -> None:
    assert 6 <= len(sample.gaps) <= 10
    ids = [g.id for g in sample.gaps]
    for gap in sample.gaps:
        assert gap.drivers and gap.implementation_cost and gap.effort, gap.id
        assert gap.solution_type and gap.kpis and gap.wsjf, gap.id
        assert None not in (gap.scores.alignment, gap.scores.feasibility, gap.scores.cost), gap.id
        has_default_drivers = {"current_loss", "improvement", "volume", "frequency"} <= set(
            gap.drivers
        )
        assert "annual_value" in gap.formulas or has_default_drivers, gap.id
        assert all(dep in ids[: ids.index(gap.id)] for dep in gap.depends_on), gap.id
    uses_default = [g.id for g in sample.gaps if not g.formulas]
    assert uses_default == ["handoff-checklist", "release-pipeline"]
    assert {g.solution_type for g in sample.gaps} == {
        "process_fix", "integration", "automation", "ai_agent",
    }  # fmt: skip


def test_the_kpi_tree_climbs_from_streams_to_engines_to_the_ceo(sample: Canvas) -> None:
    index = kpi_index(sample)
    ceo = {k.id for k in sample.kpis}
    assert ceo == {"arr", "nrr", "grr", "operating-margin"}
    engine_kpis = {f"{e}/{k.id}" for e, engine in sample.engines.items() for k in engine.kpis}
    for engine in sample.engines.values():
        for kpi in engine.kpis:
            assert kpi.parent in ceo, kpi.id
        for stream in engine.streams.values():
            for metric in stream.metrics:
                assert metric.parent in engine_kpis, metric.id
                assert None not in (metric.baseline, metric.actual, metric.target), metric.id
                assert metric.direction is not None, metric.id
    assert index["growth/mql-to-close/cycle-time"].actual == 62
    assert index["growth/mql-to-close/cycle-time"].target == 45


def test_the_plan_inputs_are_filled_in(sample: Canvas) -> None:
    assert str(sample.roadmap.start) == "2027-01-04"
    sprints = sample.roadmap.sprints
    assert [s.name for s in sprints] == ["Foundation", "Acceleration", "Optimization",
                                          "Transformation"]  # fmt: skip
    assert [s.capacity_days for s in sprints] == [150, 180, 180, 150]
    assert [s.budget for s in sprints] == [250_000, 300_000, 250_000, 200_000]
    assert sum(g.effort or 0 for g in sample.gaps) == 545  # fits the 660 people-days
    assert len(sample.governance.steering_committee) == 6
    assert sample.workshop is not None and len(sample.workshop.participants) == 10
    assert {h.id for h in sample.handoffs} == {
        "growth-to-retention", "retention-to-growth", "efficiency-to-innovation",
        "innovation-to-all",
    }  # fmt: skip
    handoff = next(h for h in sample.handoffs if h.id == "growth-to-retention")
    assert (handoff.incomplete_share, handoff.delay) == (0.41, 5 * 480)


def test_future_states_name_real_steps(sample: Canvas) -> None:
    with_future = [ref for ref, s in sample.streams() if s.future_state is not None]
    assert with_future == ["growth/mql-to-close", "efficiency/incident-to-resolution"]
    change = sample.stream("growth/mql-to-close").future_state.changes[0]  # type: ignore[union-attr]
    assert (change.step, str(change.process_time)) == ("proposal", "x0.2")
