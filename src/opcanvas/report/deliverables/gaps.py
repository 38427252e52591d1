"""Deliverable 2: the Gap Analysis Report — the bottleneck inventory, the quantified impact of
each gap with its uncertainty (P10/P50/P90), root cause, solution concept and the formula lines
behind every dollar.
"""

from __future__ import annotations

from opcanvas.assess import Assessment
from opcanvas.canvas.gaps import Gap
from opcanvas.canvas.quantities import Range
from opcanvas.report.deliverables.common import FigureSet, merge, stream_label
from opcanvas.report.document import (
    Block,
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
    without_empty_columns,
)
from opcanvas.value import GapValue

MONEY_LINES = {"annual_value"}


def _gaps_of(a: Assessment, ref: str, bottleneck: str) -> list[Gap]:
    return [g for g in a.canvas.gaps if g.stream == ref and g.bottleneck == bottleneck]


def _inventory(a: Assessment) -> list[Block]:
    """Confirmed checklist items one per row (with evidence and dollars); open ones per stream."""
    confirmed, still_open = [], []
    for ref, stream in a.canvas.streams():
        for item in (b for b in stream.bottlenecks if b.checked):
            gaps = _gaps_of(a, ref, item.id)
            values = [v for g in gaps if (v := a.value_of(g.id)) is not None]
            measure = "" if item.measure is None else f" ({item.measure:g} {item.unit or ''})"
            confirmed.append(
                (
                    text(stream_label(a.canvas, ref)),
                    text(item.text + measure.replace(" )", ")")),
                    text(item.evidence or ""),
                    text(stream.step(item.step).name if item.step else ""),
                    text(", ".join(g.title or g.id for g in gaps)),
                    money(sum(v.annual_value for v in values), a.currency) if values else blank(),
                )
            )
        unchecked = [b.text for b in stream.bottlenecks if not b.checked]
        if unchecked:
            still_open.append((text(stream_label(a.canvas, ref)), text("; ".join(unchecked))))
    return [
        without_empty_columns(
            Table(
                ("Stream", "Confirmed bottleneck", "Evidence", "Step", "Gap", "Annual value"),
                tuple(confirmed),
                caption="Confirmed bottlenecks (checked in the workshop)",
                empty="No checklist item is confirmed yet.",
            ),
            keep=2,
        ),
        Table(
            ("Stream", "Checklist items not confirmed"),
            tuple(still_open),
            caption="Open checklist items (not confirmed yet)",
            empty="Every checklist item is confirmed.",
        ),
    ]


def _flagged(a: Assessment) -> Table:
    rows = []
    for ref, flow in a.flow.streams.items():
        for flag in flow.flags:
            if flag.severity == "info":
                continue
            step = next((s.name for s in flow.steps if s.id == flag.step), flag.step or "")
            rows.append(
                (text(stream_label(a.canvas, ref)), text(step), text(flag.severity),
                 text(flag.code), text(flag.message))
            )  # fmt: skip
    return Table(
        ("Stream", "Step", "Severity", "Flag", "What the flow figures show"),
        tuple(rows),
        caption="Steps flagged by the flow analysis",
        empty="No step crosses a flow threshold.",
    )


def _impact(a: Assessment) -> Table:
    cur = a.currency
    rows = []
    for value in sorted(a.values, key=lambda v: (-v.annual_value, v.gap_id)):
        key = f"gap:{value.gap_id}:"
        rows.append(
            (
                text(value.title),
                text(stream_label(a.canvas, value.stream)),
                Cell(value.annual_value, money(value.annual_value, cur).text, "money",
                     emphasis=True, link=key + "annual_value"),
                money(value.p10, cur),
                money(value.p50, cur),
                money(value.p90, cur),
                linked(money(value.implementation_cost, cur), key + "implementation_cost"),
                linked(percent(value.roi, 0), key + "roi"),
                number(None if value.payback_months is None else round(value.payback_months, 1)),
                money(value.npv, cur),
                percent(value.prob_negative_roi, 0),
            )
        )  # fmt: skip
    return Table(
        ("Gap", "Stream", "Annual value", "P10", "P50", "P90", "Cost", "ROI (year 1)",
         "Payback (months)", "NPV", "P(ROI < 0)"),
        tuple(rows),
        caption="Quantified impact per gap (point value; P10–P90 from the Monte Carlo)",
        empty="No gap is quantified yet.",
    )  # fmt: skip


def _concept(gap: Gap, a: Assessment) -> list[Block]:
    blocks: list[Block] = []
    stream = a.canvas.stream(gap.stream)
    parts = []
    if gap.bottleneck:
        item = next((b for b in stream.bottlenecks if b.id == gap.bottleneck), None)
        parts.append(f"Bottleneck: {item.text if item else gap.bottleneck}")
    if gap.step:
        parts.append(f"at step: {stream.step(gap.step).name}")
    if gap.handoff:
        parts.append(f"cross-engine handoff: {gap.handoff}")
    if gap.owner:
        parts.append(f"owner: {gap.owner}")
    if parts:
        blocks.append(Paragraph("; ".join(parts) + "."))
    if gap.root_cause:
        blocks.append(Paragraph(f"Root cause: {gap.root_cause}"))
    if gap.solution:
        kind = f" ({gap.solution_type.replace('_', ' ')})" if gap.solution_type else ""
        blocks.append(Paragraph(f"Solution concept{kind}: {gap.solution}"))
    if gap.readiness and (gap.readiness.data or gap.readiness.systems):
        needs = ", ".join([*gap.readiness.data, *gap.readiness.systems])
        level = f" (readiness {gap.readiness.level} of 5)" if gap.readiness.level else ""
        blocks.append(Paragraph(f"Needs{level}: {needs}."))
    missing = [n for n, v in (("root_cause", gap.root_cause), ("solution", gap.solution)) if not v]
    if missing:
        blocks.append(Missing(tuple(f"gaps.{gap.id}.{name}" for name in missing)))
    return blocks


def _range_text(q: Range) -> str:
    return f"{q.low:,.6g} to {q.high:,.6g}, {q.dist}"


def _lines(gap: Gap, value: GapValue, cur: str) -> Table:
    """Drivers (with their ranges), then every formula line in evaluation order."""
    rows = []
    for name, point_value in value.drivers.items():
        q = gap.drivers.get(name)
        spread = f"driver: {_range_text(q)}" if isinstance(q, Range) else "driver"
        rows.append((text(name), text(spread), number(point_value, 6)))
    for name, amount in value.lines.items():
        if name in value.drivers:
            continue
        rows.append(
            (
                Cell(name, name, emphasis=name == "annual_value"),
                text(value.formula_text.get(name, "")),
                money(amount, cur) if name in MONEY_LINES else number(amount, 6),
            )
        )
    note = " (the seed's built-in formula)" if value.builtin_formula else ""
    return Table(
        ("Name", "Driver range or formula", "Value at point estimates"),
        tuple(rows),
        caption=f"Value drivers and formula lines{note}",
    )


def _tornado(value: GapValue, cur: str) -> Table:
    rows = tuple(
        (text(bar.driver), money(bar.value_at_low, cur), money(bar.value_at_high, cur),
         money(bar.swing, cur))
        for bar in value.tornado
    )  # fmt: skip
    return Table(
        ("Driver", "Annual value at low", "at high", "Swing"),
        rows,
        caption="Sensitivity: one ranged driver at a time",
        empty="No driver is a range, so the value has no spread.",
    )


def _gap_section(a: Assessment, gap: Gap, figures: FigureSet) -> Section:
    value = a.value_of(gap.id)
    title = f"{gap.title or gap.id} ({stream_label(a.canvas, gap.stream)})"
    blocks = _concept(gap, a)
    if value is None:
        blocks.append(Missing((f"gaps.{gap.id}.drivers: no drivers or formulas, not valued",)))
        return Section(title, tuple(blocks))
    cur = a.currency
    blocks.append(
        Paragraph(
            f"Annual value {money(value.annual_value, cur).text} (P10 "
            f"{money(value.p10, cur).text}, P50 {money(value.p50, cur).text}, P90 "
            f"{money(value.p90, cur).text}); cost {money(value.implementation_cost, cur).text}; "
            f"first-year ROI {percent(value.roi, 0).text}."
        )
    )
    blocks.append(_lines(gap, value, cur))
    distribution = figures.get(f"chart:distribution:{gap.id}")
    if distribution is not None:
        blocks.append(distribution)
    tornado = figures.get(f"chart:tornado:{gap.id}")
    if tornado is not None:
        blocks.append(tornado)
    elif value.tornado:
        blocks.append(_tornado(value, cur))
    if value.zero_division:
        shares = ", ".join(f"{k} {v:.1%}" for k, v in sorted(value.zero_division.items()))
        blocks.append(Paragraph(f"Samples left out (division by zero): {shares}."))
    return Section(title, tuple(blocks))


def build_gaps(a: Assessment, figures: FigureSet) -> Deliverable:
    """Deliverable 2 from the assessment."""
    cur = a.currency
    total = money(a.total_annual_value(), cur).text
    quantified = len(a.values)
    inventory: list[Block] = [*_inventory(a), _flagged(a)]
    pareto = figures.get("chart:pareto")
    impact: list[Block] = [_impact(a)]
    if pareto is not None:
        impact.insert(0, pareto)
    if a.unquantified:
        impact.append(Missing(tuple(f"{gap_id}: {why}" for gap_id, why in a.unquantified)))
    sections = [
        Section("Bottleneck inventory", tuple(inventory)),
        Section("Quantified impact", tuple(impact)),
        *(_gap_section(a, gap, figures) for gap in a.canvas.gaps),
    ]
    return Deliverable(
        key="gaps",
        number="2",
        title="Gap Analysis Report",
        summary=(
            f"{quantified} gap{'s' if quantified != 1 else ''} quantified, worth {total} a year "
            f"at point values (the sum of the gaps; their P10–P90 bands do not add up). "
            f"{len(a.unquantified)} more await drivers."
        ),
        sections=tuple(sections),
        conventions=merge(tuple(a.conventions["value"].items())),
    )
