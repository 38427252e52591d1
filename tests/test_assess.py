"""assess(): one entry point for every derived number, fine on partial canvases."""

from __future__ import annotations

import json

import pytest

from opcanvas.assess import assess
from opcanvas.canvas import parse_canvas
from opcanvas.canvas.templates import load_template

SEED = """
organization: Acme
engines:
  growth:
    streams:
      mql-to-close:
        name: MQL → Closed-Won
        steps:
          - {id: proposal, name: Proposal, lane: Sales, process_time: 3d, wait_time: 2d}
          - {id: contract, name: Contract, lane: Legal, process_time: 4h, wait_time: 5d}
gaps:
  - id: proposal-automation
    stream: growth/mql-to-close
    drivers: {proposal_days: 3, proposals_per_month: 40, win_rate: 30%, deal_size: 50000,
              cost_per_day: 500, improvement: [60%, 80%, 90%]}
    formulas:
      lost_days: proposal_days * proposals_per_month * 12
      lost_deals: lost_days / working_days_per_month * win_rate * deal_size
      wasted_capacity: lost_days * cost_per_day
      annual_value: improvement * (lost_deals + wasted_capacity)
    implementation_cost: 50000
    scores: {alignment: 5, feasibility: 4, cost: 1, risk: 2}
"""


def test_the_seed_example() -> None:
    a = assess(parse_canvas(SEED), samples=2000, seed=3)
    value = a.value_of("proposal-automation")
    assert value is not None
    assert value.annual_value == 1_440_000
    assert value.lines["lost_days"] == 1440 and value.lines["lost_deals"] == 1_080_000
    assert value.roi == pytest.approx(27.8)
    assert value.p10 < value.p50 < value.p90
    assert a.priorities[0].gap_id == "proposal-automation" and a.priorities[0].score == 40
    assert a.roadmap.placements()[0].gap_id == "proposal-automation"
    flow = a.flow.streams["growth/mql-to-close"]
    assert flow.lead_time == pytest.approx(3 * 480 + 2 * 480 + 240 + 5 * 480)
    assert a.total_annual_value() == 1_440_000


def test_same_seed_same_numbers() -> None:
    canvas = parse_canvas(SEED)
    first = assess(canvas, samples=500, seed=7).to_dict()
    second = assess(canvas, samples=500, seed=7).to_dict()
    for data in (first, second):
        data["roadmap"]["solver"].pop("seconds")
    assert first == second
    other = assess(canvas, samples=500, seed=8).to_dict()
    assert other["gaps"][0]["p10"] != first["gaps"][0]["p10"]


def test_to_dict_is_json_and_complete() -> None:
    data = assess(parse_canvas(SEED), samples=200).to_dict()
    text = json.dumps(data, sort_keys=True, default=str)
    assert json.loads(text)["gaps"][0]["annual_value"] == 1_440_000
    parts = {"flow", "gaps", "priorities", "roadmap", "dependencies", "governance", "kpi_lineage",
             "completeness", "conventions", "canvas", "missing"}  # fmt: skip
    assert set(data) >= parts
    assert set(data["conventions"]) == {"flow", "value", "roadmap", "governance"}
    assert data["canvas"]["gaps"][0]["drivers"]["improvement"]["likely"] == 0.8


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("organization: Acme", "no value streams yet"),
        ("organization: Acme\nengines: {growth: {streams: {s: {name: S}}}}", "no gaps yet"),
        (
            "organization: Acme\nengines: {growth: {streams: {s: {name: S}}}}\n"
            "gaps: [{id: g, stream: growth/s}]",
            "gap g: no drivers or formulas yet",
        ),
    ],
)
def test_partial_canvases_say_what_is_missing(text: str, missing: str) -> None:
    a = assess(parse_canvas(text), samples=50)
    assert any(m.startswith(missing) for m in a.missing), a.missing
    assert a.values == () and a.roadmap.value_optimised == 0


def test_blank_steps_do_not_stop_the_assessment() -> None:
    a = assess(load_template("operational-canvas"), samples=50)
    assert len(a.flow.streams) == 13
    assert 0 <= a.completeness.fraction < 0.5
    assert a.completeness.missing
