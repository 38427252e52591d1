"""A small canvas with the seed's worked example and hostile text in every place text can go.

The report is written once per test session (all formats) and inspected by many tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from opcanvas.assess import Assessment, assess
from opcanvas.canvas import Canvas, parse_canvas
from opcanvas.report import ReportResult, write_report

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x")'
HOSTILE = (SCRIPT, FORMULA)

CANVAS = f"""
opcanvas: 1
organization: '{SCRIPT} & Co'
currency: USD
calendar: {{hours_per_day: 8, days_per_week: 5, working_days_per_month: 20}}
priorities: ['{FORMULA}']
kpis:
  - {{id: nrr, name: '{FORMULA}', unit: "%", actual: 104, target: 112, direction: higher,
     indicator: lagging, owner: '{SCRIPT}'}}
engines:
  growth:
    name: Growth
    purpose: Acquire new customers
    kpis:
      - {{id: win-rate, name: Win rate, unit: "%", parent: nrr, actual: 30, target: 35,
         direction: higher, indicator: lagging}}
    streams:
      mql-to-close:
        name: '{SCRIPT}'
        owner: '{FORMULA}'
        trigger: {{event: '{SCRIPT}', source: internal, volume: 40/month}}
        demand: 40/month
        steps:
          - {{id: outreach, name: '{FORMULA}', lane: '{SCRIPT}', systems: ['{FORMULA}'],
             process_time: 1h, wait_time: 1d, people: 2}}
          - {{id: proposal, name: Solution design and proposal, lane: Sales,
             systems: [CRM, CPQ], process_time: 3d, wait_time: 2d, complete_accurate: 85%}}
          - {{id: contract, name: '-1+1', lane: Legal, process_time: 4h, wait_time: 5d}}
        metrics:
          - {{id: cycle, name: '@SUM(A1)', unit: days, actual: 62, target: 45,
             direction: lower, indicator: leading, parent: win-rate}}
        bottlenecks:
          - {{id: manual-proposals, text: '{SCRIPT}', checked: true, step: proposal,
             measure: 3, unit: days per proposal}}
          - {{id: approvals, text: '{FORMULA}', checked: false}}
  retention:
    name: Retention
    streams:
      onboarding:
        name: Onboarding → First Value
        steps:
          - {{id: kickoff, name: Kickoff, lane: CSM, process_time: 4h, wait_time: 5d}}
          - {{id: implementation, name: Implementation, lane: Delivery}}
gaps:
  - id: proposal-automation
    title: '{FORMULA}'
    stream: growth/mql-to-close
    step: proposal
    bottleneck: manual-proposals
    root_cause: '{SCRIPT}'
    solution: '{FORMULA}'
    drivers:
      proposal_days: 3
      proposals_per_month: 40
      win_rate: 30%
      deal_size: 50000
      cost_per_day: 500
      improvement: [60%, 80%, 90%]
    formulas:
      lost_days: proposal_days * proposals_per_month * 12
      lost_deals: lost_days / working_days_per_month * win_rate * deal_size
      wasted_capacity: lost_days * cost_per_day
      annual_value: improvement * (lost_deals + wasted_capacity)
    implementation_cost: 50000
    scores: {{alignment: 5, feasibility: 4, cost: 1, risk: 2}}
    effort: 40
    kpis: [nrr]
  - id: blank-gap
    title: Not quantified yet
    stream: retention/onboarding
handoffs:
  - id: close-to-onboard
    name: '{SCRIPT}'
    from_engine: growth
    to_engine: retention
    incomplete_share: 40%
    gaps: [proposal-automation]
    integration_requirements: ['{FORMULA}']
    shared_metrics: [nrr]
    protocol: '{SCRIPT}'
governance:
  sponsor: '{FORMULA}'
  steering_committee: ['{SCRIPT}']
workshop:
  format: two_day
  participants:
    - {{name: '{FORMULA}', role: '{SCRIPT}', engine: growth}}
  prework: ['{SCRIPT}']
"""


@dataclass(frozen=True)
class Written:
    assessment: Assessment
    result: ReportResult

    def text(self, fmt: str) -> str:
        return self.result.main_files()[fmt].read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def hostile_canvas() -> Canvas:
    return parse_canvas(CANVAS)


@pytest.fixture(scope="session")
def hostile_report(hostile_canvas: Canvas, tmp_path_factory: pytest.TempPathFactory) -> Written:
    """Every format of the hostile canvas's report, written once."""
    out = tmp_path_factory.mktemp("report") / "out"
    assessment = assess(hostile_canvas, samples=2000, seed=1)
    result = write_report(assessment, out, start=dt.date(2027, 1, 4))
    return Written(assessment, result)


@pytest.fixture(scope="session")
def report_dir(hostile_report: Written) -> Path:
    return hostile_report.result.directory
