"""The value stream map formats, declared once with their help text, and one entry point.

>>> sorted(MAP_FORMATS)
['drawio', 'mermaid', 'png', 'svg']
>>> from opcanvas.canvas import parse_canvas
>>> canvas = parse_canvas('''
... organization: Acme
... engines: {growth: {streams: {s: {name: S, steps: [{id: a, name: A}]}}}}
... ''')
>>> render_map(canvas, "growth/s", "mermaid")[:12]
b'flowchart LR'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from opcanvas.canvas.model import Canvas
from opcanvas.errors import ReportError
from opcanvas.render.drawio import to_drawio
from opcanvas.render.mapmodel import State
from opcanvas.render.mermaid import to_mermaid
from opcanvas.render.vsm import render_vsm_svg

PNG_SCALE = 2.0  # twice the SVG's pixel size: sharp on screens and in print at A4


@dataclass(frozen=True)
class MapFormat:
    """One output format of ``opcanvas map``."""

    name: str
    suffix: str
    binary: bool
    help: str


MAP_FORMATS: dict[str, MapFormat] = {
    f.name: f
    for f in (
        MapFormat("svg", ".svg", False, "SVG value stream map in the Learning to See icons"),
        MapFormat("png", ".png", True, "the SVG map as a PNG image (needs vl-convert-python)"),
        MapFormat(
            "drawio",
            ".drawio",
            False,
            "draw.io file in its lean-mapping shapes, to edit in draw.io, Lucid or Miro",
        ),
        MapFormat("mermaid", ".mmd", False, "Mermaid flowchart for docs and wikis"),
    )
}


def svg_to_png(svg: str, scale: float = PNG_SCALE) -> bytes:
    """Rasterise an SVG with vl-convert (resvg, offline). A missing vl-convert is a ReportError."""
    try:
        convert: Callable[..., bytes] = importlib.import_module("vl_convert").svg_to_png
    except ImportError:
        raise ReportError(
            "PNG output needs the vl-convert-python package, which is not installed",
            hint="install it (it is a dependency of opcanvas), or use --format svg",
        ) from None
    return convert(svg, scale=scale)


def png_available() -> bool:
    """Whether PNG maps can be made here (vl-convert-python importable)."""
    try:
        importlib.import_module("vl_convert")
    except ImportError:
        return False
    return True


def render_map(canvas: Canvas, ref: str, fmt: str = "svg", *, state: State = "current") -> bytes:
    """The map of stream ``ref`` in format ``fmt`` (see :data:`MAP_FORMATS`), as bytes."""
    if fmt not in MAP_FORMATS:
        raise ReportError(f'unknown map format "{fmt}"; expected one of {", ".join(MAP_FORMATS)}')
    if fmt == "drawio":
        return to_drawio(canvas, ref, state=state).encode("utf-8")
    if fmt == "mermaid":
        return to_mermaid(canvas, ref, state=state).encode("utf-8")
    svg = render_vsm_svg(canvas, ref, state=state)
    return svg_to_png(svg) if fmt == "png" else svg.encode("utf-8")


def default_filename(ref: str, fmt: str, state: State = "current") -> str:
    """``growth/mql-to-close`` → ``growth-mql-to-close.svg`` (``-future`` for the future state).

    Stream references are slugs, so the name is safe on every file system.
    """
    stem = ref.replace("/", "-") + ("-future" if state == "future" else "")
    return stem + MAP_FORMATS[fmt].suffix
