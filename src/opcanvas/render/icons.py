"""The Learning to See icons, drawn with plain SVG shapes (no fonts, no images).

Outside source (customer/supplier factory), inventory triangle, push arrow (striped), operator,
kaizen burst, decision diamond and a handoff marker. Each takes an :class:`Svg` and positions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from opcanvas.render.layout import Box, Point
from opcanvas.render.svg import LINE, Svg, num

ACCENT = "#c81e1e"  # bottleneck
FLAG = "#b42318"  # warnings and rework
BURST_FILL = "#ffd166"
HANDOFF = "#d97706"
DECISION_FILL = "#fef3c7"
ARROW_W = 6.0


def factory(svg: Svg, box: Box) -> None:
    """An outside source (customer or supplier): a factory with a saw-tooth roof."""
    x, y, w, h = box.x, box.y, box.w, box.h
    roof = y + h * 0.38
    svg.polygon(
        [(x, y + h), (x, roof), (x + w / 3, y), (x + w / 3, roof), (x + 2 * w / 3, y),
         (x + 2 * w / 3, roof), (x + w, y), (x + w, y + h)],
        fill="#ffffff", stroke=LINE, stroke_width=1.5,
    )  # fmt: skip
    svg.rect(x + w * 0.42, y + h * 0.62, w * 0.16, h * 0.38, fill=LINE)


def triangle(svg: Svg, cx: float, top: float, size: float, *, dashed: bool, missing: bool) -> None:
    """An inventory (queue) triangle with the letter I, as in Learning to See."""
    h = size * 0.9
    svg.polygon(
        [(cx, top), (cx + size / 2, top + h), (cx - size / 2, top + h)],
        fill="#ffffff" if missing else "#fde68a",
        stroke=LINE,
        stroke_width=1.3,
        stroke_dasharray="3 2" if dashed else None,
    )
    svg.line(cx, top + h * 0.45, cx, top + h * 0.85, stroke=LINE, stroke_width=1.6)


def arrowhead(svg: Svg, tip: Point, tail: Point, *, size: float = 8.0, fill: str = LINE) -> None:
    """A filled arrowhead at ``tip``, pointing away from ``tail``."""
    angle = math.atan2(tip[1] - tail[1], tip[0] - tail[0])
    left = (tip[0] - size * math.cos(angle - 0.45), tip[1] - size * math.sin(angle - 0.45))
    right = (tip[0] - size * math.cos(angle + 0.45), tip[1] - size * math.sin(angle + 0.45))
    svg.polygon([tip, left, right], fill=fill)


def _path(points: Sequence[Point]) -> str:
    return "M" + " L".join(f"{num(x)} {num(y)}" for x, y in points)


def push_arrow(svg: Svg, points: Sequence[Point]) -> None:
    """The striped push arrow: a dark band overlaid with white dashes, and a solid head."""
    shortened = [*points[:-1], _back_off(points[-2], points[-1], 7.0)]
    d = _path(shortened)
    svg.path(d, fill="none", stroke=LINE, stroke_width=ARROW_W, stroke_linejoin="miter")
    svg.path(d, fill="none", stroke="#ffffff", stroke_width=ARROW_W - 2.4, stroke_dasharray="3 3")
    arrowhead(svg, points[-1], points[-2], size=11.0)


def thin_arrow(svg: Svg, points: Sequence[Point], *, dash: str | None = None,
               color: str = LINE) -> None:  # fmt: skip
    """A plain connector with a head (branches, rework, start and end lines)."""
    shortened = [*points[:-1], _back_off(points[-2], points[-1], 5.0)]
    svg.path(_path(shortened), fill="none", stroke=color, stroke_width=1.4, stroke_dasharray=dash)
    arrowhead(svg, points[-1], points[-2], size=7.0, fill=color)


def _back_off(tail: Point, tip: Point, by: float) -> Point:
    dx, dy = tip[0] - tail[0], tip[1] - tail[1]
    length = math.hypot(dx, dy) or 1.0
    by = min(by, length)
    return (tip[0] - dx / length * by, tip[1] - dy / length * by)


def operator(svg: Svg, x: float, y: float) -> None:
    """The operator icon: a head above a half-round body; ``(x, y)`` is its top-left."""
    svg.circle(x + 4, y + 2.6, 2.4, fill=LINE)
    svg.path(f"M{num(x)} {num(y + 10)} A4 4 0 0 1 {num(x + 8)} {num(y + 10)} Z", fill=LINE)


def kaizen_burst(svg: Svg, cx: float, cy: float, r: float) -> None:
    """A kaizen burst: a jagged star marking where improvement is needed."""
    points = []
    for i in range(24):
        radius = r if i % 2 == 0 else r * 0.58
        angle = math.pi * i / 12 - math.pi / 2
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    svg.polygon(points, fill=BURST_FILL, stroke=ACCENT, stroke_width=1.4)


def diamond(svg: Svg, cx: float, cy: float, r: float) -> None:
    """A decision point."""
    svg.polygon(
        [(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)],
        fill=DECISION_FILL, stroke=LINE, stroke_width=1.3,
    )  # fmt: skip


def handoff(svg: Svg, cx: float, cy: float) -> None:
    """A handoff between functions: an amber disc with two opposed arrows."""
    svg.circle(cx, cy, 6.5, fill=HANDOFF, stroke="#ffffff", stroke_width=1.2)
    svg.path(
        f"M{num(cx - 3.5)} {num(cy - 1.5)} H{num(cx + 3)} M{num(cx + 1)} {num(cy - 3.5)} "
        f"L{num(cx + 3.5)} {num(cy - 1.5)} M{num(cx + 3.5)} {num(cy + 1.8)} H{num(cx - 3)} "
        f"M{num(cx - 1)} {num(cy + 3.8)} L{num(cx - 3.5)} {num(cy + 1.8)}",
        fill="none", stroke="#ffffff", stroke_width=1.2,
    )  # fmt: skip
