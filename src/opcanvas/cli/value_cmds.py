"""Commands ``gaps``, ``prioritize``, ``roadmap``, ``governance``, ``lineage`` and ``track``.

Each loads the canvas, calls :func:`opcanvas.value.analyze_gaps` or
:func:`opcanvas.roadmap.analyze_plan`, and prints Rich tables (or JSON with ``--json``) followed
by the conventions that produced the numbers. ``--ics FILE`` writes the governance calendar.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from opcanvas.canvas import load_canvas
from opcanvas.canvas.io import load_document, locate, write_atomic
from opcanvas.canvas.model import Canvas
from opcanvas.canvas.quantities import format_money, parse_money, parse_number
from opcanvas.cli.app import JsonOption, app, console, print_json
from opcanvas.errors import CanvasError, FormulaError, Location, PlanningError
from opcanvas.roadmap import PlanAnalysis, analyze_plan, load_tracking, to_ics, tracking_path
from opcanvas.roadmap.plan import SprintPlan
from opcanvas.roadmap.solver import TIME_LIMIT
from opcanvas.roadmap.tracking import kpi_tracks, record_realised, record_snapshot
from opcanvas.value import GapAnalysis, analyze_gaps

DASH = "—"
CanvasArg = Annotated[Path, typer.Argument(metavar="CANVAS", help="The canvas file (YAML).")]
SamplesOption = Annotated[
    int, typer.Option("--samples", min=1, help="Monte Carlo samples per gap.")
]
SeedOption = Annotated[int, typer.Option("--seed", help="Seed of the random generator.")]
IcsOption = Annotated[
    Path | None, typer.Option("--ics", help="Also write the governance calendar (.ics) here.")
]
TimeLimitOption = Annotated[
    float, typer.Option("--time-limit", min=0.1, help="Seconds the optimiser may search.")
]
StartOption = Annotated[
    str | None,
    typer.Option("--start", help="First day of sprint 1 (YYYY-MM-DD); default roadmap.start."),
]


@contextmanager
def _located(path: Path) -> Iterator[None]:
    """Add the file, line and column to a formula or planning error that names a key."""
    try:
        yield
    except (FormulaError, PlanningError) as exc:
        if exc.where is not None and exc.where.key and exc.where.file is None:
            doc, _ = load_document(path)
            parts: list[str | int] = [
                int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", exc.where.key)
            ]
            found = locate(doc, parts, path)
            exc.where = Location(path, found.line, found.column, exc.where.key)
        raise


def _money(amount: float | None, currency: str) -> str:
    return DASH if amount is None else format_money(amount, currency)


def _pct(fraction: float | None) -> str:
    return DASH if fraction is None else f"{round(fraction * 100):,}%"  # an int: never "-0%"


def _number(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 or x == int(x) else f"{x:,.4g}"


def _conventions(conventions: dict[str, str]) -> None:
    console.print("conventions:", style="bold")
    for key, text in conventions.items():
        console.print(f"  {key}: {escape(text)}", style="dim", highlight=False, soft_wrap=True)


def _print_gaps(analysis: GapAnalysis) -> None:
    table = Table(title="Gaps in money (point value, Monte Carlo P10–P90, first-year ROI)")
    for name in ("gap", "stream", "annual value", "P10", "P50", "P90", "cost", "ROI",
                 "ROI P10–P90", "P(ROI<0)", "payback", "NPV"):  # fmt: skip
        table.add_column(name, justify="left" if name in ("gap", "stream") else "right")
    for v in analysis.values:
        c = v.currency
        roi_range = DASH if v.roi_p10 is None else f"{_pct(v.roi_p10)}–{_pct(v.roi_p90)}"
        payback = DASH if v.payback_months is None else f"{v.payback_months:.1f} mo"
        table.add_row(
            escape(v.gap_id), escape(v.stream), _money(v.annual_value, c), _money(v.p10, c),
            _money(v.p50, c), _money(v.p90, c), _money(v.implementation_cost, c), _pct(v.roi),
            roi_range, _pct(v.prob_negative_roi), payback, _money(v.npv, c),
        )  # fmt: skip
    console.print(table)
    for v in analysis.values:
        money = format_money(v.annual_value, v.currency)
        tree = Tree(f"[bold]{escape(v.title)}[/] ({escape(v.gap_id)}): {money} a year")
        if v.solution or v.solution_type:
            kind = f" [{v.solution_type.replace('_', ' ')}]" if v.solution_type else ""
            tree.add(f"solution{escape(kind)}: {escape(v.solution or DASH)}")
        if v.root_cause:
            tree.add(f"root cause: {escape(v.root_cause)}")
        for name, value in v.lines.items():
            text = v.formula_text.get(name, "driver")
            tree.add(f"{escape(name)} = {escape(text)} = [bold]{_number(value)}[/]")
        for bar in v.tornado[:3]:
            swing = DASH if bar.swing is None else _number(bar.swing)
            tree.add(f"[dim]tornado: {escape(bar.driver)} {_number(bar.low)}→"
                     f"{_number(bar.high)} swings the annual value by {swing}[/]")  # fmt: skip
        for name, share in v.zero_division.items():
            tree.add(f"[yellow]{escape(name)} divides by zero in {share:.1%} of samples[/]")
        console.print(tree, highlight=False)
    for gap_id, reason in analysis.unquantified:
        console.print(f"not quantified: {escape(gap_id)} ({escape(reason)})", style="yellow")


@app.command()
def gaps(
    canvas_file: CanvasArg,
    samples: SamplesOption = 10_000,
    seed: SeedOption = 0,
    json_output: JsonOption = False,
) -> None:
    """Each gap in money: formula lines, P10/P50/P90, ROI, payback, NPV and a tornado."""
    with _located(canvas_file):
        analysis = analyze_gaps(load_canvas(canvas_file), samples=samples, seed=seed)
    if json_output:
        data = analysis.to_dict()
        del data["ranked"]
        print_json(data)
        return
    _print_gaps(analysis)
    _conventions(analysis.conventions)


@app.command()
def prioritize(
    canvas_file: CanvasArg,
    samples: SamplesOption = 10_000,
    seed: SeedOption = 0,
    json_output: JsonOption = False,
) -> None:
    """The ranked backlog: Priority Score = (V × A × F) / (C × R), WSJF and rank stability."""
    with _located(canvas_file):
        analysis = analyze_gaps(load_canvas(canvas_file), samples=samples, seed=seed)
    conventions = {
        **analysis.conventions,
        "ties": "equal scores are ordered by annual value (higher first), then by id",
        "WSJF": "(business value + time criticality + risk reduction) / job size; without "
        "gap.wsjf it is derived: value score + alignment + (1 + dependants, at most 5), over "
        "the cost score (marked *)",
        "rank range": "best–worst rank when one of the gap's scores moves by ±1",
    }
    if json_output:
        print_json({"ranked": [r.to_dict() for r in analysis.ranked], "conventions": conventions})
        return
    table = Table(title="Ranked backlog (cost and risk: 1 = low, 5 = high; they divide)")
    for name in ("rank", "gap", "score", "annual value", "V", "A", "F", "C", "R", "WSJF",
                 "WSJF rank", "rank range", "assumed 3"):  # fmt: skip
        table.add_column(name, justify="left" if name in ("gap", "assumed 3") else "right")
    for r in analysis.ranked:
        table.add_row(
            str(r.rank), escape(r.gap_id), f"{r.score:.3g}", _money(r.annual_value, r.currency),
            str(r.value_score), str(r.alignment), str(r.feasibility), str(r.cost), str(r.risk),
            f"{r.wsjf:.3g}" + ("*" if r.wsjf_derived else ""), str(r.wsjf_rank),
            f"{r.rank_low}–{r.rank_high}", ", ".join(r.assumed) or DASH,
        )  # fmt: skip
    console.print(table)
    _conventions(conventions)


def _start(canvas: Canvas, start: str | None) -> dt.date:
    if start is not None:
        try:
            return dt.date.fromisoformat(start)
        except ValueError:
            raise CanvasError(f'--start: expected a date like 2027-01-04, got "{start}"') from None
    if canvas.roadmap.start is None:
        raise CanvasError(
            "the calendar needs a start date, and the canvas has no roadmap.start",
            hint="pass --start YYYY-MM-DD, or set roadmap: {start: ...} in the canvas",
        )
    return canvas.roadmap.start


def _write_ics(plan: PlanAnalysis, canvas: Canvas, path: Path, start: str | None) -> None:
    write_atomic(path, to_ics(plan.governance, _start(canvas, start)))
    console.print(f"wrote {escape(str(path))}", style="green")


def _sprint_table(title: str, sprints: tuple[SprintPlan, ...], currency: str) -> Table:
    table = Table(title=title)
    for name in ("sprint", "finishing (running)", "people-days", "cost", "value", "first-year",
                 "ROI", "resources"):  # fmt: skip
        left = name in ("sprint", "finishing (running)", "resources")
        table.add_column(name, justify="left" if left else "right")
    for s in sprints:
        done = [p.gap_id for p in s.finishing]
        still = [p.gap_id for p in s.running if p.finish_sprint != s.number]
        names = ", ".join(done) + (f" ({', '.join(still)})" if still else "") or DASH
        cap = "" if s.capacity_days is None else f" / {s.capacity_days:,.0f}"
        budget = "" if s.budget is None else f" / {format_money(s.budget, currency)}"
        when = f"\n{s.start} → {s.end}" if s.start else ""
        table.add_row(
            f"{s.number}. {escape(s.theme)}{when}", escape(names), f"{s.people_days:,.0f}{cap}",
            _money(s.cost, currency) + budget, _money(s.value, currency),
            _money(s.first_year_value, currency), _pct(s.roi),
            escape(", ".join(f"{k} {v:,.0f}d" for k, v in s.resources.items()) or DASH),
        )  # fmt: skip
    return table


def _print_roadmap(plan: PlanAnalysis) -> None:
    rm, c = plan.roadmap, plan.roadmap.currency
    console.print(_sprint_table("Roadmap (optimised: maximum first-year value)", rm.sprints, c))
    for s in rm.sprints:
        console.print(f"[bold]{s.number}. {escape(s.name)}[/]: " + escape("; ".join(s.focus)))
    console.print(_sprint_table("Greedy plan (priority order)", rm.greedy_sprints, c))
    console.print(
        f"first-year value: optimised {_money(rm.value_optimised, c)}, greedy "
        f"{_money(rm.value_greedy, c)}, gained {_money(rm.value_gained, c)}", highlight=False
    )  # fmt: skip
    curve = "  ".join(f"m{m}: {format_money(v, c)}" for m, v in rm.cumulative if m % 3 == 0)
    console.print(f"cumulative value by month: {curve}", highlight=False)
    for gap_id, reason in rm.unscheduled:
        console.print(f"not scheduled: {escape(gap_id)} ({escape(reason)})", style="yellow")
    for m in rm.maturity:
        steps = " → ".join(str(level) for level in m.levels)
        reach = f"target in sprint {m.reaches_target}" if m.reaches_target else "target not reached"
        console.print(f"maturity {escape(m.stream)}: {m.current} → {steps} (target {m.target}; "
                      f"{reach})", highlight=False)  # fmt: skip
    deps = plan.dependencies
    for h in deps.handoffs:
        linked = ", ".join(h.gaps) or "no gap linked"
        console.print(f"handoff {escape(h.name)}: {h.from_engine} → {', '.join(h.to_engines)}"
                      f" ({escape(linked)})", highlight=False)  # fmt: skip
    for loop in deps.loops:
        console.print(f"engine loop (normal): {' → '.join(loop)}", style="dim")
    for note in rm.notes:
        console.print(f"note: {escape(note)}", style="dim")


@app.command()
def roadmap(
    canvas_file: CanvasArg,
    samples: SamplesOption = 10_000,
    seed: SeedOption = 0,
    ics: IcsOption = None,
    start: StartOption = None,
    time_limit: TimeLimitOption = TIME_LIMIT,
    json_output: JsonOption = False,
) -> None:
    """Four 90-day sprints: the optimised plan beside the greedy one, value curve, maturity."""
    canvas = load_canvas(canvas_file)
    with _located(canvas_file):
        plan = analyze_plan(canvas, samples=samples, seed=seed, time_limit=time_limit)
    conventions = {**plan.gaps.conventions, **plan.roadmap.conventions}
    if json_output:
        print_json({"roadmap": plan.roadmap.to_dict(), "dependencies": plan.dependencies.to_dict(),
                    "conventions": conventions})  # fmt: skip
    else:
        _print_roadmap(plan)
        _conventions(conventions)
    if ics is not None:
        _write_ics(plan, canvas, ics, start)


def _print_governance(plan: PlanAnalysis) -> None:
    pack = plan.governance
    for review in pack.reviews:
        console.print(f"[bold]{escape(review.name)}[/] ({review.cadence}, {pack.weekday}s "
                      f"{pack.time}, {review.duration_minutes:g} min)")  # fmt: skip
        for item in review.agenda:
            console.print(f"  - {escape(item)}", highlight=False, soft_wrap=True)
    ch = pack.charter
    console.print(f"[bold]Steering charter[/]: {escape(ch.purpose)}", highlight=False)
    console.print(f"  sponsor: {escape(ch.sponsor or DASH)}; members: "
                  f"{escape(', '.join(ch.members) or DASH)}", highlight=False)  # fmt: skip
    for right in ch.decision_rights:
        console.print(f"  - {escape(right)}")
    table = Table(title="Dashboard requirements and KPI tracking")
    for name in ("KPI", "level", "owner", "baseline", "actual", "target", "progress", "refresh"):
        table.add_column(name)
    tracks = {t.kpi: t for t in pack.kpi_tracking}
    for d in pack.dashboard:
        t = tracks.get(d.kpi)
        nums = [DASH if x is None else f"{x:,.4g}" for x in
                (t.baseline if t else d.baseline, t.latest if t else d.actual,
                 t.target if t else d.target)]  # fmt: skip
        progress = _pct(t.progress) if t else DASH
        table.add_row(escape(d.name), d.level, escape(d.owner or DASH), *nums, progress, d.refresh)
    console.print(table)
    roi = Table(title="ROI validation (realised vs projected)")
    for name in ("initiative", "go-live", "projected/yr", "realised", "to date", "realised ROI"):
        roi.add_column(name)
    c = pack.currency
    for r in pack.roi_validation:
        roi.add_row(escape(r.gap_id), str(r.go_live or DASH), _money(r.projected_annual, c),
                    _money(r.realised, c), _pct(r.realisation), _pct(r.realised_roi))  # fmt: skip
    console.print(roi)


@app.command()
def governance(
    canvas_file: CanvasArg,
    samples: SamplesOption = 10_000,
    seed: SeedOption = 0,
    tracking: Annotated[
        Path | None,
        typer.Option("--tracking", help="KPI snapshots; default <canvas>.tracking.yaml."),
    ] = None,
    ics: IcsOption = None,
    start: StartOption = None,
    json_output: JsonOption = False,
) -> None:
    """Weekly/monthly/quarterly rhythms with agendas, charter, dashboard, tracking, ROI checks."""
    canvas = load_canvas(canvas_file)
    snapshots = load_tracking(tracking or tracking_path(canvas_file), canvas)
    with _located(canvas_file):
        plan = analyze_plan(canvas, samples=samples, seed=seed, tracking=snapshots)
    conventions = {**plan.governance.conventions, **plan.roadmap.conventions}
    if json_output:
        print_json({"governance": plan.governance.to_dict(), "conventions": conventions})
    else:
        _print_governance(plan)
        _conventions(conventions)
    if ics is not None:
        _write_ics(plan, canvas, ics, start)


@app.command()
def lineage(
    canvas_file: CanvasArg,
    samples: SamplesOption = 1_000,
    seed: SeedOption = 0,
    json_output: JsonOption = False,
) -> None:
    """The KPI tree, each KPI traced to streams, steps, gaps and dollars."""
    with _located(canvas_file):
        plan = analyze_plan(load_canvas(canvas_file), samples=samples, seed=seed)
    tree = plan.lineage
    if json_output:
        print_json(tree.to_dict())
        return
    root = Tree("[bold]KPI lineage[/]")

    def add(branch: Tree, path: str) -> None:
        n = tree.nodes[path]
        money = format_money(n.rollup_value, tree.currency)
        gaps = ", ".join(n.rollup_gaps) or "no gaps"
        steps = ", ".join(n.rollup_steps) or DASH
        label = f"[bold]{escape(n.name)}[/] ({escape(path)}): {money} from {escape(gaps)}"
        node = branch.add(f"{label}; steps: {escape(steps)}")
        for child in n.children:
            add(node, child)

    for path in tree.roots:
        add(root, path)
    console.print(root, highlight=False)
    if tree.unlinked_gaps:
        console.print(f"gaps that name no KPI: {', '.join(tree.unlinked_gaps)}", style="yellow")
    _conventions({"roll-up": "a KPI's value is the annual value of the gaps that name it or any "
                  "KPI below it, each gap counted once"})  # fmt: skip


def _pairs(items: list[str], what: str) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise CanvasError(f'--{what}: expected NAME=VALUE, got "{item}"')
        pairs.append((name.strip(), value.strip()))
    return pairs


@app.command()
def track(
    canvas_file: CanvasArg,
    kpi: Annotated[
        list[str] | None, typer.Option("--kpi", help="A KPI actual: KPI=VALUE (repeat).")
    ] = None,
    realised: Annotated[
        list[str] | None,
        typer.Option("--realised", help="Value a gap realised this period: GAP=AMOUNT (repeat)."),
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="The snapshot's date (YYYY-MM-DD); default today.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note for the snapshot.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Record KPI actuals in <canvas>.tracking.yaml and realised value in the canvas."""
    canvas = load_canvas(canvas_file)
    try:
        day = dt.date.fromisoformat(date) if date else dt.date.today()
    except ValueError:
        raise CanvasError(f'--date: expected a date like 2027-02-01, got "{date}"') from None
    actuals = {name: parse_number(v, minimum=None) for name, v in _pairs(kpi or [], "kpi")}
    amounts = [(gap, parse_money(v)) for gap, v in _pairs(realised or [], "realised")]
    if not actuals and not amounts:
        raise CanvasError("nothing to record", hint="give --kpi KPI=VALUE or --realised GAP=AMOUNT")
    path = tracking_path(canvas_file)
    tracking = load_tracking(path, canvas)
    if actuals:
        tracking = record_snapshot(path, canvas, day, actuals, note)
    for gap_id, amount in amounts:
        canvas = record_realised(canvas_file, gap_id, day, amount, note)
    tracks = [t for t in kpi_tracks(canvas, tracking) if t.kpi in actuals or t.series]
    if json_output:
        print_json({"tracking_file": str(path), "date": day.isoformat(), "kpis": actuals,
                    "realised": dict(amounts), "tracks": [asdict(t) for t in tracks]})  # fmt: skip
        return
    for name, value in actuals.items():
        console.print(f"recorded {escape(name)} = {value:g} on {day} in {escape(str(path))}")
    for gap_id, amount in amounts:
        console.print(f"recorded {format_money(amount, canvas.currency)} realised by "
                      f"{escape(gap_id)} on {day} in {escape(str(canvas_file))}")  # fmt: skip
    _conventions({"realised value": "each entry is the value realised in the period ending on "
                  "its date; totals are sums", "tracking file": str(path)})  # fmt: skip
