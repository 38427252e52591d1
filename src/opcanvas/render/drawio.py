"""Value stream maps as draw.io files (mxGraph XML) in draw.io's lean-mapping shapes.

The file opens in draw.io (diagrams.net) and imports into Lucid and Miro, so a team can keep
editing the map opcanvas drew: process boxes (``manufacturing_process``) with data boxes
(``data_box``), queue triangles (``inventory_box``), supplier and customer (``outside_sources``),
the bottleneck's ``kaizen_lightening_burst``, decision diamonds, swim lanes as draw.io lanes,
and the lead-time ladder as a ``timeline``. Connections are real edges with their source and
target, so they follow the boxes when moved.

Labels are plain text (``html=0``), wrapped here, so user text can never become markup.
Measured figures read ``PT = 6h``, estimates ``PT ≈ 6h``, unknown ones ``PT = —``.

>>> from opcanvas.canvas import parse_canvas
>>> canvas = parse_canvas('''
... organization: Acme
... engines: {growth: {streams: {s: {name: S, steps: [{id: a, name: "<A>"}]}}}}
... ''')
>>> xml = to_drawio(canvas, "growth/s")
>>> xml.startswith("<mxfile") and "&lt;A&gt;" in xml
True
"""

from __future__ import annotations

from collections.abc import Sequence

from opcanvas.canvas.model import Canvas
from opcanvas.render.layout import BOX_W, COL_W, GAP, MARGIN, Box, Layout, Place, Point, layout
from opcanvas.render.mapmodel import MISSING, Figure, MapView, State, StepView, build_map
from opcanvas.render.svg import num
from opcanvas.render.text import esc, fit

LANE_HEADER = 28.0
FONT = "fontFamily=Helvetica;fontColor=#1f2933;"
TEXT = "text;html=0;whiteSpace=nowrap;strokeColor=none;fillColor=none;" + FONT
LEAN = "strokeWidth=2;html=0;" + FONT


def _value(lines: Sequence[str]) -> str:
    return "&#xa;".join(esc(line) for line in lines)


def _wrap(text: str, width: float, size: float, lines: int = 1, bold: bool = False) -> list[str]:
    return list(fit(text, width, size, max_lines=lines, bold=bold).lines)


class _Doc:
    """Cells in drawing order; ids are stable (derived from step ids and positions)."""

    def __init__(self) -> None:
        self.cells: list[str] = ['<mxCell id="0"/>', '<mxCell id="1" parent="0"/>']

    def vertex(self, cell_id: str, box: Box, style: str, lines: Sequence[str] = (),
               parent: str = "1", origin: Point = (0.0, 0.0)) -> None:  # fmt: skip
        x, y = box.x - origin[0], box.y - origin[1]
        self.cells.append(
            f'<mxCell id="{cell_id}" value="{_value(lines)}" style="{esc(style)}" vertex="1" '
            f'parent="{parent}"><mxGeometry x="{num(x)}" y="{num(y)}" width="{num(box.w)}" '
            f'height="{num(box.h)}" as="geometry"/></mxCell>'
        )

    def edge(self, cell_id: str, source: str | None, target: str | None, style: str,
             points: Sequence[Point], label: Sequence[str] = ()) -> None:  # fmt: skip
        ends = (f' source="{source}"' if source else "") + (f' target="{target}"' if target else "")
        geometry = '<mxGeometry relative="1" as="geometry">'
        if source is None:
            geometry += (
                f'<mxPoint x="{num(points[0][0])}" y="{num(points[0][1])}" as="sourcePoint"/>'
            )
        if target is None:
            geometry += (
                f'<mxPoint x="{num(points[-1][0])}" y="{num(points[-1][1])}" as="targetPoint"/>'
            )
        inner = points[1:-1]
        if inner:
            geometry += '<Array as="points">' + "".join(
                f'<mxPoint x="{num(x)}" y="{num(y)}"/>' for x, y in inner
            ) + "</Array>"  # fmt: skip
        self.cells.append(
            f'<mxCell id="{cell_id}" value="{_value(label)}" style="{esc(style)}" edge="1" '
            f'parent="1"{ends}>{geometry}</mxGeometry></mxCell>'
        )


def _figure_line(figure: Figure) -> str:
    sign = "≈" if figure.source == "estimate" else "="
    return f"{figure.label} {sign} {figure.text}"


def _lanes(doc: _Doc, plan: Layout) -> dict[int, tuple[str, Point]]:
    lanes: dict[int, tuple[str, Point]] = {}
    for index, band in enumerate(plan.bands):
        lane_id = f"lane-{index + 1}"
        style = (
            f"swimlane;horizontal=0;startSize={num(LANE_HEADER)};html=0;collapsible=0;"
            f"fillColor=#e4e7eb;swimlaneFillColor={'#f4f6f9' if index % 2 == 0 else '#ffffff'};"
            "strokeColor=#d5dbe3;fontStyle=1;fontSize=11;" + FONT
        )
        box = Box(MARGIN, band.y, plan.width - 2 * MARGIN, band.h)
        doc.vertex(lane_id, box, style, _wrap(band.name, band.h - 8, 11, bold=True))
        lanes[index] = (lane_id, (box.x, box.y))
    return lanes


def _step(doc: _Doc, view: MapView, step: StepView, place: Place, lane: tuple[str, Point]) -> None:
    parent, origin = lane
    header = step.role or step.lane  # people are in the data box
    changed = view.state == "future" and bool(step.changes)
    stroke = "#0f7b3f" if changed else "#3e4c59"
    style = (
        f"shape=mxgraph.lean_mapping.manufacturing_process;{LEAN}fontSize=10;align=center;"
        f"verticalAlign=top;spacing=0;spacingTop=1;strokeColor={stroke};"
    )
    lines = [*_wrap(header, place.box.w - 8, 10), ""]
    lines += _wrap(step.name, place.box.w - 8, 10, lines=2, bold=True)
    doc.vertex(f"step-{step.id}", place.box, style + "fontStyle=0;", lines, parent, origin)
    rows = [_figure_line(f) for f in step.data]
    rows.append("People = " + (step.people or MISSING))
    rows.append("Systems: " + (", ".join(step.systems) or MISSING))
    data = Box(place.data.x, place.data.y, place.data.w, 60)
    doc.vertex(
        f"data-{step.id}", data,
        f"shape=mxgraph.lean_mapping.data_box;strokeWidth=1;html=0;{FONT}fontSize=10;align=left;"
        "verticalAlign=top;spacing=0;spacingLeft=4;",
        [line for row in rows for line in _wrap(row, data.w - 8, 10)], parent, origin,
    )  # fmt: skip
    dashed = "dashed=1;" if step.queue.source in ("estimate", "missing") else ""
    triangle = Box(place.box.x - 46, place.box.y + 2, 24, 22)
    doc.vertex(
        f"queue-{step.id}", triangle,
        f"shape=mxgraph.lean_mapping.inventory_box;strokeWidth=1;html=0;{FONT}fillColor=#fde68a;"
        f"{dashed}fontSize=10;verticalLabelPosition=bottom;verticalAlign=top;spacing=0;",
        [("≈ " if step.queue.source == "estimate" else "") + step.queue.text], parent, origin,
    )  # fmt: skip
    notes = step.changes if changed else step.flags
    if notes:
        color = "#0f7b3f" if changed else "#b42318"
        lines = _wrap(("Δ " if changed else "⚑ ") + "; ".join(notes), place.box.w, 9, lines=2)
        doc.vertex(f"note-{step.id}", Box(place.box.x, place.data.y + 62, place.box.w, 24),
                   f"{TEXT}fontSize=9;fontColor={color};align=left;verticalAlign=top;", lines,
                   parent, origin)  # fmt: skip
    if step.bottleneck:
        doc.vertex(
            f"bottleneck-{step.id}", Box(place.box.right - 30, place.box.y - 20, 40, 24),
            "shape=mxgraph.lean_mapping.kaizen_lightening_burst;strokeWidth=2;"
            "fillColor=#ffd166;strokeColor=#c81e1e;html=0;fontSize=9;fontStyle=1;"
            "fontColor=#c81e1e;labelPosition=left;align=right;verticalAlign=middle;",
            ["Bottleneck"], parent, origin,
        )  # fmt: skip


def _edges(doc: _Doc, view: MapView, plan: Layout) -> None:
    push = "edgeStyle=none;html=0;rounded=0;strokeWidth=3;endArrow=block;endFill=1;" + FONT
    thin = "edgeStyle=none;html=0;rounded=0;strokeWidth=1.5;endArrow=block;endFill=1;" + FONT
    for step_id, (cx, cy) in sorted(plan.diamonds.items()):
        doc.vertex(f"decision-{step_id}", Box(cx - 9, cy - 9, 18, 18),
                   "rhombus;html=0;fillColor=#fef3c7;strokeColor=#3e4c59;")  # fmt: skip
    for edge in plan.edges:
        src = f"step-{edge.source}" if edge.source else None
        dst = f"step-{edge.target}" if edge.target else None
        if edge.kind == "flow":
            doc.edge(f"flow-{edge.source}-{edge.target}", src, dst, push, edge.points)
        elif edge.kind == "stem":
            doc.edge(f"stem-{edge.source}", src, f"decision-{edge.source}",
                     thin + "endArrow=none;", edge.points)  # fmt: skip
        elif edge.kind == "branch":
            label = _wrap(edge.label or "", 72, 9, lines=2, bold=True)
            doc.edge(f"branch-{edge.source}-{edge.target}", f"decision-{edge.source}", dst,
                     thin + "fontSize=9;fontStyle=1;labelBackgroundColor=#ffffff;",
                     edge.points, label)  # fmt: skip
        elif edge.kind == "rework":
            # from data box to data box: the route runs below the boxes, as in the SVG
            doc.edge(f"rework-{edge.source}-{edge.target}", f"data-{edge.source}",
                     f"data-{edge.target}",
                     thin + "dashed=1;strokeColor=#b42318;fontColor=#b42318;fontSize=9;",
                     edge.points, ["rework"])  # fmt: skip
        elif edge.kind == "start":
            doc.edge(f"start-{edge.target}", "supplier", dst, thin + "dashed=1;", edge.points)
        elif edge.kind == "end":
            doc.edge(f"end-{edge.source}", src, "customer", thin + "dashed=1;", edge.points)
        else:
            doc.edge(f"exit-{edge.source}", src, None, thin + "endArrow=baseDash;", edge.points)
    for step in view.steps:
        if step.handoff:
            place = plan.places[step.id]
            doc.vertex(f"handoff-{step.id}", Box(place.box.x - 24, place.port_y - 6, 12, 12),
                       "ellipse;html=0;fillColor=#d97706;strokeColor=#ffffff;")  # fmt: skip


def _timeline(view: MapView, plan: Layout) -> str:
    """``mainText`` of draw.io's timeline: width,label pairs, alternating low and high rungs."""
    critical: dict[int, StepView] = {}
    for step in view.steps:
        if step.critical:
            critical.setdefault(plan.places[step.id].column, step)
    parts = ["0", ""]
    for column in range(plan.columns):
        found = critical.get(column)
        wait = found.ladder_wait.text if found else ""
        work = found.ladder_work.text if found else ""
        parts += [num(GAP), wait, num(BOX_W), work]
    return ",".join(p.replace(",", " ").replace(";", " ").replace("=", " ") for p in parts)


def _frame(doc: _Doc, view: MapView, plan: Layout) -> None:
    width = plan.width - 2 * MARGIN
    doc.vertex("title", Box(MARGIN, 8, width, 24), TEXT + "fontSize=18;fontStyle=1;align=left;",
               _wrap(view.title, width, 18, bold=True))  # fmt: skip
    state = f"Future state: {view.scenario}" if view.state == "future" else "Current state"
    doc.vertex("subtitle", Box(MARGIN, 32, width, 16), TEXT + "fontSize=11;align=left;",
               _wrap(f"{state} · {view.ref} · {view.mode} mode", width, 11))  # fmt: skip
    style = f"shape=mxgraph.lean_mapping.outside_sources;{LEAN}fillColor=#ffffff;fontSize=10;"
    sup, cus = plan.supplier, plan.customer
    doc.vertex("supplier", sup, style + "labelPosition=right;align=left;spacingLeft=6;",
               ["Trigger", *_wrap(view.trigger or MISSING, 260, 10, lines=2),
                *([view.trigger_detail] if view.trigger_detail else [])])  # fmt: skip
    doc.vertex("customer", cus, style + "labelPosition=left;align=right;spacingRight=6;",
               [*_wrap(view.customer, 260, 10), f"Demand {view.demand or MISSING}",
                f"Takt {view.takt or MISSING}"])  # fmt: skip
    left = plan.column_x(0) - GAP
    doc.vertex("ladder", Box(left, plan.ladder_y + 6, plan.columns * COL_W, 56),
               f"shape=mxgraph.lean_mapping.timeline;mainText={_timeline(view, plan)};"
               "strokeWidth=2;html=0;fontSize=10;" + FONT)  # fmt: skip
    n = len(view.totals)
    tile = (width - 8 * (n - 1)) / max(n, 1)
    for index, total in enumerate(view.totals):
        lines = [total.label, total.text + (f" (now {total.before})" if total.before else "")]
        doc.vertex(f"total-{index + 1}", Box(MARGIN + index * (tile + 8), plan.totals_y + 4,
                                             tile, 44),
                   "rounded=1;html=0;fillColor=#f5f7fa;strokeColor=#cbd2d9;fontSize=12;"
                   "align=left;spacingLeft=8;" + FONT, lines)  # fmt: skip
    key = "Key: X = Y measured or derived · X ≈ Y workshop estimate · — not known"
    if view.measured_from:
        key += f" · measured from {view.measured_from}"
    doc.vertex("legend", Box(MARGIN, plan.legend_y + 4, width, 40),
               TEXT + "fontSize=9;align=left;verticalAlign=top;",
               [*_wrap(key, width, 9), *_wrap("Conventions: " + "; ".join(view.conventions),
                                              width, 9, lines=2)])  # fmt: skip


def draw_drawio(view: MapView, plan: Layout) -> str:
    """The mxGraph document of a laid-out map."""
    doc = _Doc()
    _frame(doc, view, plan)
    lanes = _lanes(doc, plan)
    for step in view.steps:
        place = plan.places[step.id]
        _step(doc, view, step, place, lanes[place.lane])
    _edges(doc, view, plan)
    name = esc(f"{view.title} ({view.state} state)")
    page = f'pageWidth="{num(max(plan.width, 1169))}" pageHeight="{num(max(plan.height, 827))}"'
    return (
        '<mxfile host="opcanvas" type="device">\n'
        f'<diagram id="{esc(view.ref.replace("/", "-"))}-{view.state}" name="{name}">\n'
        '<mxGraphModel dx="0" dy="0" grid="1" gridSize="10" guides="1" tooltips="1" '
        f'connect="1" arrows="1" fold="1" page="1" pageScale="1" {page} math="0" shadow="0">\n'
        "<root>\n" + "\n".join(doc.cells) + "\n</root>\n</mxGraphModel>\n</diagram>\n</mxfile>\n"
    )


def to_drawio(canvas: Canvas, ref: str, *, state: State = "current") -> str:
    """The value stream map of ``ref`` as an uncompressed draw.io (mxGraph XML) document."""
    view = build_map(canvas, ref, state=state)
    return draw_drawio(view, layout(view))
