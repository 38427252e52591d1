"""Commands on canvas files: ``init``, ``validate``, ``schema`` and ``templates``.

Each parses its arguments, calls one function of :mod:`opcanvas.canvas` and prints the result
as a Rich table, or as JSON with ``--json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from opcanvas.canvas import Canvas, load_canvas
from opcanvas.canvas.io import canvas_schema, write_atomic
from opcanvas.canvas.templates import DEFAULT_TEMPLATE, TEMPLATES, init_canvas
from opcanvas.cli.app import EXIT_BAD_INPUT, JsonOption, app, console, print_json
from opcanvas.errors import CanvasError

_TEMPLATE_NAMES = ", ".join(t.name for t in TEMPLATES)


def _summary(path: Path, canvas: Canvas) -> dict[str, Any]:
    return {
        "file": str(path),
        "organization": canvas.organization,
        "counts": canvas.counts(),
        "calendar": canvas.calendar.describe(),
    }


def _print_summary(summary: dict[str, Any], canvas: Canvas) -> None:
    table = Table(title=escape(summary["organization"]), title_justify="left")
    for column in ("engine", "streams", "steps", "KPIs", "bottlenecks"):
        table.add_column(column, justify="left" if column == "engine" else "right")
    for engine_id, engine in canvas.engines.items():
        streams = engine.streams.values()
        table.add_row(
            escape(engine_id),
            str(len(streams)),
            str(sum(len(s.steps) for s in streams)),
            str(len(engine.kpis) + sum(len(s.metrics) for s in streams)),
            str(sum(len(s.bottlenecks) for s in streams)),
        )
    console.print(table)
    counts = summary["counts"]
    console.print(
        f"{counts['engines']} engines, {counts['streams']} streams, {counts['steps']} steps, "
        f"{counts['kpis']} KPIs, {counts['gaps']} gaps, {counts['handoffs']} handoffs"
    )
    console.print(f"durations resolve on {summary['calendar']}", style="dim")


@app.command()
def init(
    file: Annotated[Path, typer.Argument(help="The canvas file to create, e.g. canvas.yaml.")],
    template: Annotated[
        str,
        typer.Option("--template", "-t", help=f"The template to start from: {_TEMPLATE_NAMES}."),
    ] = DEFAULT_TEMPLATE,
    organization: Annotated[
        str | None,
        typer.Option("--organization", "-o", help="Your organisation's name, set in the file."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite FILE if it already exists.")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Start a canvas file from a built-in template, comments included.

    The file is validated before it is written and written atomically; an existing file is
    left alone unless --force is given. `opcanvas templates` lists the templates.
    """
    canvas = init_canvas(file, template, organization=organization, force=force)
    summary = {**_summary(file, canvas), "template": template}
    if json_output:
        print_json(summary)
        return
    counts = summary["counts"]
    console.print(
        f"wrote [bold]{escape(str(file))}[/] from the [bold]{template}[/] template for "
        f"{escape(canvas.organization)}: {counts['engines']} engines, {counts['streams']} streams, "
        f"{counts['steps']} steps",
        soft_wrap=True,  # paths stay whole, to copy and paste
    )
    console.print(
        f"next: fill it in during the workshop, then run `opcanvas validate {escape(str(file))}`",
        soft_wrap=True,
    )
    console.print(f"durations resolve on {summary['calendar']}", style="dim")


@app.command()
def validate(
    canvas: Annotated[Path, typer.Argument(help="The canvas file to check.")],
    json_output: JsonOption = False,
) -> None:
    """Check a canvas file: YAML syntax, types and units, and the references between its parts.

    Prints OK with what the canvas holds, or every problem with its file:line:column and key
    path. Exit code 2 when there are problems.
    """
    try:
        model = load_canvas(canvas)
    except CanvasError as exc:
        if not json_output:
            raise
        errors = [
            {**(where.to_dict() if where else {"file": str(canvas)}), "message": message}
            for where, message in exc.problems
        ]
        print_json({"ok": False, "file": str(canvas), "errors": errors})
        raise typer.Exit(EXIT_BAD_INPUT) from None
    summary = _summary(canvas, model)
    if json_output:
        print_json({"ok": True, **summary})
        return
    console.print(f"[bold green]OK[/] {escape(str(canvas))}", soft_wrap=True)
    _print_summary(summary, model)


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the schema to this file instead of stdout."),
    ] = None,
) -> None:
    """Print the JSON Schema of canvas files, for editors that check and complete YAML.

    With the YAML language server, write the schema to a file and put
    `# yaml-language-server: $schema=canvas.schema.json` on the first line of the canvas.
    """
    text = json.dumps(canvas_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    write_atomic(output, text)
    console.print(
        f"wrote {escape(str(output))}; point editors at it with "
        f"`# yaml-language-server: $schema={escape(output.name)}`",
        soft_wrap=True,
    )


@app.command()
def templates(json_output: JsonOption = False) -> None:
    """List the built-in canvas templates that `opcanvas init --template NAME` starts from."""
    if json_output:
        print_json([template.to_dict() for template in TEMPLATES])
        return
    table = Table("template", "description")
    for template in TEMPLATES:
        table.add_row(template.name, escape(template.description))
    console.print(table)
