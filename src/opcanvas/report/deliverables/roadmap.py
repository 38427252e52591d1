"""Deliverable 3: the Transformation Roadmap — the prioritised backlog (score with the dollars
beside it), the four 90-day sprint plans with the seed's themes, ROI projections per initiative,
resource requirements, and the optimised plan against the plain greedy one.
"""

from __future__ import annotations

from opcanvas.assess import Assessment
from opcanvas.report.deliverables.common import FigureSet, merge, pick, stream_label
from opcanvas.report.document import (
    Block,
    Bullets,
    Cell,
    Deliverable,
    Missing,
    Paragraph,
    Section,
    Table,
    blank,
    linked,
    money,
    number,
    percent,
    text,
)
from opcanvas.roadmap import SprintPlan


def _backlog(a: Assessment) -> Table:
    cur = a.currency
    rows = []
    for r in a.priorities:
        value = a.value_of(r.gap_id)
        stream = stream_label(a.canvas, value.stream) if value else ""
        moves = f"{r.rank_low}–{r.rank_high}" if r.rank_low != r.rank_high else "stable"
        rows.append(
            (
                number(float(r.rank)),
                Cell(r.title, r.title, emphasis=r.rank <= 3),
                text(stream),
                number(round(r.score, 2)),
                linked(money(r.annual_value, cur), f"gap:{r.gap_id}:annual_value"),
                text(f"{r.value_score}·{r.alignment}·{r.feasibility}/{r.cost}·{r.risk}"),
                number(round(r.wsjf, 2)),
                number(float(r.wsjf_rank)),
                text(moves),
                text(", ".join(r.assumed) or "—"),
            )
        )
    return Table(
        ("Rank", "Initiative", "Stream", "Priority score", "Annual value", "V·A·F / C·R",
         "WSJF", "WSJF rank", "Rank if one score ±1", "Scores assumed (3)"),
        tuple(rows),
        caption="Prioritised opportunity backlog",
        empty="No quantified gap to rank yet.",
    )  # fmt: skip


def _dates(sprint: SprintPlan, days: int) -> str:
    first, last = (sprint.number - 1) * days + 1, sprint.number * days
    span = f"days {first}–{last}"
    if sprint.start and sprint.end:
        span += f", {sprint.start.isoformat()} to {sprint.end.isoformat()}"
    return span


def _sprint_section(a: Assessment, sprint: SprintPlan) -> Section:
    cur, days = a.currency, a.canvas.roadmap.sprint_days
    blocks: list[Block] = [Paragraph(f"Theme: {sprint.theme} ({_dates(sprint, days)}).")]
    if sprint.focus:
        blocks.append(Bullets(sprint.focus))
    rows = tuple(
        (
            text(p.title),
            text(stream_label(a.canvas, p.stream)),
            text(f"{p.start_sprint}–{p.finish_sprint}" if p.start_sprint != p.finish_sprint
                 else str(p.finish_sprint)),
            text("finishes" if p.finish_sprint == sprint.number else "in progress"),
            number(p.effort),
            money(p.cost, cur),
            money(p.annual_value, cur),
        )
        for p in sprint.running
    )  # fmt: skip
    blocks.append(
        Table(
            ("Initiative", "Stream", "Sprints", "Status", "Effort (person-days)", "Cost",
             "Annual value"),
            rows,
            caption="Initiatives in this sprint",
            empty="No initiative runs in this sprint.",
        )
    )  # fmt: skip
    capacity = (
        f" of {sprint.capacity_days:,.0f} available" if sprint.capacity_days is not None else ""
    )
    budget = f" of a {money(sprint.budget, cur).text} budget" if sprint.budget is not None else ""
    roi = f"; ROI of the initiatives finishing {percent(sprint.roi, 0).text}" if sprint.roi else ""
    blocks.append(
        Paragraph(
            f"Spend {money(sprint.cost, cur).text}{budget}; {sprint.people_days:,.0f} "
            f"person-days{capacity}. Finishing here: {money(sprint.value, cur).text} a year, "
            f"{money(sprint.first_year_value, cur).text} of it inside the first year{roi}."
        )
    )
    return Section(f"Sprint {sprint.number}: {sprint.name}", tuple(blocks))


def _roi(a: Assessment) -> Table:
    cur = a.currency
    finish = {p.gap_id: p for p in a.roadmap.placements()}
    rows = []
    for value in sorted(a.values, key=lambda v: (-v.annual_value, v.gap_id)):
        placed = finish.get(value.gap_id)
        rows.append(
            (
                text(value.title),
                linked(money(value.annual_value, cur), f"gap:{value.gap_id}:annual_value"),
                linked(
                    money(value.implementation_cost, cur), f"gap:{value.gap_id}:implementation_cost"
                ),
                money(value.running_cost, cur),
                linked(percent(value.roi, 0), f"gap:{value.gap_id}:roi"),
                text(
                    f"{percent(value.roi_p10, 0).text} to {percent(value.roi_p90, 0).text}"
                    if value.roi_p10 is not None and value.roi_p90 is not None
                    else "—"
                ),
                number(None if value.payback_months is None else round(value.payback_months, 1)),
                money(value.npv, cur),
                number(float(placed.finish_sprint)) if placed else blank("not scheduled"),
                money(placed.first_year_value, cur) if placed else blank(),
            )
        )
    return Table(
        ("Initiative", "Annual value", "Cost", "Running cost / year", "ROI (year 1)",
         "ROI P10 to P90", "Payback (months)", "NPV", "Finishes in sprint", "First-year value"),
        tuple(rows),
        caption="ROI projections by initiative",
        empty="No quantified initiative yet.",
    )  # fmt: skip


def _resources(a: Assessment) -> list[Block]:
    cur = a.currency
    sprints = a.roadmap.sprints
    rows = tuple(
        (
            text(f"{s.number}: {s.name}"),
            number(round(s.people_days, 1)),
            number(s.capacity_days) if s.capacity_days is not None else blank("unlimited"),
            money(s.cost, cur),
            money(s.budget, cur) if s.budget is not None else blank("unlimited"),
        )
        for s in sprints
    )
    lanes = sorted({lane for s in sprints for lane in s.resources})
    by_lane = tuple(
        (text(lane), *(number(round(s.resources.get(lane, 0.0), 1)) for s in sprints))
        for lane in lanes
    )
    return [
        Table(("Sprint", "Person-days needed", "Capacity", "Spend", "Budget"), rows,
              caption="People and money per sprint"),
        Table(("Swim lane / owner", *(f"Sprint {s.number}" for s in sprints)), by_lane,
              caption="Person-days by swim lane", empty="No effort recorded on the initiatives."),
    ]  # fmt: skip


def _compare(a: Assessment) -> list[Block]:
    cur = a.currency
    roadmap = a.roadmap
    optimised = {p.gap_id: p.finish_sprint for p in roadmap.placements()}
    greedy = {p.gap_id: p.finish_sprint for s in roadmap.greedy_sprints for p in s.finishing}
    moved = sorted(g for g in set(optimised) | set(greedy) if optimised.get(g) != greedy.get(g))
    titles = {v.gap_id: v.title for v in a.values}
    blocks: list[Block] = [
        Paragraph(
            f"First-year value: optimised plan {money(roadmap.value_optimised, cur).text}, "
            f"greedy plan (by priority rank, earliest sprint that fits) "
            f"{money(roadmap.value_greedy, cur).text}; the optimiser gains "
            f"{money(roadmap.value_gained, cur).text}. Solver: {roadmap.solver.get('engine')}, "
            f"{'optimal' if roadmap.solver.get('optimal') else roadmap.solver.get('status')}."
        ),
        Table(
            ("Initiative", "Optimised: finishes in sprint", "Greedy: finishes in sprint"),
            tuple(
                (text(titles.get(g, g)),
                 text(str(optimised[g]) if g in optimised else "not scheduled"),
                 text(str(greedy[g]) if g in greedy else "not scheduled"))
                for g in moved
            ),
            caption="Where the two plans differ",
            empty="Both plans schedule every initiative in the same sprint.",
        ),
    ]  # fmt: skip
    left = dict(roadmap.unscheduled)
    if left:
        blocks.append(Missing(tuple(f"{titles.get(g, g)}: {why}" for g, why in left.items())))
    if roadmap.notes:
        blocks.append(Bullets(roadmap.notes))
    return blocks


def _maturity(a: Assessment) -> Table:
    sprints = len(a.roadmap.sprints)
    rows = tuple(
        (
            text(stream_label(a.canvas, m.stream)),
            number(float(m.current)),
            number(float(m.target)),
            *(number(float(level)) for level in m.levels),
            text(f"sprint {m.reaches_target}" if m.reaches_target else "not within the roadmap"),
        )
        for m in a.roadmap.maturity
    )
    return Table(
        ("Stream", "Now", "Target", *(f"After sprint {n}" for n in range(1, sprints + 1)),
         "Target reached"),
        rows,
        caption="Maturity by stream (levels 1–5)",
        empty="No stream has a current and target maturity level yet.",
    )  # fmt: skip


def build_roadmap(a: Assessment, figures: FigureSet) -> Deliverable:
    """Deliverable 3 from the assessment."""
    cur = a.currency
    backlog: list[Block] = [_backlog(a)]
    matrix = figures.get("chart:matrix")
    if matrix is not None:
        backlog.append(matrix)
    plan: list[Block] = []
    gantt = figures.get("chart:roadmap")
    if gantt is not None:
        plan.append(gantt)
    plan += _compare(a)
    placed = len(a.roadmap.placements())
    return Deliverable(
        key="roadmap",
        number="3",
        title="Transformation Roadmap",
        summary=(
            f"{placed} initiative{'s' if placed != 1 else ''} planned into "
            f"{len(a.roadmap.sprints)} sprints of {a.canvas.roadmap.sprint_days} days, realising "
            f"{money(a.roadmap.value_optimised, cur).text} in the first year "
            f"({money(a.roadmap.value_gained, cur).text} more than the greedy plan)."
        ),
        sections=(
            Section("Prioritised backlog", tuple(backlog)),
            Section("The plan: optimised against greedy", tuple(plan)),
            *(_sprint_section(a, s) for s in a.roadmap.sprints),
            Section("ROI projections by initiative", (_roi(a),)),
            Section("Resource requirements", tuple(_resources(a))),
            Section("Maturity advancement", (_maturity(a),)),
        ),
        conventions=merge(_value_conventions(a), tuple(a.conventions["roadmap"].items())),
    )


def _value_conventions(a: Assessment) -> tuple[tuple[str, str], ...]:
    keys = ("priority", "score directions", "value tiers", "ROI", "payback", "NPV", "Monte Carlo")
    return pick(a.conventions["value"], *keys)
