"""The cross-engine dependency map drawn: engines as boxes, handoffs as labelled arrows.

Engines sit on a circle in canvas order (the standard four: Growth top left, Retention top right,
Efficiency bottom right, Innovation bottom left); each handoff is a curved arrow from its engine
to each receiving engine, bent to one side so that A → B and B → A stay apart, labelled with the
handoff's name and the annual value of the gaps it causes. Also as a Mermaid flowchart for
Markdown readers. Text goes through the SVG writer's escaping.
"""

from __future__ import annotations

import math

from opcanvas.assess import Assessment
from opcanvas.canvas.quantities import format_money
from opcanvas.render.svg import LINE, MUTED, Svg
from opcanvas.report.deliverables.common import engine_name

WIDTH, HEIGHT = 780.0, 520.0
BOX_W, BOX_H = 180.0, 64.0
BEND = 46.0  # how far an arrow bows away from the straight line
LABEL_W = 150.0
FILL = "#eaf1fb"
STROKE = "#1f5fa8"


def _positions(engines: list[str]) -> dict[str, tuple[float, float]]:
    cx, cy = WIDTH / 2, HEIGHT / 2
    rx, ry = WIDTH / 2 - BOX_W / 2 - 20, HEIGHT / 2 - BOX_H / 2 - 30
    count = max(len(engines), 1)
    found = {}
    for i, engine in enumerate(engines):
        angle = math.radians(-135 + 360 * i / count)
        found[engine] = (cx + rx * math.cos(angle) * math.sqrt(2) / 1.5,
                         cy + ry * math.sin(angle) * math.sqrt(2) / 1.5)  # fmt: skip
    return found


def _exit(center: tuple[float, float], toward: tuple[float, float]) -> tuple[float, float]:
    """Where the line from a box's centre toward a point leaves the box."""
    dx, dy = toward[0] - center[0], toward[1] - center[1]
    scale = min(
        (BOX_W / 2 + 4) / abs(dx) if dx else math.inf,
        (BOX_H / 2 + 4) / abs(dy) if dy else math.inf,
    )
    return center[0] + dx * scale, center[1] + dy * scale


def _arrow(svg: Svg, start: tuple[float, float], end: tuple[float, float]) -> tuple[float, float]:
    """A curved arrow between two box centres; returns the curve's midpoint for the label."""
    mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy) or 1.0
    control = (mx - dy / length * BEND, my + dx / length * BEND)  # bow to the left of travel
    p0, p2 = _exit(start, control), _exit(end, control)
    svg.path(
        f"M{p0[0]:.1f},{p0[1]:.1f} Q{control[0]:.1f},{control[1]:.1f} {p2[0]:.1f},{p2[1]:.1f}",
        fill="none",
        stroke=LINE,
        stroke_width=1.6,
    )
    tx, ty = p2[0] - control[0], p2[1] - control[1]
    norm = math.hypot(tx, ty) or 1.0
    ux, uy = tx / norm, ty / norm
    head = [(p2[0], p2[1]), (p2[0] - 10 * ux + 5 * uy, p2[1] - 10 * uy - 5 * ux),
            (p2[0] - 10 * ux - 5 * uy, p2[1] - 10 * uy + 5 * ux)]  # fmt: skip
    svg.polygon(head, fill=LINE)
    return (0.25 * p0[0] + 0.5 * control[0] + 0.25 * p2[0],
            0.25 * p0[1] + 0.5 * control[1] + 0.25 * p2[1])  # fmt: skip


def dependency_svg(a: Assessment) -> str | None:
    """The engine-level dependency map as an SVG document; None without handoffs."""
    deps = a.dependencies
    if not deps.engine_edges:
        return None
    engines = list(a.canvas.engines)
    places = _positions(engines)
    svg = Svg(WIDTH, HEIGHT, title=f"{a.canvas.organization}: cross-engine dependencies")
    names = {h.id: h for h in deps.handoffs}
    labels = []
    for source, target, handoff_id in deps.engine_edges:
        if source not in places or target not in places:
            continue
        middle = _arrow(svg, places[source], places[target])
        view = names.get(handoff_id)
        value = (
            f" · {format_money(view.gap_value, a.currency)}"
            if view is not None and view.gap_value
            else ""
        )
        labels.append((middle, (view.name if view else handoff_id) + value))
    for engine, (x, y) in places.items():
        streams = len(a.canvas.engines[engine].streams)
        svg.rect(x - BOX_W / 2, y - BOX_H / 2, BOX_W, BOX_H, rx=8, fill=FILL, stroke=STROKE,
                 stroke_width=1.5)  # fmt: skip
        svg.fitted_text(x, y - 4, engine_name(a.canvas, engine), width=BOX_W - 16, size=14,
                        anchor="middle", bold=True)  # fmt: skip
        svg.text(x, y + 16, f"{streams} stream{'s' if streams != 1 else ''}", size=10,
                 anchor="middle", fill=MUTED)  # fmt: skip
    for (x, y), label in labels:
        svg.rect(x - LABEL_W / 2, y - 12, LABEL_W, 26, rx=4, fill="#ffffff", opacity=0.9)
        svg.fitted_text(x, y - 1, label, width=LABEL_W - 6, size=9, max_lines=2,
                        line_height=10.5, anchor="middle")  # fmt: skip
    return svg.render()


def _mermaid_text(text: str) -> str:
    """A label safe inside Mermaid's double quotes (entity codes for the specials)."""
    out = " ".join(text.split())
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"),
                       ("`", "#96;"), ("|", "#124;")):  # fmt: skip
        out = out.replace(char, code)
    return out


def dependency_mermaid(a: Assessment) -> str | None:
    """The same map as a Mermaid flowchart; None without handoffs."""
    deps = a.dependencies
    if not deps.engine_edges:
        return None
    ids = {engine: f"e{i}" for i, engine in enumerate(a.canvas.engines)}
    lines = ["flowchart LR"]
    for engine, node in ids.items():
        lines.append(f'  {node}["{_mermaid_text(engine_name(a.canvas, engine))}"]')
    names = {h.id: h.name for h in deps.handoffs}
    for source, target, handoff_id in deps.engine_edges:
        if source in ids and target in ids:
            label = _mermaid_text(names.get(handoff_id, handoff_id))
            lines.append(f'  {ids[source]} -->|"{label}"| {ids[target]}')
    return "\n".join(lines) + "\n"
