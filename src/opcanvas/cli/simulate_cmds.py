"""Command ``simulate``: a stream over replications, what-if against a scenario, event logs.

``opcanvas simulate CANVAS --stream ID`` runs :func:`opcanvas.simulate.simulate`; with
``--scenario FILE`` (or ``--future`` for the stream's own future_state) it runs
:func:`opcanvas.simulate.compare` and prints current and future side by side. ``--log OUT``
also writes an event log (:func:`opcanvas.simulate.eventlog.event_log`) of ``--cases`` cases;
``--record-gap GAP`` writes the simulated improvement into the gap's evidence. A stream that
cannot be stable (a step at 100 % load or more) is reported, not simulated.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from opcanvas.canvas import load_canvas
from opcanvas.canvas.fields import using_calendar
from opcanvas.canvas.model import Canvas
from opcanvas.canvas.quantities import (
    Calendar,
    Range,
    format_duration,
    format_percent,
    format_rate,
    parse_duration,
)
from opcanvas.cli.app import JsonOption, app, console, err_console, print_json
from opcanvas.errors import QuantityError, SimulationError
from opcanvas.simulate import Comparison, Estimate, SimulationResult, SimulationSettings
from opcanvas.simulate import compare as compare_states
from opcanvas.simulate import simulate as simulate_stream
from opcanvas.simulate.eventlog import event_log, write_event_log
from opcanvas.simulate.evidence import METRICS, record_gap_evidence
from opcanvas.simulate.scenario import load_scenario

DASH = "—"


def _fmt(est: Estimate | None, show: Any, ci: bool = True) -> str:
    if est is None or est.n == 0 or est.mean != est.mean:
        return DASH
    text = show(est.mean)
    if ci and est.low == est.low:
        text += f" [dim]({show(est.low)}–{show(est.high)})[/]"
    return text


def _durations(cal: Calendar) -> Any:
    return lambda minutes: escape(format_duration(max(minutes, 0.0), cal))


def _number(x: float) -> str:
    return f"{x:,.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def _summary_rows(result: SimulationResult, cal: Calendar) -> list[tuple[str, str]]:
    dur, rate = _durations(cal), (lambda r: escape(format_rate(max(r, 0.0), cal)))
    lt = result.lead_time
    return [
        ("lead time, mean", _fmt(lt.mean if lt else None, dur)),
        ("lead time, P50", _fmt(lt.p50 if lt else None, dur)),
        ("lead time, P85", _fmt(lt.p85 if lt else None, dur)),
        ("lead time, P95", _fmt(lt.p95 if lt else None, dur)),
        ("throughput", _fmt(result.throughput, rate)),
        ("WIP (in process)", _fmt(result.wip, _number)),
        ("backlog (WIP cap)", _fmt(result.backlog, _number)),
        ("completed share", _fmt(result.completed_share, format_percent)),
    ]


def _print_summary(result: SimulationResult, cal: Calendar) -> None:
    title = f"{result.ref}" + (f" — {result.scenario}" if result.scenario else "")
    table = Table(title=f"Simulated {escape(title)}: mean (95 % CI)")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, value in _summary_rows(result, cal):
        table.add_row(name, value)
    console.print(table)


def _print_steps(result: SimulationResult, cal: Calendar) -> None:
    dur = _durations(cal)
    table = Table(title="Per step: where the waiting accumulates")
    for name in (
        "step",
        "people",
        "load",
        "utilisation",
        "queue",
        "wait",
        "share of wait",
        "visits",
        "canvas wait",
    ):
        table.add_column(name, justify="left" if name == "step" else "right")
    for s in result.steps:
        people = "∞" if s.servers is None else f"{s.people:g}"
        load = DASH if s.load is None else format_percent(s.load)
        if not s.stable:
            load = f"[bold red]{load}[/]"
        canvas_wait = DASH if s.canvas_wait is None else dur(s.canvas_wait)
        table.add_row(
            escape(s.id),
            people,
            load,
            _fmt(s.utilisation, format_percent, ci=False),
            _fmt(s.queue_length, _number, ci=False),
            _fmt(s.wait, dur, ci=False),
            _fmt(s.wait_share, format_percent, ci=False),
            _fmt(s.visits, _number, ci=False),
            canvas_wait,
        )
    console.print(table)


def _print_comparison(comparison: Comparison, cal: Calendar) -> None:
    table = Table(
        title=f"{escape(comparison.ref)}: current vs {escape(comparison.scenario)} "
        "(mean, 95 % CI; change paired by replication)"
    )
    for name in ("metric", "current", "future", "change"):
        table.add_column(name, justify="left" if name == "metric" else "right")
    keys = (
        "lead_time_mean",
        "lead_time_p50",
        "lead_time_p85",
        "lead_time_p95",
        "throughput",
        "wip",
        "backlog",
        "completed_share",
    )
    now = _summary_rows(comparison.current, cal)
    then = _summary_rows(comparison.future, cal)
    for (name, a), (_, b), key in zip(now, then, keys, strict=True):
        rel = comparison.relative.get(key)
        change = _fmt(rel, lambda x: f"{x:+.1%}") if rel is not None else DASH
        table.add_row(name, a, b, change)
    console.print(table)


def _print_state(result: SimulationResult, cal: Calendar) -> None:
    if not result.stable:
        console.print(
            f"[bold red]UNSTABLE[/] {escape(result.ref)}"
            + (f" ({escape(result.scenario)})" if result.scenario else "")
            + f": {escape(result.reason or '')}",
            soft_wrap=True,
        )
        console.print("  not simulated: the queue would grow for ever; add people or cut demand")
    else:
        _print_summary(result, cal)
    _print_steps(result, cal)


def _print_notes(result: SimulationResult) -> None:
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}", soft_wrap=True)
    console.print("conventions:", style="bold")
    for key, text in sorted(result.conventions.items()):
        console.print(f"  {key}: {escape(text)}", style="dim", highlight=False, soft_wrap=True)


def _settings(canvas: Canvas, waits: str, service: str, cv: float, handoff: str | None) -> Any:
    delay = 0.0
    if handoff is not None:
        try:
            with using_calendar(canvas.calendar):
                delay = parse_duration(handoff, canvas.calendar)
        except QuantityError as exc:
            raise SimulationError(f"--handoff-delay: {exc.message}") from None
    # SimulationSettings checks the choices and names the allowed values
    return SimulationSettings(
        service=service,  # type: ignore[arg-type]
        cv=cv,
        waits=waits,  # type: ignore[arg-type]
        handoff_delay=delay,
    )


def _start(text: str) -> dt.datetime:
    try:
        start = dt.datetime.fromisoformat(text)
    except ValueError:
        raise SimulationError(
            f'--start: expected a date and time like "2025-01-06T09:00+00:00", got "{text}"'
        ) from None
    return start if start.tzinfo is not None else start.replace(tzinfo=dt.UTC)


@app.command()
def simulate(
    canvas_path: Annotated[Path, typer.Argument(metavar="CANVAS", help="The canvas file.")],
    stream: Annotated[str, typer.Option("--stream", help="The stream: engine/stream.")],
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario", help="A scenario file (name, changes): compare current and future."
        ),
    ] = None,
    future: Annotated[
        bool, typer.Option("--future", help="Compare with the stream's own future_state.")
    ] = False,
    cases: Annotated[int, typer.Option("--cases", min=10, help="Cases per replication.")] = 1000,
    replications: Annotated[
        int,
        typer.Option("--replications", min=1, help="Independent runs (2 or more give intervals)."),
    ] = 10,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of all random numbers.")] = 0,
    warmup: Annotated[
        float, typer.Option("--warmup", help="Share of cases dropped as warm-up.")
    ] = 0.1,
    waits: Annotated[
        str,
        typer.Option("--waits", help="auto, queueing or delay: how canvas wait_time is treated."),
    ] = "auto",
    service: Annotated[
        str,
        typer.Option(
            "--service",
            help="Distribution of point process times: lognormal, gamma, exponential, fixed.",
        ),
    ] = "lognormal",
    cv: Annotated[
        float, typer.Option("--cv", help="Coefficient of variation of point process times.")
    ] = 0.5,
    handoff_delay: Annotated[
        str | None,
        typer.Option("--handoff-delay", help='Mean extra delay when work changes lane, e.g. "2h".'),
    ] = None,
    log: Annotated[
        Path | None,
        typer.Option(
            "--log",
            help="Also write an event log of --cases cases (.csv, .parquet, .xes, "
            ".xes.gz); of the scenario's state when one is given.",
        ),
    ] = None,
    start: Annotated[
        str,
        typer.Option("--start", help="When the event log begins (ISO date-time; UTC if no zone)."),
    ] = "2025-01-06T09:00:00+00:00",
    record_gap: Annotated[
        str | None,
        typer.Option(
            "--record-gap", help="Record the simulated improvement as this gap's evidence."
        ),
    ] = None,
    set_driver: Annotated[
        str | None,
        typer.Option(
            "--set-driver", help="With --record-gap: also write the range into this driver."
        ),
    ] = None,
    metric: Annotated[
        str, typer.Option("--metric", help=f"Metric of the improvement: {', '.join(METRICS)}.")
    ] = "lead_time",
    json_output: JsonOption = False,
) -> None:
    """Simulate a value stream: what-if scenarios with 95 % CIs, and realistic event logs.

    Discrete-event simulation with replications; compares a scenario with the current state.
    """
    canvas = load_canvas(canvas_path)
    settings = _settings(canvas, waits, service, cv, handoff_delay)
    chosen = load_scenario(scenario, canvas) if scenario is not None else None
    if future and chosen is None:
        chosen = canvas.stream(stream).future_state
        if chosen is None:
            raise SimulationError(f"stream {stream} has no future_state", hint="drop --future")
    if record_gap is not None and chosen is None:
        raise SimulationError(
            "--record-gap needs a scenario to compare with", hint="add --scenario FILE or --future"
        )
    kw: dict[str, Any] = {
        "cases": cases,
        "replications": replications,
        "seed": seed,
        "warmup": warmup,
        "settings": settings,
    }
    total = replications * (2 if chosen is not None else 1)
    progress = Progress(
        TextColumn("simulating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=json_output or not err_console.is_terminal,
    )
    with progress:
        task = progress.add_task("simulate", total=total)

        def tick(done: int, _: int) -> None:
            progress.update(task, completed=done)

        outcome: SimulationResult | Comparison = (
            compare_states(canvas, stream, chosen, progress=tick, **kw)
            if chosen is not None
            else simulate_stream(canvas, stream, progress=tick, **kw)
        )
    extra: dict[str, Any] = {}
    if log is not None:
        table = event_log(
            canvas,
            stream,
            cases=cases,
            seed=seed,
            start=_start(start),
            scenario=chosen,
            settings=settings,
        )
        write_event_log(table, log)
        extra["log"] = {"path": str(log), "events": table.num_rows, "cases": cases}
    if record_gap is not None:
        assert isinstance(outcome, Comparison)
        updated = record_gap_evidence(
            canvas_path, record_gap, outcome, metric=metric, driver=set_driver
        )
        evidence = updated.gap(record_gap).evidence
        extra["evidence"] = None if evidence is None else _evidence(evidence)
    _report(outcome, canvas.calendar, extra, json_output)


def _evidence(evidence: Any) -> dict[str, Any]:
    imp = evidence.improvement
    improvement = [imp.low, imp.likely, imp.high] if isinstance(imp, Range) else imp
    fields = ("scenario", "metric", "current", "future", "recorded")
    return {**{k: getattr(evidence, k) for k in fields}, "improvement": improvement}


def _report(
    outcome: SimulationResult | Comparison, cal: Calendar, extra: dict[str, Any], as_json: bool
) -> None:
    if as_json:
        print_json({**outcome.to_dict(), **extra})
        return
    if isinstance(outcome, Comparison):
        if outcome.current.stable and outcome.future.stable:
            _print_comparison(outcome, cal)
            _print_steps(outcome.future, cal)
        else:
            for state in (outcome.current, outcome.future):
                _print_state(state, cal)
        notes = outcome.future
    else:
        _print_state(outcome, cal)
        notes = outcome
    if "log" in extra:
        console.print(
            f"event log: {escape(extra['log']['path'])} "
            f"({extra['log']['events']:,} events, {extra['log']['cases']:,} cases)"
        )
    if "evidence" in extra and extra["evidence"] is not None:
        imp = extra["evidence"].get("improvement")
        shown = " / ".join(format_percent(v) for v in imp) if isinstance(imp, list) else str(imp)
        console.print(
            f"evidence recorded in the canvas: improvement of {escape(extra['evidence']['metric'])}"
            f" (low / likely / high) {escape(shown)}"
        )
    _print_notes(notes)
