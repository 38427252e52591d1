"""A tiny SVG writer: escaped text, fixed number formatting, presentation attributes only.

Attributes rather than CSS, because every renderer that meets our SVGs (browsers, WeasyPrint,
resvg in vl-convert, draw.io's importer) understands them. Numbers are written with at most one
decimal, so the same drawing always gives the same bytes.

>>> doc = Svg(100, 50)
>>> doc.text(10, 20, "a < b", size=10)
>>> "a &lt; b" in doc.render()
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from opcanvas.render.text import esc, fit, text_width

FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
INK = "#1f2933"
MUTED = "#616e7c"
LINE = "#3e4c59"


def num(value: float) -> str:
    """A coordinate with at most one decimal and no trailing zeros: ``12.0`` → ``"12"``."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _attrs(attrs: Mapping[str, str | float | None]) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        text = num(value) if isinstance(value, float | int) else esc(value)
        parts.append(f' {key.rstrip("_").replace("_", "-")}="{text}"')
    return "".join(parts)


class Svg:
    """Collects SVG elements in drawing order; ``render()`` returns the document."""

    def __init__(self, width: float, height: float, *, title: str = "", desc: str = "") -> None:
        self.width, self.height = width, height
        self.parts: list[str] = []
        self.defs: list[str] = []
        self.title, self.desc = title, desc

    def raw(self, markup: str) -> None:
        """Markup built by this module (never user text)."""
        self.parts.append(markup)

    def open(self, **attrs: str | float | None) -> None:
        self.parts.append(f"<g{_attrs(attrs)}>")

    def close(self) -> None:
        self.parts.append("</g>")

    def tooltip(self, text: str) -> None:
        """A ``<title>``: the full text of whatever was cut, shown on hover."""
        self.parts.append(f"<title>{esc(text)}</title>")

    def rect(self, x: float, y: float, w: float, h: float, **attrs: str | float | None) -> None:
        self.parts.append(
            f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}"{_attrs(attrs)}/>'
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, **attrs: str | float | None) -> None:
        self.parts.append(
            f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}"{_attrs(attrs)}/>'
        )

    def polyline(self, points: Iterable[tuple[float, float]], **attrs: str | float | None) -> None:
        pts = " ".join(f"{num(x)},{num(y)}" for x, y in points)
        self.parts.append(f'<polyline points="{pts}" fill="none"{_attrs(attrs)}/>')

    def polygon(self, points: Iterable[tuple[float, float]], **attrs: str | float | None) -> None:
        pts = " ".join(f"{num(x)},{num(y)}" for x, y in points)
        self.parts.append(f'<polygon points="{pts}"{_attrs(attrs)}/>')

    def circle(self, cx: float, cy: float, r: float, **attrs: str | float | None) -> None:
        self.parts.append(f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}"{_attrs(attrs)}/>')

    def path(self, d: str, **attrs: str | float | None) -> None:
        self.parts.append(f'<path d="{d}"{_attrs(attrs)}/>')

    def text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        size: float,
        anchor: str = "start",
        bold: bool = False,
        italic: bool = False,
        fill: str = INK,
        **attrs: str | float | None,
    ) -> None:
        """One line of text at baseline ``y``; the caller has made it fit."""
        style = {
            "font-size": num(size),
            "text-anchor": None if anchor == "start" else anchor,
            "font-weight": "bold" if bold else None,
            "font-style": "italic" if italic else None,
            "fill": fill,
        }
        self.parts.append(
            f'<text x="{num(x)}" y="{num(y)}"{_attrs(style)}{_attrs(attrs)}>{esc(content)}</text>'
        )

    def fitted_text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        width: float,
        size: float,
        max_lines: int = 1,
        line_height: float | None = None,
        anchor: str = "start",
        bold: bool = False,
        italic: bool = False,
        fill: str = INK,
    ) -> int:
        """Wrap ``content`` into ``width``; cut text gets a tooltip. Returns the lines used."""
        fitted = fit(content, width, size, max_lines=max_lines, bold=bold)
        step = line_height or size * 1.25
        if fitted.truncated:
            self.open()
            self.tooltip(content)
        for index, line in enumerate(fitted.lines):
            self.text(
                x, y + index * step, line, size=size, anchor=anchor, bold=bold, italic=italic,
                fill=fill,
            )  # fmt: skip
        if fitted.truncated:
            self.close()
        return len(fitted.lines)

    def render(self) -> str:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}" '
            f'height="{num(self.height)}" viewBox="0 0 {num(self.width)} {num(self.height)}" '
            f'font-family="{FONT}" role="img">'
        )
        meta = f"<title>{esc(self.title)}</title>" if self.title else ""
        meta += f"<desc>{esc(self.desc)}</desc>" if self.desc else ""
        defs = "<defs>" + "".join(self.defs) + "</defs>" if self.defs else ""
        body = "\n".join(self.parts)
        return f'<?xml version="1.0" encoding="UTF-8"?>\n{head}{meta}{defs}\n{body}\n</svg>\n'


def width_of(text: str, size: float, *, bold: bool = False) -> float:
    """Re-export for layout code that sizes boxes to their text."""
    return text_width(text, size, bold=bold)
