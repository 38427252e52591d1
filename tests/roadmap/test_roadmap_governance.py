"""Governance: agendas drawn from the canvas, .ics export, tracking, ROI validation, lineage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import icalendar
import pytest

from opcanvas.canvas import Canvas
from opcanvas.canvas.gaps import RealisedValue
from opcanvas.errors import CanvasError
from opcanvas.roadmap import Roadmap
from opcanvas.roadmap.governance import governance_pack
from opcanvas.roadmap.ics import fold, to_ics
from opcanvas.roadmap.lineage import kpi_lineage
from opcanvas.roadmap.tracking import kpi_tracks, load_tracking, tracking_path
from opcanvas.value import quantify

Plan = Callable[[Canvas], Roadmap]


def test_reviews_look_at_the_right_kpis(example: Canvas, plan: Plan) -> None:
    pack = governance_pack(example, plan(example))
    weekly, monthly, quarterly = pack.reviews
    assert [k.path for k in weekly.kpis] == [
        "growth/mql-to-close/cycle", "growth/mql-to-close/proposal-time",
        "retention/onboarding/ttv",
    ]  # fmt: skip
    assert [k.path for k in monthly.kpis] == ["growth/win-rate", "retention/grr"]
    assert [k.path for k in quarterly.kpis] == ["arr-growth", "nrr", "growth/win-rate",
                                                "retention/grr"]  # fmt: skip
    assert "In flight in sprint 1 (Foundation): AI-powered proposal automation" in weekly.agenda
    assert weekly.agenda[0] == "Value stream health check (key metrics review)"
    assert monthly.attendees == ("COO", "VP Sales", "VP Customer Success", "CFO")
    assert (weekly.duration_minutes, monthly.duration_minutes) == (60, 120)
    assert pack.sprints[1].in_flight == ("contract-approvals",)
    assert pack.sprints[1].kpis == ("growth/mql-to-close/cycle",)
    assert pack.charter.budget == 160_000
    assert pack.charter.scope == ("growth/mql-to-close", "retention/onboarding")
    refresh = {d.kpi: d.refresh for d in pack.dashboard}
    assert refresh["nrr"] == "quarterly"
    assert refresh["growth/win-rate"] == "monthly"
    assert refresh["growth/mql-to-close/cycle"] == "weekly"


def test_ics_is_valid_rfc5545_and_deterministic(example: Canvas, plan: Plan) -> None:
    pack = governance_pack(example, plan(example))
    text = to_ics(pack, dt.date(2027, 1, 4))
    assert text == to_ics(pack, dt.date(2027, 1, 4))
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "\n" not in text.replace("\r\n", "")
    calendar = icalendar.Calendar.from_ical(text)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    weekly = events["Value stream health check (weekly)"]
    assert weekly["DTSTART"].dt == dt.datetime(2027, 1, 5, 10, 0)  # first Tuesday
    assert weekly["RRULE"]["COUNT"] == [52] and weekly["RRULE"]["BYDAY"] == ["TU"]
    monthly = events["Transformation steering committee (monthly)"]
    assert monthly["RRULE"]["BYDAY"] == ["1TU"] and monthly["RRULE"]["COUNT"] == [12]
    quarterly = events["Business review with exec leadership (quarterly)"]
    assert quarterly["DTSTART"].dt == dt.datetime(2027, 3, 30, 10, 0)  # last week of sprint 1
    assert quarterly["RRULE"]["INTERVAL"] == [13] and quarterly["RRULE"]["COUNT"] == [4]
    sprint2 = events["Sprint 2: Acceleration"]
    assert (sprint2["DTSTART"].dt, sprint2["DTEND"].dt) == (
        dt.date(2027, 4, 4),
        dt.date(2027, 7, 3),
    )
    assert "contract-approvals" in str(sprint2["DESCRIPTION"])
    assert "Key metrics: Cycle Time: MQL → Close" in str(weekly["DESCRIPTION"])
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert len(set(uids)) == len(uids) == 7


def test_folding_never_splits_a_character() -> None:
    line = "DESCRIPTION:" + "→" * 40
    folded = fold(line)
    assert folded.replace("\r\n ", "") == line
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))


def test_tracking_file_beside_the_canvas(example: Canvas, tmp_path: Path) -> None:
    assert tracking_path("dir/northwind.yaml") == Path("dir/northwind.tracking.yaml")
    path = tmp_path / "c.tracking.yaml"
    assert load_tracking(path).snapshots == []
    path.write_text(
        "snapshots:\n"
        "  - date: 2027-03-01\n"
        "    kpis: {nrr: {actual: 105}, growth/mql-to-close/cycle: {actual: 55}}\n"
        "  - date: 2027-02-01\n"
        "    kpis: {nrr: {actual: 103, target: 112}}\n",
        encoding="utf-8",
    )
    tracks = {t.kpi: t for t in kpi_tracks(example, load_tracking(path, example))}
    nrr = tracks["nrr"]
    assert nrr.series == ((dt.date(2027, 2, 1), 103.0), (dt.date(2027, 3, 1), 105.0))
    assert nrr.target == 112 and nrr.baseline == 102
    assert nrr.progress == pytest.approx((105 - 102) / (112 - 102))
    assert tracks["growth/mql-to-close/cycle"].latest == 55


def test_tracking_file_with_an_unknown_kpi(example: Canvas, tmp_path: Path) -> None:
    path = tmp_path / "c.tracking.yaml"
    path.write_text("snapshots:\n  - date: 2027-03-01\n    kpis: {nps: {actual: 1}}\n")
    with pytest.raises(CanvasError) as info:
        load_tracking(path, example)
    assert 'no KPI "nps"' in str(info.value)
    assert "c.tracking.yaml:3" in str(info.value)


def test_roi_validation_compares_realised_with_projected(example: Canvas, plan: Plan) -> None:
    canvas = example.model_copy(deep=True)
    gap = canvas.gaps[0]  # proposal automation: live at the end of sprint 1 (2027-04-03)
    gap.realised = [
        RealisedValue(date="2027-05-03", value=60_000),  # period amounts: 110K by 2027-06-02
        RealisedValue(date="2027-06-02", value=50_000),
    ]
    pack = governance_pack(canvas, plan(canvas))
    check = next(c for c in pack.roi_validation if c.gap_id == "proposal-automation")
    assert check.go_live == dt.date(2027, 4, 3)
    assert check.realised == 110_000
    assert check.projected_to_date == pytest.approx(1_440_000 * 60 / 365)
    assert check.realisation == pytest.approx(110_000 / (1_440_000 * 60 / 365))
    assert check.realised_roi == pytest.approx((110_000 - 50_000) / 50_000)
    other = next(c for c in pack.roi_validation if c.gap_id == "crm-handoff")
    assert other.realised_roi is None and other.realised == 0


def test_kpi_lineage_traces_to_steps_gaps_and_dollars(example: Canvas, plan: Plan) -> None:
    tree = kpi_lineage(example, quantify(example, samples=10), plan(example))
    assert tree.roots == ("arr-growth", "nrr")
    arr = tree.nodes["arr-growth"]
    assert arr.children == ("growth/win-rate",)
    assert arr.rollup_gaps == ("proposal-automation", "contract-approvals")
    assert arr.rollup_value == 2_160_000
    assert arr.rollup_steps == ("growth/mql-to-close/contract", "growth/mql-to-close/proposal")
    cycle = tree.nodes["growth/mql-to-close/cycle"]
    assert [g.gap_id for g in cycle.gaps] == ["proposal-automation", "contract-approvals"]
    assert [g.finish_sprint for g in cycle.gaps] == [1, 2]
    assert cycle.value == 2_160_000
    assert tree.ancestors("growth/mql-to-close/proposal-time") == [
        "growth/mql-to-close/proposal-time", "growth/mql-to-close/cycle", "growth/win-rate",
        "arr-growth",
    ]  # fmt: skip
    assert tree.nodes["nrr"].rollup_value == 216_000
    assert tree.unlinked_gaps == ()


def test_maturity_advances_with_the_roadmap(example: Canvas, plan: Plan) -> None:
    paths = {m.stream: m for m in plan(example).maturity}
    sales = paths["growth/mql-to-close"]
    # 1.44M of 2.16M done after sprint 1: 2 + floor(2 × 2/3) = 3; all done after sprint 2: 4
    assert (sales.current, sales.target, sales.levels) == (2, 4, (3, 4, 4, 4))
    assert sales.reaches_target == 2
    assert paths["retention/onboarding"].levels == (1, 1, 3, 3)
