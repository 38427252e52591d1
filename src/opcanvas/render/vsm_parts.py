"""The frame of a value stream map: title, supplier and customer, the lead-time ladder, the
stream totals and the legend (icons, how measured values differ from estimates, conventions)."""

from __future__ import annotations

from opcanvas.render import icons
from opcanvas.render.layout import BOX_W, GAP, LABEL_W, MARGIN, Layout
from opcanvas.render.mapmodel import Figure, MapView, StepView
from opcanvas.render.svg import INK, LINE, MUTED, Svg
from opcanvas.render.text import text_width

MODE_TEXT = {
    "office": "office mode: PT, LT, %C&A (Martin & Osterling)",
    "manufacturing": "manufacturing mode: C/T, C/O, uptime, inventory (Rother & Shook)",
}


def draw_header(svg: Svg, view: MapView, plan: Layout) -> None:
    """Title, subtitle, the supplier/trigger on the left and the customer/demand on the right."""
    svg.open(id="header")
    svg.fitted_text(MARGIN, 26, view.title, width=plan.width - 2 * MARGIN, size=18, bold=True)
    kind = f"Future-state map: {view.scenario}" if view.state == "future" else "Current-state map"
    parts = [kind, view.ref] + ([f"owner: {view.owner}"] if view.owner else [])
    parts.append(MODE_TEXT[view.mode])
    svg.fitted_text(MARGIN, 43, " · ".join(parts), width=plan.width - 2 * MARGIN, size=11,
                    fill=MUTED)  # fmt: skip
    half = (plan.width - 2 * MARGIN) / 2 - 90
    sup = plan.supplier
    svg.open(id="supplier")
    icons.factory(svg, sup)
    x = sup.right + 10
    svg.text(x, sup.y + 10, "Trigger", size=10, bold=True, fill=LINE)
    used = svg.fitted_text(x, sup.y + 24, view.trigger or "—", width=half, size=10,
                           max_lines=2, fill=INK if view.trigger else MUTED)  # fmt: skip
    if view.trigger_detail:
        svg.fitted_text(x, sup.y + 24 + used * 12.5, view.trigger_detail, width=half, size=9.5,
                        fill=MUTED)  # fmt: skip
    svg.close()
    cus = plan.customer
    svg.open(id="customer")
    icons.factory(svg, cus)
    x = cus.x - 10
    svg.fitted_text(x, cus.y + 10, view.customer, width=half, size=10, bold=True,
                    anchor="end", fill=LINE)  # fmt: skip
    demand = [f"Demand {view.demand or '—'}", f"Takt {view.takt or '—'}"]
    svg.fitted_text(x, cus.y + 24, " · ".join(demand), width=half, size=10, anchor="end")
    if view.outcome:
        svg.fitted_text(x, cus.y + 37, view.outcome, width=half, size=9.5, anchor="end",
                        fill=MUTED)  # fmt: skip
    svg.close()
    svg.close()


def _ladder_dash(figure: Figure) -> str | None:
    return {"estimate": "5 3", "missing": "1 3"}.get(figure.source)


def _critical_by_column(view: MapView, plan: Layout) -> dict[int, StepView]:
    found: dict[int, StepView] = {}
    for step in view.steps:
        column = plan.places[step.id].column
        if step.critical and column not in found:
            found[column] = step
    return found


def _ladder_label(svg: Svg, x: float, y: float, figure: Figure, width: float) -> None:
    italic, bold = figure.source == "estimate", figure.source == "measured"
    fill = MUTED if figure.source == "missing" else INK
    svg.fitted_text(x, y, figure.text, width=width, size=10, anchor="middle", bold=bold,
                    italic=italic, fill=fill)  # fmt: skip


def draw_ladder(svg: Svg, view: MapView, plan: Layout) -> None:
    """The lead-time ladder along the critical path: waits up, work down."""
    up, down = plan.ladder_y + 22, plan.ladder_y + 46
    manufacturing = view.mode == "manufacturing"
    svg.open(id="ladder")
    svg.text(MARGIN + 8, up + 4, "Inventory" if manufacturing else "Wait", size=9.5, fill=MUTED)
    svg.text(MARGIN + 8, down + 4, "C/T" if manufacturing else "Work", size=9.5, fill=MUTED)
    critical = _critical_by_column(view, plan)
    for column in range(plan.columns):
        left = plan.column_x(column)
        gap_left, right = left - GAP, left + BOX_W
        step = critical.get(column)
        if step is None:
            svg.line(gap_left, up, right, up, stroke=MUTED, stroke_width=1.2,
                     stroke_dasharray="1 3")  # fmt: skip
            continue
        wait, work = step.ladder_wait, step.ladder_work
        svg.open(id=f"ladder-{step.id}")
        svg.line(gap_left, up, left, up, stroke=LINE, stroke_width=2,
                 stroke_dasharray=_ladder_dash(wait))  # fmt: skip
        svg.line(left, up, left, down, stroke=LINE, stroke_width=1)
        svg.line(left, down, right, down, stroke=LINE, stroke_width=2,
                 stroke_dasharray=_ladder_dash(work))  # fmt: skip
        svg.line(right, down, right, up, stroke=LINE, stroke_width=1)
        _ladder_label(svg, gap_left + GAP / 2, up - 6, wait, GAP - 6)
        _ladder_label(svg, left + BOX_W / 2, down + 14, work, BOX_W - 6)
        svg.close()
    svg.close()


def draw_totals(svg: Svg, view: MapView, plan: Layout) -> None:
    """The stream totals as tiles; a future-state map shows the current value beside each."""
    n = len(view.totals)
    gap = 8.0
    width = (plan.width - 2 * MARGIN - gap * (n - 1)) / max(n, 1)
    y = plan.totals_y + 4
    svg.open(id="totals")
    for index, total in enumerate(view.totals):
        x = MARGIN + index * (width + gap)
        slug = total.label.lower().replace("%", "").replace("&", "").replace(" ", "-")
        svg.open(id=f"total-{slug.strip('-')}")
        svg.rect(x, y, width, 50, rx=4, fill="#f5f7fa", stroke="#cbd2d9")
        svg.fitted_text(x + 8, y + 15, total.label, width=width - 16, size=9.5, fill=MUTED)
        svg.fitted_text(x + 8, y + 38, total.text, width=width - 16, size=16, bold=True)
        if total.before is not None:
            value_w = min(text_width(total.text, 16, bold=True), width - 16)
            svg.fitted_text(x + 14 + value_w, y + 38, f"now {total.before}",
                            width=width - 22 - value_w, size=9.5, fill=MUTED)  # fmt: skip
        svg.close()
    svg.close()


def _legend_entries(view: MapView, plan: Layout) -> list[tuple[str, str]]:
    """The icons this map uses, each with its meaning (unused icons are left out)."""
    kinds = {edge.kind for edge in plan.edges}
    steps = view.steps
    wanted = [
        ("box", "process step", True),
        ("triangle", "inventory: units · days" if view.mode == "manufacturing"
         else "wait before the step", True),
        ("push", "push", "flow" in kinds),
        ("diamond", "decision: share of work", bool(plan.diamonds)),
        ("handoff", "handoff between functions", any(s.handoff for s in steps)),
        ("burst", "bottleneck", any(s.bottleneck for s in steps)),
        ("chip", "system used", any(s.systems for s in steps)),
        ("rework", "rework", "rework" in kinds),
        ("exit", "leaves the stream", "exit" in kinds),
    ]  # fmt: skip
    return [(kind, label) for kind, label, used in wanted if used]


def _legend_icon(svg: Svg, kind: str, x: float, y: float) -> None:
    if kind == "box":
        svg.rect(x, y - 9, 16, 11, fill="#ffffff", stroke=LINE, stroke_width=1.2)
    elif kind == "triangle":
        icons.triangle(svg, x + 8, y - 11, 14, dashed=False, missing=False)
    elif kind == "push":
        icons.push_arrow(svg, [(x, y - 4), (x + 24, y - 4)])
    elif kind == "diamond":
        icons.diamond(svg, x + 7, y - 4, 6.5)
    elif kind == "handoff":
        icons.handoff(svg, x + 7, y - 4)
    elif kind == "burst":
        icons.kaizen_burst(svg, x + 7, y - 4, 7.5)
    elif kind == "rework":
        icons.thin_arrow(svg, [(x + 20, y - 4), (x, y - 4)], dash="5 3", color=icons.FLAG)
    elif kind == "exit":
        icons.thin_arrow(svg, [(x, y - 4), (x + 10, y - 4)])
        svg.line(x + 11, y - 10, x + 11, y + 2, stroke=LINE, stroke_width=2)
    else:
        svg.rect(x, y - 10, 18, 11, rx=3, fill="#e0e8f9", stroke="#9fb3c8", stroke_width=0.7)


def _legend_icons(svg: Svg, view: MapView, plan: Layout, y: float) -> None:
    x, right = MARGIN, plan.width - MARGIN
    for kind, label in _legend_entries(view, plan):
        icon_w = 28 if kind in ("push", "rework") else 20
        width = icon_w + text_width(label, 9.5)
        if x + width > right:  # never past the edge; the key's words are in the docs too
            break
        _legend_icon(svg, kind, x, y)
        svg.text(x + icon_w, y, label, size=9.5, fill=INK)
        x += width + 16


def draw_legend(svg: Svg, view: MapView, plan: Layout) -> None:
    """Icon key, the measured/estimate key with its source, and the conventions in force."""
    y = plan.legend_y + 12
    width = plan.width - 2 * MARGIN
    svg.open(id="legend")
    _legend_icons(svg, view, plan, y)
    x = MARGIN
    measured = f"measured from {view.measured_from}" if view.measured_from else "measured"
    for text, bold, italic in (
        (f"Bold: {measured}", True, False),
        ("Italic, dashed: workshop estimate", False, True),
        ("Regular: derived from other figures", False, False),
        ("—: not known", False, False),
    ):
        room = width - (x - MARGIN)
        used = min(text_width(text, 9.5, bold=bold), room)
        svg.fitted_text(x, y + 17, text, width=room, size=9.5, bold=bold, italic=italic)
        x += used + 18
        if x > MARGIN + width - 40:
            break
    svg.fitted_text(MARGIN, y + 31, "Conventions: " + "; ".join(view.conventions),
                    width=width, size=9, max_lines=2, line_height=11.5, fill=MUTED)  # fmt: skip
    svg.close()


__all__ = ["LABEL_W", "draw_header", "draw_ladder", "draw_legend", "draw_totals"]
