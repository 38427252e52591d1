"""Commands that write the deliverables: ``report`` and ``demo``.

Each parses its arguments, calls one library function (:func:`opcanvas.report.build_report`,
:func:`opcanvas.report.demo.run_demo`) with a Rich progress bar, and prints the files written,
a short summary and the conventions in force (or JSON with ``--json``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from opcanvas.cli.app import JsonOption, app, console, err_console, print_json
from opcanvas.report.formats import DEFAULT_DEMO_DIR, FORMATS, parse_formats

if TYPE_CHECKING:
    from opcanvas.report.summary import Summary


_FORMAT_HELP = "; ".join(f"{f.name}: {f.help}" for f in FORMATS.values())

SamplesOption = Annotated[
    int,
    typer.Option("--samples", min=1, help="Monte Carlo samples per gap (P10/P50/P90)."),
]
SeedOption = Annotated[int, typer.Option("--seed", help="Seed of the Monte Carlo sampling.")]
StartOption = Annotated[
    dt.datetime | None,
    typer.Option(
        "--start",
        formats=["%Y-%m-%d"],
        help="First day of sprint 1 for the governance calendar when the canvas has no "
        "roadmap.start (default: the next Monday).",
    ),
]


def _next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


class _Bar:
    """A Rich progress bar over the named steps of a report (quiet with --json)."""

    def __init__(self, steps: list[str], quiet: bool) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
            disable=quiet,
        )
        self.steps = steps
        self.task = self.progress.add_task("starting", total=len(steps))

    def __enter__(self) -> _Bar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, done: str) -> None:
        index = self.steps.index(done) if done in self.steps else -1
        following = self.steps[index + 1] if 0 <= index < len(self.steps) - 1 else "done"
        self.progress.update(self.task, advance=1, description=following)


def _print_files(directory: Path, files: tuple[str, ...]) -> None:
    table = Table(title=f"Written to {escape(str(directory))}", title_justify="left")
    table.add_column("file")
    table.add_column("what")
    kinds = {".svg": "map or chart (SVG)", ".drawio": "map for draw.io, Lucid, Miro",
             ".mmd": "map as Mermaid", ".ics": "governance calendar"}  # fmt: skip
    kinds.update({f.suffix: f.help for f in FORMATS.values()})
    main = [f for f in files if "/" not in f]
    for name in main:
        table.add_row(escape(name), kinds.get(Path(name).suffix, ""))
    folders = {"maps": "value stream maps: SVG, draw.io, Mermaid", "charts": "charts (SVG)"}
    for folder in sorted({f.split("/", 1)[0] for f in files if "/" in f}):
        count = sum(1 for f in files if f.startswith(folder + "/"))
        table.add_row(escape(folder + "/"), f"{count} files: {folders.get(folder, '')}")
    console.print(table)


def _print_summary(summary: Summary) -> None:
    console.print(f"[bold]{escape(summary.organization)}[/]")
    for line in summary.lines():
        console.print(f"  {escape(line)}", highlight=False, soft_wrap=True)
    console.print("Conventions in force:", style="dim")
    for key, value in summary.conventions:
        console.print(
            f"  {escape(key)}: {escape(value)}", style="dim", highlight=False, soft_wrap=True
        )


REPORT_HELP = (
    "Write the five deliverables and the workshop pack from a canvas, in every format asked."
    "\n\nBeside the reports go each stream's map (SVG, draw.io, Mermaid), the charts (SVG) "
    "and the governance calendar (.ics). Everything is written to a temporary directory first "
    "and moved into place only when complete, so a failure leaves nothing half-written."
)
DEMO_HELP = (
    "Run the whole job on the built-in sample organisation, Northwind Services."
    "\n\nCopies the sample canvas into OUT, simulates event logs for two streams (CSV, "
    "Parquet, XES in OUT/logs), mines them back into the canvas copy, then assesses it and "
    "writes every deliverable in every format. No third-party data is used."
)


@app.command(help=REPORT_HELP)
def report(
    canvas: Annotated[Path, typer.Argument(help="The canvas file (YAML).")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Directory to write the deliverables into.")
    ] = Path("opcanvas-report"),
    formats: Annotated[
        str, typer.Option("--format", "-f", help=f"Comma-separated formats. {_FORMAT_HELP}.")
    ] = ",".join(FORMATS),
    samples: SamplesOption = 10_000,
    seed: SeedOption = 0,
    start: StartOption = None,
    json_output: JsonOption = False,
) -> None:
    """The deliverables of CANVAS into OUT (help text: REPORT_HELP)."""
    from opcanvas.report.pdf_worker import PrintServer

    chosen = parse_formats(formats)
    first = start.date() if start else _next_monday(dt.date.today())
    # started first, the print server loads WeasyPrint (two seconds) while the renderers import
    with PrintServer() if "pdf" in chosen else contextlib.nullcontext() as server:
        from opcanvas.report.writer import build_report, report_steps  # the renderers load here

        with _Bar(report_steps(chosen), json_output) as bar:
            result, summary = build_report(
                canvas,
                out,
                formats=chosen,
                samples=samples,
                seed=seed,
                start=first,
                progress=bar,
                server=server,
            )
    if json_output:
        print_json({**result.to_dict(), "summary": summary.to_dict()})
        return
    _print_files(result.directory, result.files)
    _print_summary(summary)
    _print_calendar(result.calendar_start, from_canvas=result.calendar_from_canvas)


@app.command(help=DEMO_HELP)
def demo(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Directory for the demo's canvas, logs and reports.")
    ] = DEFAULT_DEMO_DIR,
    samples: SamplesOption = 10_000,
    seed: SeedOption = 0,
    cases: Annotated[
        int, typer.Option("--cases", min=10, help="Closed cases per simulated event log (at most).")
    ] = 400,
    json_output: JsonOption = False,
) -> None:
    """The demo into OUT (help text: DEMO_HELP)."""
    from opcanvas.report.demo import demo_steps, run_demo  # simulation, mining and renderers

    first = _next_monday(dt.date.today())
    with _Bar(demo_steps(), json_output) as bar:
        result = run_demo(out, samples=samples, seed=seed, cases=cases, start=first, progress=bar)
    if json_output:
        print_json(result.to_dict())
        return
    _print_files(result.report.directory, result.report.files)
    _print_demo(result.to_dict())
    _print_summary(result.summary)
    _print_calendar(result.report.calendar_start, from_canvas=result.report.calendar_from_canvas)


def _print_calendar(start: dt.date | None, *, from_canvas: bool) -> None:
    if start is None:
        console.print("No governance calendar: the canvas has no roadmap.start.", style="dim")
        return
    source = "roadmap.start in the canvas" if from_canvas else "--start, by default the next Monday"
    console.print(
        f"  governance calendar: sprint 1 starts {start.isoformat()} ({source})",
        style="dim",
        highlight=False,
        soft_wrap=True,
    )


def _print_demo(data: dict[str, Any]) -> None:
    console.print(f"Canvas (mined): {escape(data['canvas'])}")
    for log in data["logs"]:
        console.print(
            f"Event log for {escape(log['stream'])}: {log['cases']:,} cases, "
            f"{log['events']:,} events → {escape(', '.join(log['files']))}",
            highlight=False,
        )
        if log["far_off"]:
            far = ", ".join(log["far_off"])
            console.print(f"  workshop estimates far from the log: {escape(far)}", style="dim")
