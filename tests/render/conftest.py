"""Small fixed canvases for the value stream map tests (defined here, not from the templates,
which change as the product grows), and golden-file comparison.

Golden files live in ``tests/render/golden/``. After an intended change to the drawing,
regenerate them with::

    OPCANVAS_UPDATE_GOLDEN=1 uv run pytest tests/render -q

then look at the diff (and at the SVG) before committing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from opcanvas.canvas import Canvas, parse_canvas

GOLDEN = Path(__file__).parent / "golden"

OFFICE = """
organization: Golden Test Co
calendar: {hours_per_day: 8, days_per_week: 5, working_days_per_month: 20}
engines:
  growth:
    streams:
      quote:
        name: Request → Signed quote
        owner: Sales
        customer: Buyer
        outcome: Signed quote
        trigger: {event: Quote requested on the web form, source: external, volume: 20/week}
        demand: 4/day
        measured:
          source: crm-export.csv
          sha256: "0000"
          period_start: "2025-01-01"
          period_end: "2025-03-31"
          cases: 412
          events: 3100
          statistic: median
        steps:
          - {id: intake, name: Intake and triage, lane: Sales, role: SDR, people: 2,
             systems: [CRM], process_time: 30min, wait_time: 4h, complete_accurate: 90%,
             measured: {process_time: 20min, wait_time: 1d}}
          - {id: design, name: Solution design and pricing, lane: Presales,
             role: Solution engineer, people: 1, systems: [CRM, CPQ, Spreadsheet],
             process_time: 4h, wait_time: 3d, complete_accurate: 80%}
          - id: review
            name: Deal desk review
            lane: Finance
            process_time: 1h
            wait_time: 2d
            complete_accurate: 95%
            branches:
              - {to: send, probability: 70%, label: approved}
              - {to: rework, probability: 30%, label: changes}
          - {id: rework, name: Rework the quote, lane: Presales, process_time: 2h,
             rework_to: design}
          - {id: send, name: Send for signature, lane: Sales, systems: [DocuSign],
             process_time: 15min, wait_time: 1h, complete_accurate: 99%}
        future_state:
          name: CPQ templates
          changes:
            - {step: design, process_time: -75%}
            - {step: design, wait_time: 1d}
            - {step: review, complete_accurate: 99%}
"""

PARALLEL = """
organization: Parallel Co
engines:
  efficiency:
    streams:
      onboard:
        name: Contract → Live
        steps:
          - {id: kickoff, name: Kickoff, lane: PMO, process_time: 2h, wait_time: 1d}
          - {id: build, name: Build integration, lane: Engineering, after: [kickoff],
             process_time: 3d, wait_time: 2d}
          - {id: train, name: Train users, lane: Enablement, after: [kickoff],
             process_time: 1d, wait_time: 1d}
          - {id: live, name: Go live, lane: PMO, after: [build, train], process_time: 1h,
             wait_time: 4h}
"""

MANUFACTURING = """
organization: Bench Co
engines:
  efficiency:
    streams:
      bench:
        name: Tablet received → shipped
        mode: manufacturing
        demand: 120/day
        production: {shifts: 1, shift_length: 8h, breaks: 0min}
        steps:
          - {id: image, name: Image the device, lane: Bench, cycle_time: 3min,
             changeover: 20min, uptime: 85%, inventory_before: 480, people: 1, batch_size: 20}
          - {id: test, name: Functional test, lane: Quality, cycle_time: 2.5min,
             changeover: 0min, uptime: 95%, inventory_before: 240, people: 1}
"""

HOSTILE_NAME = '<script>alert("x")</script> =HYPERLINK("http://evil.example","click") & \'q\''
# JSON is YAML, and json.dumps quotes anything safely
HOSTILE = json.dumps(
    {
        "organization": "<b>Org</b>",
        "engines": {
            "growth": {
                "streams": {
                    "s": {
                        "name": HOSTILE_NAME,
                        "customer": "]]> --> <!-- {{injected}}",
                        "trigger": {"event": '"]; click s1 call alert() %%{init: {}}%%'},
                        "steps": [
                            {
                                "id": "a",
                                "name": HOSTILE_NAME,
                                "lane": "<i>Lane</i>",
                                "role": "=cmd|' /C calc'!A0",
                                "systems": ["<img src=x onerror=alert(1)>"],
                                "process_time": "1h",
                                "wait_time": "2h",
                                "branches": [
                                    {"to": "b", "probability": "50%", "label": "<b>yes</b>"},
                                    {"to": "c", "probability": "50%", "label": "-->|x| s9"},
                                ],
                            },
                            {
                                "id": "b",
                                "name": "B\a\b bell",
                                "lane": "<i>Lane</i>",
                                "process_time": "1h",
                            },
                            {
                                "id": "c",
                                "name": "C `code` #35; [x] {y} (z) |w|",
                                "process_time": "1h",
                            },
                        ],
                    }
                }
            }
        },
    }
)


@pytest.fixture(scope="session")
def office_yaml() -> str:
    return OFFICE


@pytest.fixture(scope="session")
def office() -> Canvas:
    return parse_canvas(OFFICE)


@pytest.fixture(scope="session")
def parallel() -> Canvas:
    return parse_canvas(PARALLEL)


@pytest.fixture(scope="session")
def manufacturing() -> Canvas:
    return parse_canvas(MANUFACTURING)


@pytest.fixture(scope="session")
def hostile() -> Canvas:
    return parse_canvas(HOSTILE)


@pytest.fixture(scope="session")
def hostile_name() -> str:
    """The name every step of the hostile canvas's first step carries."""
    return HOSTILE_NAME


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare text with ``golden/NAME``; with OPCANVAS_UPDATE_GOLDEN=1 rewrite it instead."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if os.environ.get("OPCANVAS_UPDATE_GOLDEN") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"{path} is missing; run with OPCANVAS_UPDATE_GOLDEN=1 to create it"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, (
            f"{name} differs from its golden file; if the change is intended, regenerate with "
            "OPCANVAS_UPDATE_GOLDEN=1 uv run pytest tests/render and review the diff"
        )

    return check
