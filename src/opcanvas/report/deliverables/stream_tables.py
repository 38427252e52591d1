"""The tables of one value stream: totals, per-step cycle-time and quality metrics, and per-step
systems, data and roles (RACI-like), with the KPIs of a stream or an engine.

The roles are read from the canvas: **R** the step's role (else its lane), **A** the step's
decision authority (else the stream owner), **C** the lanes that hand work into the step, **I**
the lanes that receive its output.
"""

from __future__ import annotations

from opcanvas.canvas.model import KPI, Canvas, Step, Stream
from opcanvas.canvas.quantities import PointEstimate, point
from opcanvas.flow.results import StepFlow, StreamFlow
from opcanvas.report.document import (
    Cell,
    Table,
    blank,
    duration,
    number,
    percent,
    text,
    without_empty_columns,
)

RACI_RULE = (
    "R = step role (else lane); A = decision authority (else stream owner); C = lanes handing "
    "work in; I = lanes receiving the output"
)
KPI_COLUMNS = ("KPI", "Unit", "Actual", "Target", "Actual − target", "Better", "Indicator",
               "Owner")  # fmt: skip


def step_name(flow: StreamFlow, step_id: str | None) -> str | None:
    if step_id is None:
        return None
    for step in flow.steps:
        if step.id == step_id:
            return step.name
    return step_id


def totals_table(canvas: Canvas, flow: StreamFlow) -> Table:
    """The stream's totals in one row (the lead-time ladder's figures and the bottleneck)."""
    cal = canvas.calendar
    columns = ["LT", "PT", "Wait", "Flow efficiency", "Rolled %C&A", "First-pass yield", "Takt",
               "Handoffs", "Bottleneck"]  # fmt: skip
    cells: list[Cell] = [
        duration(flow.lead_time, cal),
        duration(flow.process_time, cal),
        duration(flow.wait_time, cal),
        percent(flow.flow_efficiency),
        percent(flow.rolled_cta),
        percent(flow.first_pass_yield),
        duration(flow.takt_time, cal),
        number(float(flow.handoffs)),
        text(step_name(flow, flow.bottleneck) or "—"),
    ]
    if flow.mode == "manufacturing":
        columns[6:6] = ["Inventory (days)", "Operators needed"]
        cells[6:6] = [number(flow.inventory_days), number(flow.operators_needed)]
    if flow.little is not None and flow.little.consistent is not None:
        columns.append("Little's law")
        cells.append(text("consistent" if flow.little.consistent else "inconsistent"))
    return Table(tuple(columns), (tuple(cells),), caption="Stream totals")


def _source(flow: StepFlow, *names: str) -> str:
    found = sorted({flow.sources.get(n, "missing") for n in names} - {"missing"})
    return ", ".join(found) or "—"


FLAG_LABELS = {
    "low_complete_accurate": "%C&A below threshold",
    "step_wait_share": "long wait before it",
    "cycle_time_above_takt": "C/T above takt",
    "effective_cycle_time_above_takt": "effective C/T above takt",
    "over_capacity": "over capacity",
    "lead_time_mismatch": "LT ≠ wait + PT",
    "process_exceeds_lead_time": "PT or wait > LT",
    "no_predecessor": "no route in",
}


def _step_flags(flow: StreamFlow, step: StepFlow) -> str:
    found = [f for f in (*flow.flags, *step.flags) if f.step == step.id and f.severity != "info"]
    labels = dict.fromkeys(FLAG_LABELS.get(f.code, f.code.replace("_", " ")) for f in found)
    return ", ".join(labels)


def metrics_table(canvas: Canvas, flow: StreamFlow) -> Table:
    """Cycle-time and quality metrics per step, with its flags; the bottleneck in bold."""
    cal = canvas.calendar
    rows = []
    for step in flow.steps:
        marks = [
            mark
            for mark, on in (
                ("bottleneck", step.id == flow.bottleneck),
                ("off the critical path", not step.on_critical_path),
            )
            if on
        ]
        label = step.name + (f" ({', '.join(marks)})" if marks else "")
        rows.append(
            (
                Cell(step.name, label, emphasis=step.id == flow.bottleneck),
                text(step.lane or ""),
                duration(step.process_time, cal),
                duration(step.wait_time, cal),
                duration(step.lead_time, cal),
                percent(step.complete_accurate),
                percent(step.first_pass_yield),
                percent(step.wait_share),
                text(_source(step, "process_time", "wait_time", "complete_accurate")),
                text(_step_flags(flow, step)),
            )
        )
    table = Table(
        ("Step", "Lane", "PT", "Wait", "LT", "%C&A", "First-pass yield", "Wait share",
         "Source", "Flags"),
        tuple(rows),
        caption="Cycle-time and quality metrics per step",
        empty="No steps mapped yet.",
    )  # fmt: skip
    return without_empty_columns(table)


def _neighbours(stream: Stream, flow: StreamFlow) -> dict[str, tuple[set[str], set[str]]]:
    """Per step: the lanes handing work in and the lanes receiving its output."""
    lane = {s.id: s.lane for s in stream.steps}
    found: dict[str, tuple[set[str], set[str]]] = {s.id: (set(), set()) for s in stream.steps}
    for step in flow.steps:
        for before in step.predecessors:
            if before in found and lane.get(before) and lane.get(before) != step.lane:
                found[step.id][0].add(str(lane[before]))
                found[before][1].add(str(step.lane or ""))
    return found


def _join(items: list[str] | set[str]) -> str:
    return ", ".join(sorted(i for i in items if i)) if isinstance(items, set) else ", ".join(items)


def _people_row(
    stream: Stream, step: Step, consulted: set[str], informed: set[str]
) -> tuple[Cell, ...]:
    data = " → ".join(x for x in (_join(step.data_in), _join(step.data_out)) if x)
    return (
        text(step.name),
        text(step.role or step.lane or "—"),
        text(step.decision_authority or stream.owner or "—"),
        text(_join(consulted) or "—"),
        text(_join(informed) or "—"),
        number(point(step.people)) if step.people is not None else blank(""),
        text(_join(step.skills)),
        text(_join(step.systems)),
        text(data),
    )


def people_systems_table(stream: Stream, flow: StreamFlow) -> Table:
    """Per step: who performs, decides, hands in and receives; people, skills, systems, data."""
    around = _neighbours(stream, flow)
    rows = []
    for step in stream.steps:
        consulted, informed = around.get(step.id, (set(), set()))
        rows.append(_people_row(stream, step, consulted, informed))
    table = Table(
        ("Step", "R: performs", "A: decides", "C: hands work in", "I: receives output",
         "People", "Skills", "Systems", "Data in → out"),
        tuple(rows),
        caption="Roles and responsibilities, systems and data flow",
        empty="No steps mapped yet.",
    )  # fmt: skip
    return without_empty_columns(table, keep=5)


def kpi_table(kpis: list[KPI], estimate: PointEstimate, caption: str) -> Table:
    rows = []
    for kpi in kpis:
        actual, target = point(kpi.actual, estimate), point(kpi.target, estimate)
        rows.append(
            (
                text(kpi.name),
                text(kpi.unit or ""),
                number(actual),
                number(target),
                number(None if actual is None or target is None else actual - target),
                text(kpi.direction or "—"),
                text(kpi.indicator or "—"),
                text(kpi.owner or "—"),
            )
        )
    return Table(KPI_COLUMNS, tuple(rows), caption=caption)
