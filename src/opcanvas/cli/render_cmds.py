"""Command ``map``: draw one value stream as SVG, PNG, draw.io or Mermaid.

Parses, calls :func:`opcanvas.render.maps.render_map`, writes the file atomically and prints
what it wrote with the conventions behind the numbers (or JSON with ``--json``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from opcanvas.canvas import load_canvas
from opcanvas.canvas.io import write_atomic
from opcanvas.cli.app import JsonOption, app, console, print_json
from opcanvas.errors import ReportError
from opcanvas.render.mapmodel import State, build_map
from opcanvas.render.maps import MAP_FORMATS, default_filename, render_map

_FORMAT_HELP = "; ".join(f"{f.name}: {f.help}" for f in MAP_FORMATS.values())


@app.command("map")
def map_command(
    canvas_file: Annotated[Path, typer.Argument(help="The canvas file (YAML).")],
    stream: Annotated[
        str, typer.Option("--stream", "-s", help="The stream to draw, as engine/stream.")
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help=_FORMAT_HELP)] = "svg",
    future: Annotated[
        bool, typer.Option("--future", help="Draw the stream's future_state (changes applied).")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (default: ENGINE-STREAM[-future].EXT here); '-' writes a text "
            "format to standard output.",
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Draw a value stream map (SVG, PNG, draw.io or Mermaid).

    Process boxes with data boxes, queues, swim lanes, systems, the lead-time ladder and the
    stream totals, with measured figures told from estimates.
    """
    if fmt not in MAP_FORMATS:
        raise ReportError(
            f'--format "{fmt}" is not a map format; expected one of {", ".join(MAP_FORMATS)}'
        )
    to_stdout = output is not None and str(output) == "-"
    if to_stdout and MAP_FORMATS[fmt].binary:
        raise ReportError(f"{fmt} is binary; write it to a file with -o FILE.{fmt}")
    canvas = load_canvas(canvas_file)
    state: State = "future" if future else "current"
    data = render_map(canvas, stream, fmt, state=state)
    if to_stdout:
        sys.stdout.write(data.decode("utf-8"))
        return
    path = output if output is not None else Path(default_filename(stream, fmt, state))
    write_atomic(path, data)
    view = build_map(canvas, stream, state=state)
    totals = {t.label: t.text for t in view.totals}
    summary = {
        "file": str(path),
        "stream": stream,
        "state": state,
        "scenario": view.scenario,
        "format": fmt,
        "bytes": len(data),
        "totals": totals,
        "conventions": list(view.conventions),
    }
    if json_output:
        print_json(summary)
        return
    title = f"{view.title} ({state} state" + (f": {view.scenario})" if view.scenario else ")")
    # soft_wrap: a path or a figure broken across lines cannot be copied
    console.print(
        f"wrote {escape(str(path))}: {escape(title)}, {fmt}, {len(data):,} bytes", soft_wrap=True
    )
    console.print(" · ".join(f"{escape(k)} {escape(v)}" for k, v in totals.items()), soft_wrap=True)
    console.print(
        "conventions: " + escape("; ".join(view.conventions)), style="dim", soft_wrap=True
    )
