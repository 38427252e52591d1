"""Where everything on a value stream map goes: columns by flow order, rows by swim lane.

A step's column is its longest distance (in steps) from a start, so parallel branches stand side
by side and a join comes after both. Each swim lane is a horizontal band; two steps of one lane
in one column stack inside it. The SVG and draw.io renderers both draw this layout, so the two
files look alike.

>>> from opcanvas.canvas import parse_canvas
>>> from opcanvas.render.mapmodel import build_map
>>> canvas = parse_canvas('''
... organization: Acme
... engines: {growth: {streams: {s: {name: S, steps: [
...   {id: a, name: A, lane: Sales}, {id: b, name: B, lane: Ops},
...   {id: c, name: C, lane: Ops, after: [a]}, {id: d, name: D, lane: Sales, after: [b, c]}]}}}}
... ''')
>>> plan = layout(build_map(canvas, "growth/s"))
>>> [(p.id, p.column, p.row) for p in plan.places.values()]
[('a', 0, 0), ('b', 1, 1), ('c', 1, 2), ('d', 2, 0)]
"""

from __future__ import annotations

from dataclasses import dataclass

from opcanvas.render.mapmodel import MapView, StepView
from opcanvas.render.text import fit

MARGIN = 16.0
LABEL_W = 92.0  # swim-lane names, the supplier icon and the ladder's labels
GAP = 80.0  # between boxes: the queue triangle, the decision diamond, branch labels
BOX_W = 132.0
COL_W = GAP + BOX_W
END_GAP = 56.0  # after the last column: the line to the customer
TITLE_H = 50.0
OUTSIDE_H = 72.0
ROW_PAD = 15.0  # above a box: the bottleneck burst and the channel for long edges
NAME_SIZE = 11.0
NAME_LINE = 13.0
NAME_MAX_LINES = 3
NOTE_SIZE = 8.5
NOTE_LINE = 10.0
NOTE_MAX_LINES = 2
DATA_ROW = 15.0
DATA_H = 3 * DATA_ROW + 6
TAG_H = 14.0
ROW_BOTTOM = 6.0
ARROW_DY = 44.0  # flow arrows enter and leave a box this far below its top
LADDER_H = 72.0
TOTALS_H = 58.0
LEGEND_H = 58.0
MIN_WIDTH = 1040.0

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


@dataclass(frozen=True)
class Place:
    """A step's position: its process box, data box, systems tags and notes line."""

    id: str
    column: int
    row: int
    lane: int
    box: Box
    data: Box
    tags_y: float
    note_y: float
    note_h: float
    row_top: float
    row_bottom: float

    @property
    def port_y(self) -> float:
        return self.box.y + ARROW_DY


@dataclass(frozen=True)
class Band:
    """One swim lane: its name and its vertical extent."""

    name: str
    y: float
    h: float


@dataclass(frozen=True)
class Edge:
    """A drawn connection; ``kind`` is flow, branch, rework, start, end or exit."""

    source: str | None
    target: str | None
    kind: str
    points: tuple[Point, ...]
    label: str | None = None
    label_at: Point | None = None
    label_width: float = 0.0


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    columns: int
    bands: tuple[Band, ...]
    places: dict[str, Place]
    edges: tuple[Edge, ...]
    diamonds: dict[str, Point]
    supplier: Box
    customer: Box
    lanes_top: float
    ladder_y: float
    totals_y: float
    legend_y: float

    def column_x(self, column: int) -> float:
        """Left edge of the boxes in ``column``; its gap is the ``GAP`` px before it."""
        return MARGIN + LABEL_W + column * COL_W + GAP


def columns(view: MapView) -> dict[str, int]:
    """Longest path from a start, in steps; predecessors that do not exist are ignored."""
    ids = [s.id for s in view.steps]
    preds = {s.id: [p for p in s.after if p in ids] for s in view.steps}
    found: dict[str, int] = {}

    def visit(step_id: str, trail: frozenset[str]) -> int:
        if step_id in found:
            return found[step_id]
        inner = [p for p in preds[step_id] if p not in trail]  # a cycle: drop the back edge
        col = max((visit(p, trail | {step_id}) + 1 for p in inner), default=0)
        found[step_id] = col
        return col

    for step_id in ids:
        visit(step_id, frozenset())
    return {i: found[i] for i in ids}


def name_width(step: StepView) -> float:
    """Room for the step name in its process box (less beside the bottleneck's burst)."""
    return BOX_W - 12 - (14 if step.bottleneck else 0)


def note_text(view: MapView, step: StepView) -> str | None:
    """The line under a step: its future-state changes, else its warnings."""
    if view.state == "future" and step.changes:
        return "Δ " + "; ".join(step.changes)
    if step.flags:
        return "⚑ " + "; ".join(step.flags)
    return None


@dataclass(frozen=True)
class Rows:
    """Row heights: every process box as tall as the longest name needs; each lane's notes
    line as tall as that lane's longest note (lanes without notes stay compact)."""

    process_h: float
    note_h: dict[str, float]

    def row_h(self, lane: str) -> float:
        return ROW_PAD + self.process_h + DATA_H + 4 + TAG_H + 3 + self.note_h[lane] + ROW_BOTTOM


def _rows(view: MapView) -> Rows:
    names = [
        len(fit(s.name, name_width(s), NAME_SIZE, max_lines=NAME_MAX_LINES, bold=True).lines)
        for s in view.steps
    ]
    notes: dict[str, float] = {lane: 0.0 for lane in _lanes(view)}
    for step in view.steps:
        if text := note_text(view, step):
            lines = len(fit(text, BOX_W, NOTE_SIZE, max_lines=NOTE_MAX_LINES).lines)
            notes[step.lane] = max(notes[step.lane], NOTE_LINE * lines)
    return Rows(30 + NAME_LINE * max([2, *names]), notes)


def _lanes(view: MapView) -> list[str]:
    lanes: list[str] = []
    for step in view.steps:
        if step.lane not in lanes:
            lanes.append(step.lane)
    return lanes or [""]


def _place_steps(view: MapView, cols: dict[str, int], top: float, rows: Rows) -> tuple[
    dict[str, Place], list[Band]]:  # fmt: skip
    lanes = _lanes(view)
    slot: dict[tuple[str, int], int] = {}
    sub: dict[str, int] = {}
    for step in view.steps:
        key = (step.lane, cols[step.id])
        sub[step.id] = slot.get(key, 0)
        slot[key] = sub[step.id] + 1
    heights = {lane: max([n for (ln, _), n in slot.items() if ln == lane], default=1)
               for lane in lanes}  # fmt: skip
    bands, lane_top, y = [], {}, top
    for lane in lanes:
        lane_top[lane] = y
        bands.append(Band(lane, y, heights[lane] * rows.row_h(lane)))
        y += heights[lane] * rows.row_h(lane)
    places: dict[str, Place] = {}
    rows_before = {lane: sum(heights[ln] for ln in lanes[: lanes.index(lane)]) for lane in lanes}
    for step in view.steps:
        row_h = rows.row_h(step.lane)
        row_top = lane_top[step.lane] + sub[step.id] * row_h
        x = MARGIN + LABEL_W + cols[step.id] * COL_W + GAP
        box = Box(x, row_top + ROW_PAD, BOX_W, rows.process_h)
        data = Box(x, box.bottom, BOX_W, DATA_H)
        tags_y = data.bottom + 4
        places[step.id] = Place(
            step.id, cols[step.id], rows_before[step.lane] + sub[step.id],
            lanes.index(step.lane), box, data, tags_y, tags_y + TAG_H + 3,
            rows.note_h[step.lane], row_top, row_top + row_h,
        )  # fmt: skip
    return places, bands


def _flow_route(src: Place, dst: Place) -> tuple[Point, ...]:
    x1, y1, x2, y2 = src.box.right, src.port_y, dst.box.x, dst.port_y
    if dst.column == src.column + 1:
        if y1 == y2:
            return ((x1, y1), (x2, y2))
        return ((x1, y1), (x1 + 14, y1), (x1 + 14, y2), (x2, y2))
    # skipping columns: run along the channel above the boxes, never through them
    channel = min(src.row_top, dst.row_top) + 6
    xv = x2 - GAP + 10
    return ((x1, y1), (x1 + 14, y1), (x1 + 14, channel), (xv, channel), (xv, y2), (x2, y2))


def _branch_edges(step: StepView, places: dict[str, Place]) -> tuple[Point, list[Edge]]:
    src = places[step.id]
    cx, cy = src.box.right + 18, src.port_y
    edges = [Edge(step.id, None, "stem", ((src.box.right, cy), (cx - 9, cy)))]
    for branch in step.branches:
        if branch.to not in places:
            continue
        dst = places[branch.to]
        label = branch.probability + (f" {branch.label}" if branch.label else "")
        if dst.port_y == cy:
            points: tuple[Point, ...] = ((cx + 9, cy), (dst.box.x, cy))
            label_at = (cx + 11, cy + 11)
        else:
            start_y = cy - 9 if dst.port_y < cy else cy + 9
            points = ((cx, start_y), (cx, dst.port_y), (dst.box.x, dst.port_y))
            label_at = (cx + 4, dst.port_y + 11)
        width = dst.box.x - label_at[0] - 4
        edges.append(Edge(step.id, branch.to, "branch", points, label, label_at, width))
    return (cx, cy), edges


def _rework(src: Place, dst: Place) -> Edge:
    """Back along the bottom of the source row, then up the target's left side into its data
    box: below the flow arrows, clear of the boxes, tags and notes on the way."""
    y = src.row_bottom - 4
    start = (src.box.right - 24, src.data.bottom)
    side = dst.box.x - 6
    end = (dst.box.x, dst.data.y + dst.data.h / 2)
    points = (start, (start[0], y), (side, y), (side, end[1]), end)
    return Edge(src.id, dst.id, "rework", points, "rework")


def _edges(view: MapView, places: dict[str, Place], supplier: Box, customer: Box) -> tuple[
    list[Edge], dict[str, Point]]:  # fmt: skip
    edges: list[Edge] = []
    diamonds: dict[str, Point] = {}
    branch_pairs = {(s.id, b.to) for s in view.steps for b in s.branches}
    successors: set[str] = set()
    for step in view.steps:
        if step.branches:
            diamonds[step.id], branch_edges = _branch_edges(step, places)
            edges += branch_edges
            successors.add(step.id)
        for pred in step.after:
            if pred in places and (pred, step.id) not in branch_pairs:
                edges.append(
                    Edge(pred, step.id, "flow", _flow_route(places[pred], places[step.id]))
                )
                successors.add(pred)
    successors |= {s.id for s in view.steps if s.rework_to in places}
    last = max(p.column for p in places.values())
    trunk_x = MARGIN + LABEL_W + 8
    drop_y = supplier.bottom + 12
    for step in view.steps:
        place = places[step.id]
        points: tuple[Point, ...]
        if not [p for p in step.after if p in places]:
            points = ((supplier.cx, supplier.bottom), (supplier.cx, drop_y), (trunk_x, drop_y),
                      (trunk_x, place.port_y), (place.box.x, place.port_y))  # fmt: skip
            edges.append(Edge(None, step.id, "start", points))
        if step.id not in successors:
            if place.column == last:
                x_end = customer.cx
                points = ((place.box.right, place.port_y), (x_end, place.port_y),
                          (x_end, customer.bottom))  # fmt: skip
                edges.append(Edge(step.id, None, "end", points))
            else:
                points = ((place.box.right, place.port_y), (place.box.right + 10, place.port_y))
                edges.append(Edge(step.id, None, "exit", points))
        if step.rework_to and step.rework_to in places:
            edges.append(_rework(place, places[step.rework_to]))
    return edges, diamonds


def layout(view: MapView) -> Layout:
    """The positions of every box, lane, edge and band of ``view``."""
    cols = columns(view)
    n_cols = max(cols.values(), default=0) + 1
    width = max(MARGIN + LABEL_W + n_cols * COL_W + END_GAP + MARGIN, MIN_WIDTH)
    lanes_top = TITLE_H + OUTSIDE_H
    places, bands = _place_steps(view, cols, lanes_top, _rows(view))
    lanes_bottom = bands[-1].y + bands[-1].h if bands else lanes_top
    supplier = Box(MARGIN, TITLE_H + 6, 62, 44)
    # at the right edge: above the last column, or past it when the map is wider than its steps
    customer = Box(width - MARGIN - END_GAP / 2 - 31, TITLE_H + 6, 62, 44)
    edges, diamonds = _edges(view, places, supplier, customer) if places else ([], {})
    ladder_y = lanes_bottom + 6
    totals_y = ladder_y + LADDER_H
    legend_y = totals_y + TOTALS_H
    return Layout(
        width=width,
        height=legend_y + LEGEND_H,
        columns=n_cols,
        bands=tuple(bands),
        places=places,
        edges=tuple(edges),
        diamonds=diamonds,
        supplier=supplier,
        customer=customer,
        lanes_top=lanes_top,
        ladder_y=ladder_y,
        totals_y=totals_y,
        legend_y=legend_y,
    )
