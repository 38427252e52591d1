"""Value stream maps as SVG, in the Learning to See icon vocabulary.

One map per stream: the supplier (trigger) and customer (demand, takt) above; swim lanes by
function with process boxes, data boxes, systems and the queue triangle before each step; push
arrows, decision diamonds with branch probabilities, handoff markers and the bottleneck's
kaizen burst; the lead-time ladder along the bottom and the stream totals under it. Measured
figures are bold, estimates italic (dashed on the ladder), unknown figures a dash.

The numbers are :func:`opcanvas.flow.analyze_stream`'s, formatted by
:mod:`opcanvas.render.mapmodel`; the drawing is :mod:`opcanvas.render.layout`'s. The output is
deterministic (ids from step ids, fixed number formatting, no timestamps), self-contained (no
fonts or images by URL) and every piece of user text is XML-escaped.

>>> from opcanvas.canvas import parse_canvas
>>> canvas = parse_canvas('''
... organization: Acme
... engines: {growth: {streams: {s: {name: S, steps: [{id: a, name: "<b>A</b>"}]}}}}
... ''')
>>> svg = render_vsm_svg(canvas, "growth/s")
>>> "&lt;b&gt;A&lt;/b&gt;" in svg and "<b>" not in svg
True
"""

from __future__ import annotations

from opcanvas.canvas.model import Canvas
from opcanvas.render import icons
from opcanvas.render.layout import (
    BOX_W,
    DATA_ROW,
    GAP,
    LABEL_W,
    MARGIN,
    NAME_LINE,
    NAME_MAX_LINES,
    NAME_SIZE,
    NOTE_LINE,
    NOTE_MAX_LINES,
    NOTE_SIZE,
    TAG_H,
    Layout,
    Place,
    layout,
    name_width,
    note_text,
)
from opcanvas.render.mapmodel import Figure, MapView, State, StepView, build_map
from opcanvas.render.svg import INK, LINE, MUTED, Svg
from opcanvas.render.text import text_width
from opcanvas.render.vsm_parts import draw_header, draw_ladder, draw_legend, draw_totals

BOX_LINE = "#3e4c59"
CHANGED = "#0f7b3f"
FLAG = icons.FLAG
LANE_FILLS = ("#f4f6f9", "#ffffff")


def figure_style(figure: Figure) -> dict[str, bool | str]:
    """Bold = measured, italic = estimate, regular = derived, muted dash = unknown."""
    return {
        "bold": figure.source == "measured",
        "italic": figure.source == "estimate",
        "fill": MUTED if figure.source == "missing" else INK,
    }


def _lanes(svg: Svg, view: MapView, plan: Layout) -> None:
    svg.open(id="lanes")
    right = plan.width - 16
    for index, band in enumerate(plan.bands):
        svg.rect(16, band.y, right - 16, band.h, fill=LANE_FILLS[index % 2], stroke="#d5dbe3")
        if band.name:
            svg.fitted_text(
                24, band.y + 20, band.name, width=LABEL_W - 12, size=10, max_lines=5, bold=True,
                fill=LINE,
            )  # fmt: skip
    x = MARGIN + LABEL_W
    svg.line(x, plan.lanes_top, x, plan.bands[-1].y + plan.bands[-1].h, stroke="#d5dbe3")
    if not view.steps:
        band = plan.bands[0]
        svg.text((x + right) / 2, band.y + band.h / 2, "No steps mapped yet", size=12,
                 anchor="middle", fill=MUTED)  # fmt: skip
    svg.close()


def _process_box(svg: Svg, step: StepView, place: Place, future: bool) -> None:
    box = place.box
    changed = future and bool(step.changes)
    svg.rect(
        box.x, box.y, box.w, box.h, fill="#ffffff", stroke=CHANGED if changed else BOX_LINE,
        stroke_width=2.2 if changed else 1.4,
    )  # fmt: skip
    svg.fitted_text(box.x + 6, box.y + 15, step.name, width=name_width(step), size=NAME_SIZE,
                    max_lines=NAME_MAX_LINES, line_height=NAME_LINE, bold=True)  # fmt: skip
    rule = box.bottom - 21
    svg.line(box.x, rule, box.right, rule, stroke="#9aa5b1", stroke_width=0.8)
    x = box.x + 6
    if step.people is not None:
        icons.operator(svg, x, rule + 5)
        svg.text(x + 10, rule + 15, step.people, size=9.5, fill=INK)
        x += 14 + text_width(step.people, 9.5)
    if step.role:
        svg.fitted_text(x, rule + 15, step.role, width=box.right - 6 - x, size=9.5, fill=MUTED)


def _data_box(svg: Svg, step: StepView, place: Place) -> None:
    data = place.data
    svg.rect(data.x, data.y, data.w, data.h, fill="#ffffff", stroke=BOX_LINE, stroke_width=1)
    for index, figure in enumerate(step.data):
        baseline = data.y + 3 + index * DATA_ROW + 11
        if index:
            svg.line(data.x + 4, baseline - 11.5, data.right - 4, baseline - 11.5,
                     stroke="#e4e7eb", stroke_width=0.8)  # fmt: skip
        svg.text(data.x + 6, baseline, figure.label, size=9.5, fill=MUTED)
        room = BOX_W - 18 - text_width(figure.label, 9.5)
        style = figure_style(figure)
        svg.fitted_text(
            data.right - 6, baseline, figure.text, width=room, size=10.5, anchor="end",
            bold=bool(style["bold"]), italic=bool(style["italic"]), fill=str(style["fill"]),
        )  # fmt: skip


def _tags(svg: Svg, step: StepView, place: Place) -> None:
    """Systems as small chips; what does not fit becomes a ``+N`` chip with a tooltip."""
    x, y, right = place.box.x, place.tags_y, place.box.right
    for index, system in enumerate(step.systems):
        rest = len(step.systems) - index
        more = f"+{rest}"
        width = min(text_width(system, 8.5) + 8, BOX_W)
        room_after = right - (x + width + 3)
        last_fits = rest == 1 or room_after >= text_width(f"+{rest - 1}", 8.5) + 8
        if x + width > right or not last_fits:
            if index == 0:
                width = right - x - text_width(more, 8.5) - 11
                _chip(svg, x, y, width, system)
                x += width + 3
                more = f"+{rest - 1}" if rest > 1 else ""
            if more:
                svg.open()
                svg.tooltip("Systems: " + ", ".join(step.systems))
                _chip(svg, x, y, text_width(more, 8.5) + 8, more)
                svg.close()
            return
        _chip(svg, x, y, width, system)
        x += width + 3


def _chip(svg: Svg, x: float, y: float, width: float, label: str) -> None:
    svg.rect(x, y, width, TAG_H, rx=3, fill="#e0e8f9", stroke="#9fb3c8", stroke_width=0.7)
    svg.fitted_text(x + 4, y + 10, label, width=width - 8, size=8.5, fill="#243b53")


def _note(svg: Svg, view: MapView, step: StepView, place: Place) -> None:
    text = note_text(view, step)
    if text is None:
        return
    color = CHANGED if text.startswith("Δ") else FLAG
    top = place.note_y if step.systems else place.tags_y + 2  # no chips: close up under the box
    svg.fitted_text(place.box.x, top + 8, text, width=BOX_W, size=NOTE_SIZE,
                    max_lines=NOTE_MAX_LINES, line_height=NOTE_LINE, fill=color)  # fmt: skip


def _queue(svg: Svg, step: StepView, place: Place) -> None:
    """The triangle in the gap before the step, with the wait (or inventory) under it."""
    cx = place.box.x - 34
    dashed = step.queue.source in ("estimate", "missing")
    svg.open(id=f"queue-{step.id}")
    svg.tooltip(f"{step.queue.label} before {step.name}: {step.queue.text}")
    icons.triangle(svg, cx, place.box.y + 2, 24, dashed=dashed,
                   missing=step.queue.source == "missing")  # fmt: skip
    style = figure_style(step.queue)
    svg.fitted_text(
        cx, place.box.y + 36, step.queue.text, width=GAP - 18, size=10, anchor="middle",
        bold=bool(style["bold"]), italic=bool(style["italic"]), fill=str(style["fill"]),
    )  # fmt: skip
    svg.close()


def _step(svg: Svg, view: MapView, step: StepView, place: Place) -> None:
    future = view.state == "future"
    svg.open(id=f"step-{step.id}")
    _process_box(svg, step, place, future)
    _data_box(svg, step, place)
    _tags(svg, step, place)
    _note(svg, view, step, place)
    if step.bottleneck:
        svg.open(id=f"bottleneck-{step.id}")
        svg.tooltip(f"Bottleneck: {step.name}")
        icons.kaizen_burst(svg, place.box.right - 3, place.box.y - 1, 12)
        svg.text(place.box.right - 18, place.box.y - 4, "Bottleneck", size=9, anchor="end",
                 bold=True, fill=icons.ACCENT)  # fmt: skip
        svg.close()
    svg.close()


def _edges(svg: Svg, view: MapView, plan: Layout) -> None:
    svg.open(id="flows")
    for edge in plan.edges:
        if edge.kind == "flow":
            icons.push_arrow(svg, edge.points)
        elif edge.kind == "stem":
            svg.polyline(edge.points, stroke=LINE, stroke_width=ARROW_STEM)
        elif edge.kind == "branch":
            icons.thin_arrow(svg, edge.points)
            if edge.label and edge.label_at:
                svg.fitted_text(edge.label_at[0], edge.label_at[1], edge.label,
                                width=edge.label_width, size=9, max_lines=4, line_height=10.5,
                                bold=True, fill=LINE)  # fmt: skip
        elif edge.kind == "rework":  # the legend names it; a label would sit on the notes
            svg.open(id=f"rework-{edge.source}")
            svg.tooltip(f"Rework: from {view.step(edge.source or '').name} back to "
                        f"{view.step(edge.target or '').name}")  # fmt: skip
            icons.thin_arrow(svg, edge.points, dash="5 3", color=FLAG)
            svg.close()
        elif edge.kind in ("start", "end"):
            icons.thin_arrow(svg, edge.points, dash="6 3")
        elif edge.kind == "exit":
            icons.thin_arrow(svg, edge.points)
            x, y = edge.points[-1]
            svg.line(x + 1, y - 6, x + 1, y + 6, stroke=LINE, stroke_width=2)
    for step_id, (cx, cy) in sorted(plan.diamonds.items()):
        svg.open(id=f"decision-{step_id}")
        svg.tooltip(f"Decision after {view.step(step_id).name}")
        icons.diamond(svg, cx, cy, 8)
        svg.close()
    for step in view.steps:
        if step.handoff and step.id in plan.places:
            place = plan.places[step.id]
            svg.open(id=f"handoff-{step.id}")
            svg.tooltip(f"Handoff into {step.name}" + (f" ({step.lane})" if step.lane else ""))
            icons.handoff(svg, place.box.x - 18, place.port_y)
            svg.close()
    svg.close()


ARROW_STEM = 2.0


def draw_vsm(view: MapView, plan: Layout) -> str:
    """The SVG document of a laid-out map."""
    state = "Future-state" if view.state == "future" else "Current-state"
    svg = Svg(plan.width, plan.height, title=f"{state} value stream map: {view.title}",
              desc=f"Value stream {view.ref}")  # fmt: skip
    svg.rect(0, 0, plan.width, plan.height, fill="#ffffff")
    draw_header(svg, view, plan)
    _lanes(svg, view, plan)
    for step in view.steps:
        _queue(svg, step, plan.places[step.id])
    _edges(svg, view, plan)
    for step in view.steps:
        _step(svg, view, step, plan.places[step.id])
    draw_ladder(svg, view, plan)
    draw_totals(svg, view, plan)
    draw_legend(svg, view, plan)
    return svg.render()


def render_vsm_svg(canvas: Canvas, ref: str, *, state: State = "current") -> str:
    """The value stream map of ``ref`` (``engine/stream``) as an SVG document.

    ``state="future"`` draws the stream with its ``future_state`` applied and the current
    totals beside the projected ones.
    """
    view = build_map(canvas, ref, state=state)
    return draw_vsm(view, layout(view))
