"""Deliverable 5: the Cross-Engine Dependency Map — critical handoffs, integration requirements,
shared metric definitions, collaboration protocols, and the graph.
"""

from __future__ import annotations

from opcanvas.assess import Assessment
from opcanvas.canvas.quantities import format_duration, format_percent
from opcanvas.canvas.references import kpi_index
from opcanvas.report.deliverables.common import FigureSet, engine_name
from opcanvas.report.document import (
    Block,
    Deliverable,
    Missing,
    Paragraph,
    Section,
    Table,
    blank,
    money,
    text,
)
from opcanvas.roadmap.dependencies import HandoffView

SEED_HANDOFFS = (
    "handoffs: the seed's four (Growth → Retention, Retention → Growth, Efficiency → "
    "Innovation, Innovation → all engines)"
)
CONVENTIONS = (
    ("handoff", "a handoff from one engine to 'all' counts once for each other engine"),
    (
        "loops vs cycles",
        "engine loops are how the engines feed each other; a cycle among initiatives' "
        "depends_on cannot be scheduled",
    ),
    ("gap value", "annual value at point estimates of the gaps linked to the handoff"),
)
STATE_LABELS = {
    "incomplete_share": "incomplete handoffs",
    "signals_detected": "signals detected",
    "feedback_reaching": "feedback reaching the receiver",
}


def _state(a: Assessment, view: HandoffView) -> str:
    parts = []
    for key, value in view.current_state.items():
        if key == "delay":
            parts.append(f"adds {format_duration(value, a.canvas.calendar)}")
        else:
            parts.append(f"{format_percent(value, 0)} {STATE_LABELS.get(key, key)}")
    return "; ".join(parts) or "not measured yet"


def _targets(a: Assessment, view: HandoffView) -> str:
    return ", ".join(engine_name(a.canvas, e) for e in view.to_engines) or "—"


def _handoffs(a: Assessment) -> Table:
    titles = {g.id: g.title or g.id for g in a.canvas.gaps}
    rows = tuple(
        (
            text(view.name),
            text(f"{engine_name(a.canvas, view.from_engine)} → {_targets(a, view)}"),
            text(_state(a, view)),
            text(view.impact or "—"),
            text(view.solution or "—"),
            text(", ".join(titles.get(g, g) for g in view.gaps) or "—"),
            money(view.gap_value, a.currency) if view.gap_value else blank(),
        )
        for view in a.dependencies.handoffs
    )
    return Table(
        ("Handoff", "From → to", "Current state", "Impact", "Solution", "Gaps it causes",
         "Their annual value"),
        rows,
        caption="Critical handoffs",
        empty="No cross-engine handoffs recorded yet.",
    )  # fmt: skip


def _integration(a: Assessment) -> Table:
    rows = tuple(
        (text(view.name), text(requirement))
        for view in a.dependencies.handoffs
        for requirement in view.integration_requirements
    )
    return Table(
        ("Handoff", "Integration requirement"),
        rows,
        caption="Integration requirements",
        empty="No integration requirements recorded on the handoffs yet.",
    )


def _shared_metrics(a: Assessment) -> Table:
    index = kpi_index(a.canvas)
    rows = []
    for view in a.dependencies.handoffs:
        for ref in view.shared_metrics:
            kpi = index.get(ref)
            rows.append(
                (
                    text(kpi.name if kpi else ref),
                    text(view.name),
                    text(kpi.definition if kpi and kpi.definition else "no definition yet"),
                    text(kpi.unit if kpi and kpi.unit else ""),
                    text(kpi.owner if kpi and kpi.owner else "—"),
                )
            )
    return Table(
        ("Metric", "Shared across", "Definition", "Unit", "Owner"),
        tuple(rows),
        caption="Shared metric definitions",
        empty="No shared metrics named on the handoffs yet.",
    )


def _protocols(a: Assessment) -> Table:
    rows = tuple(
        (text(view.name), text(f"{engine_name(a.canvas, view.from_engine)} → {_targets(a, view)}"),
         text(view.protocol or "not agreed yet"))
        for view in a.dependencies.handoffs
    )  # fmt: skip
    return Table(
        ("Handoff", "Engines", "Collaboration protocol"),
        rows,
        caption="Collaboration protocols",
        empty="No handoffs, so no protocols yet.",
    )


def _graph(a: Assessment, figures: FigureSet) -> list[Block]:
    deps = a.dependencies
    blocks: list[Block] = []
    figure = figures.get("graph:dependencies")
    if figure is not None:
        blocks.append(figure)
    if deps.loops:
        loops = "; ".join(" → ".join(engine_name(a.canvas, e) for e in loop) for loop in deps.loops)
        blocks.append(Paragraph(f"Engine loops (how the engines feed each other): {loops}."))
    if deps.cycles:
        cycles = "; ".join(" → ".join(c) for c in deps.cycles)
        blocks.append(Missing((f"initiative dependency cycle, cannot be scheduled: {cycles}",)))
    counts: dict[str, int] = {}
    for node in deps.nodes:
        counts[node.kind] = counts.get(node.kind, 0) + 1
    summary = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in sorted(counts.items()))
    blocks.append(
        Paragraph(
            f"The full graph ({summary}; {len(deps.edges)} edges: contains, hands off, received "
            "by, improves, fixes, depends on) is in the JSON report under dependencies."
        )
    )
    return blocks


def build_dependencies(a: Assessment, figures: FigureSet) -> Deliverable:
    """Deliverable 5 from the assessment."""
    handoffs = a.dependencies.handoffs
    first: list[Block] = [_handoffs(a)]
    if not handoffs:
        first.append(Missing((SEED_HANDOFFS,)))
    return Deliverable(
        key="dependencies",
        number="5",
        title="Cross-Engine Dependency Map",
        summary=(
            f"{len(handoffs)} critical handoff{'s' if len(handoffs) != 1 else ''} between "
            f"engines, with their integration requirements, shared metrics and protocols."
        ),
        sections=(
            Section("The map", tuple(_graph(a, figures))),
            Section("Critical handoff documentation", tuple(first)),
            Section("Integration requirements", (_integration(a),)),
            Section("Shared metric definitions", (_shared_metrics(a),)),
            Section("Collaboration protocols", (_protocols(a),)),
        ),
        conventions=CONVENTIONS,
    )
