"""Deliverable 4: the Governance Framework — weekly, monthly and quarterly rhythms with agendas
drawn from the canvas, the metrics dashboard requirements, the KPI lineage, the steering
committee charter and the change management approach, with the calendar file beside it.
"""

from __future__ import annotations

from opcanvas.assess import Assessment
from opcanvas.canvas.quantities import format_duration
from opcanvas.report.deliverables.common import FigureSet, merge
from opcanvas.report.document import (
    Block,
    Bullets,
    Deliverable,
    Files,
    Missing,
    Paragraph,
    Section,
    Table,
    blank,
    money,
    number,
    percent,
    text,
)

LEVELS = {"ceo": "CEO", "engine": "engine", "stream": "stream"}


def _rhythms(a: Assessment) -> list[Block]:
    pack = a.governance
    blocks: list[Block] = [
        Paragraph(
            f"Every review meets on a {pack.weekday.title()} at {pack.time} (local time); the "
            "calendar file below holds every meeting and sprint."
        )
    ]
    for review in pack.reviews:
        duration = format_duration(review.duration_minutes, a.canvas.calendar)
        who = ", ".join(review.attendees) or "the value stream owners and the transformation lead"
        blocks.append(Paragraph(f"{review.cadence.title()}: {review.name} ({duration}; {who})."))
        blocks.append(Bullets(review.agenda, ordered=True))
    return blocks


def _dashboard(a: Assessment) -> Table:
    rows = tuple(
        (
            text(item.name),
            text(LEVELS.get(item.level, item.level)),
            text(item.unit or ""),
            number(item.baseline),
            number(item.actual),
            number(item.target),
            text(item.indicator or "—"),
            text(item.owner or "—"),
            text(item.refresh),
            text(", ".join(item.reviewed_in) or "—"),
        )
        for item in a.governance.dashboard
    )
    return Table(
        ("KPI", "Level", "Unit", "Baseline", "Actual", "Target", "Indicator", "Owner",
         "Refresh", "Reviewed in"),
        rows,
        caption="Metrics dashboard requirements",
        empty="No KPIs in the canvas yet.",
    )  # fmt: skip


def _lineage(a: Assessment) -> Table:
    cur = a.currency
    rows = []
    for path, node in a.lineage.nodes.items():
        if node.level == "stream":
            continue  # stream metrics are on the dashboard; the lineage starts one level up
        depth = path.count("/")
        rows.append(
            (
                text(("  " * depth) + node.name),
                text(node.parent or "—"),
                text(", ".join(node.rollup_steps[:6]) + (" …" if len(node.rollup_steps) > 6 else "")
                     or "—"),
                text(", ".join(node.rollup_gaps) or "—"),
                money(node.rollup_value, cur) if node.rollup_gaps else blank(),
            )
        )  # fmt: skip
    return Table(
        ("KPI", "Rolls up into", "Driven by steps", "Gaps that move it", "Value of those gaps"),
        tuple(rows),
        caption="KPI lineage of the CEO and engine KPIs: KPI → workflow → gap → dollars",
        empty="No KPIs to trace yet.",
    )


def _tracking(a: Assessment) -> list[Block]:
    pack = a.governance
    blocks: list[Block] = []
    tracked = [t for t in pack.kpi_tracking if t.series]
    if tracked:
        blocks.append(
            Table(
                ("KPI", "Baseline", "Latest", "Target", "Progress to target", "Snapshots"),
                tuple(
                    (text(t.name), number(t.baseline), number(t.latest), number(t.target),
                     percent(t.progress, 0), number(float(len(t.series))))
                    for t in tracked
                ),
                caption="KPI tracking (dated snapshots beside the canvas)",
            )
        )  # fmt: skip
    cur = a.currency
    checks = tuple(
        (
            text(c.title),
            money(c.projected_annual, cur),
            text(c.go_live.isoformat() if c.go_live else "—"),
            money(c.realised, cur),
            money(c.projected_to_date, cur),
            percent(c.realisation, 0),
        )
        for c in pack.roi_validation
    )
    blocks.append(
        Table(
            ("Initiative", "Projected / year", "Go-live", "Realised", "Projected to date",
             "Realised ÷ projected"),
            checks,
            caption="ROI validation for the monthly steering committee",
            empty="No initiative planned yet, so nothing to validate.",
        )
    )  # fmt: skip
    return blocks


def _charter(a: Assessment) -> list[Block]:
    charter = a.governance.charter
    blocks: list[Block] = [Paragraph(f"Purpose: {charter.purpose}.")]
    members = ", ".join(charter.members)
    blocks.append(
        Paragraph(
            f"Sponsor: {charter.sponsor or 'not named yet'}. "
            f"Members: {members or 'not named yet'}. "
            f"Budget under its control: {money(charter.budget, a.currency).text} (the planned "
            "initiatives' implementation cost)."
        )
    )
    missing = [
        name
        for name, value in (("governance.sponsor", charter.sponsor), ("governance.steering_"
                            "committee", charter.members))
        if not value
    ]  # fmt: skip
    if missing:
        blocks.append(Missing(tuple(missing)))
    blocks += [Paragraph("Decision rights:"), Bullets(charter.decision_rights)]
    if charter.priorities:
        blocks += [Paragraph("Strategic priorities it steers by:"), Bullets(charter.priorities)]
    blocks += [Paragraph("Meets:"), Bullets(charter.cadence)]
    if charter.scope:
        scope = ", ".join(charter.scope)
        blocks.append(Paragraph(f"Scope: the value streams with planned initiatives: {scope}."))
    return blocks


def _change(a: Assessment) -> list[Block]:
    titles = {v.gap_id: v.title for v in a.values}
    rows = tuple(
        (
            text(f"{s.number}: {s.name}"),
            text(", ".join(titles.get(g, g) for g in s.finishing) or "—"),
            text(", ".join(titles.get(g, g) for g in s.in_flight if g not in s.finishing) or "—"),
            text(", ".join(s.kpis) or "—"),
        )
        for s in a.governance.sprints
    )
    return [
        Paragraph(a.governance.charter.change_management),
        Paragraph(
            "Each go-live gets its change plan: who is affected (the swim lanes of its stream), "
            "training before go-live, the KPIs that show adoption, and a review of realised "
            "value in the next monthly steering committee."
        ),
        Table(
            ("Sprint", "Going live", "In flight", "KPIs to watch"),
            rows,
            caption="Change calendar",
        ),
    ]


def build_governance(a: Assessment, figures: FigureSet, ics_file: str | None) -> Deliverable:
    """Deliverable 4; ``ics_file`` is the calendar written beside the report (or None)."""
    rhythms = _rhythms(a)
    if ics_file:
        rhythms.append(Files((("Calendar of every review and sprint (iCalendar)", ics_file),)))
    else:
        rhythms.append(Missing(("roadmap.start: a start date, to write the review calendar",)))
    dashboard: list[Block] = [_dashboard(a)]
    chart = figures.get("chart:kpis")
    if chart is not None:
        dashboard.insert(0, chart)
    dashboard += _tracking(a)
    return Deliverable(
        key="governance",
        number="4",
        title="Governance Framework",
        summary=(
            f"{len(a.governance.reviews)} review rhythms, {len(a.governance.dashboard)} KPIs on "
            "the dashboard, the steering committee charter and the change management approach."
        ),
        sections=(
            Section("Rhythms and agendas", tuple(rhythms)),
            Section("Metrics dashboard requirements", tuple(dashboard)),
            Section("KPI lineage", (_lineage(a),)),
            Section("Steering committee charter", tuple(_charter(a))),
            Section("Change management approach", tuple(_change(a))),
        ),
        conventions=merge(tuple(a.conventions["governance"].items())),
        landscape=True,
    )
