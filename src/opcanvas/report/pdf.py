"""The PDF: the report's HTML printed by WeasyPrint, with SVG text drawn a run at a time.

WeasyPrint 70 lays out and draws every character of an SVG ``<text>`` on its own (so that
per-glyph ``x``/``dx``/``rotate`` lists work), which made the charts and maps half of the
PDF's run time: the demo report has about 2,200 text nodes and 34,000 characters in them.
The report's SVGs place each text as a whole (one ``x`` and ``y``, no per-glyph lists, no
``letter-spacing`` or ``textLength``), so :func:`svg_text_runs` swaps in a drawer that shapes
such a text once, as proposed upstream (Kozea/WeasyPrint#2754), and hands any
other text to WeasyPrint's own function. The swap lasts for one rendering and is skipped on a
WeasyPrint whose SVG module does not look as expected, so an upgrade cannot break the PDF.

>>> data, pages = render_pdf("<p>Hello</p>")
>>> data[:5], pages
(b'%PDF-', 1)
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from math import inf
from typing import Any

from opcanvas.errors import ReportError

_PER_GLYPH = ("dx", "dy", "rotate", "textLength", "letter-spacing")
_LOCK = threading.Lock()  # the swap is process-wide: one rendering at a time


@dataclass(frozen=True)
class Layout:
    """Where a printing put things: each page's size, the first page of each anchor (an
    element's id) and the bookmarks (the headings) as ``(level, label, page, x, y)``. Pages
    count from 0; sizes and points are in CSS pixels from the page's top left corner."""

    sizes: tuple[tuple[float, float], ...]
    anchors: Mapping[str, int]
    bookmarks: tuple[tuple[int, str, int, float, float], ...]

    @classmethod
    def of(cls, pages: Sequence[Any]) -> Layout:
        """The layout of WeasyPrint's ``Document.pages``."""
        anchors: dict[str, int] = {}
        marks = []
        for number, page in enumerate(pages):
            for name in page.anchors:
                anchors.setdefault(name, number)
            marks += [(lv, label, number, x, y) for lv, label, (x, y), _ in page.bookmarks]
        return cls(tuple((p.width, p.height) for p in pages), anchors, tuple(marks))

    def to_dict(self) -> dict[str, Any]:
        return {"sizes": self.sizes, "anchors": dict(self.anchors), "bookmarks": self.bookmarks}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Layout:
        return cls(
            tuple((w, h) for w, h in data["sizes"]),
            dict(data["anchors"]),
            tuple((lv, label, n, x, y) for lv, label, n, x, y in data["bookmarks"]),
        )


def render_pdf(html: str, images: Mapping[str, str] | None = None) -> tuple[bytes, int]:
    """The HTML printed to PDF by WeasyPrint; returns the bytes and the page count.

    ``images`` are the SVG figures the page refers to by URL (``render_html(...,
    images=...)``), handed to WeasyPrint from memory. The report is self-contained, so
    nothing else may be loaded: any attempt stops the rendering with a ReportError instead
    of touching the network or the disk.
    """
    data, layout = print_pdf(html, images)
    return data, len(layout.sizes)


def print_pdf(
    html: str,
    images: Mapping[str, str] | None = None,
    *,
    laid_out: Callable[[Layout], None] | None = None,
) -> tuple[bytes, Layout]:
    """As :func:`render_pdf`, with the layout of the pages instead of their count; it goes to
    ``laid_out`` too, as soon as it is known (before the pages are drawn)."""
    import weasyprint  # imported here: it takes a second and only the PDF needs it
    from weasyprint.urls import FatalURLFetchingError

    fetcher = _memory_fetcher(dict(images or {}))
    with svg_text_runs():
        try:
            document = weasyprint.HTML(string=html, url_fetcher=fetcher).render()
        except FatalURLFetchingError as exc:
            raise ReportError(f"the report tried to load an external resource ({exc})") from None
        layout = Layout.of(document.pages)
        if laid_out is not None:
            laid_out(layout)
        data = document.write_pdf()
    assert data is not None
    return data, layout


def warm_up() -> None:
    """Load WeasyPrint, Pango and the report's fonts by printing a line (a worker's start)."""
    render_pdf('<p style="font-family: DejaVu Sans">Warm <b>up</b> <i>0.1</i></p>')


def _memory_fetcher(images: dict[str, str]) -> Any:
    """A WeasyPrint URL fetcher that serves ``images`` and refuses every other URL."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class MemoryFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            svg = images.get(url)
            if svg is None:  # fail_on_errors turns this into FatalURLFetchingError
                raise ValueError(f"not a figure of the report: {url}")
            return URLFetcherResponse(url, svg.encode("utf-8"), {"Content-Type": "image/svg+xml"})

    return MemoryFetcher(allowed_protocols=frozenset(), fail_on_errors=True)


@contextlib.contextmanager
def svg_text_runs() -> Iterator[bool]:
    """Within the block, WeasyPrint draws a plainly placed SVG text as one run of glyphs.

    Yields whether the faster drawer is in place (False on a WeasyPrint it does not know).
    """
    from weasyprint import svg as wsvg

    original = getattr(wsvg, "text", None)
    keys = [k for k, v in getattr(wsvg, "TAGS", {}).items() if v is original]
    if original is None or getattr(original, "__module__", "") != "weasyprint.svg.text" or not keys:
        yield False
        return
    fast = _runs_drawer(original)
    with _LOCK:
        # draw_node compares TAGS[tag] with the module's ``text`` to find text nodes:
        # both names point at the new drawer, so that test still holds
        wsvg.text = fast
        for key in keys:
            wsvg.TAGS[key] = fast
        try:
            yield True
        finally:
            wsvg.text = original
            for key in keys:
                wsvg.TAGS[key] = original


def _single(svg: Any, node: Any, name: str, font_size: float, extent: float) -> float | None:
    """The one coordinate in attribute ``name``, None when absent; a list raises ValueError."""
    from weasyprint.svg.utils import normalize, size

    if name not in node.attrib:
        return None
    values = normalize(node.attrib[name]).strip().split(" ")
    if len(values) != 1:
        raise ValueError(name)
    return float(size(values[0], font_size, extent))


def _runs_drawer(original: Callable[..., None]) -> Callable[..., None]:
    def text(svg: Any, node: Any, font_size: float) -> None:
        if not node.text or any(node.get(name) is not None for name in _PER_GLYPH):
            return original(svg, node, font_size)
        try:
            x = _single(svg, node, "x", font_size, svg.inner_width)
            y = _single(svg, node, "y", font_size, svg.inner_height)
        except ValueError:
            return original(svg, node, font_size)
        return _draw_run(svg, node, font_size, x, y)

    text.__module__ = "opcanvas.report.pdf"
    return text


def _style(svg: Any, node: Any, font_size: float) -> Any:
    """The text's style, built exactly as WeasyPrint's SVG text drawer builds it."""
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.svg.text import Style

    style = Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    families = node.get("font-family", "sans-serif").split(",")
    style["font_family"] = [font.strip("\"'") for font in families]
    style["font_style"] = node.get("font-style", "normal")
    style["font_size"] = font_size
    if node.get("direction") in ("ltr", "rtl"):
        style["direction"] = node.get("direction")
    weight = node.get("font-weight", 400)
    if weight == "normal":
        weight = 400
    elif weight == "bold":
        weight = 700
    else:
        try:
            weight = int(weight)
        except ValueError:
            weight = 400
    style["font_weight"] = weight
    return style


def _y_align(node: Any, font_size: float, height: float) -> float:
    """Vertical alignment, with WeasyPrint's approximations of ascent and descent."""
    ascent, descent = font_size * 0.8, font_size * 0.2
    anchor = node.get("display-anchor")
    baseline = node.get("dominant-baseline", node.get("alignment-baseline"))
    if anchor == "middle":
        return -height / 2
    if anchor == "top":
        return 0.0
    if anchor == "bottom":
        return -height
    if baseline in ("central", "middle"):
        return (ascent + descent) / 2 - descent
    if baseline in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        return ascent
    if baseline in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        return -descent
    return 0.0


def _draw_run(svg: Any, node: Any, font_size: float, x: float | None, y: float | None) -> None:
    """Lay out and draw ``node.text`` once, where WeasyPrint would have put its first glyph."""
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import TextBox
    from weasyprint.text.line_break import split_first_line

    style = _style(svg, node, font_size)
    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)
    # a given coordinate resets the pending shift, as in WeasyPrint (which tests truthiness)
    if x:
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1] + _y_align(node, font_size, height)
    top = y_position - baseline
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box, ((x_position, top), (x_position + width, top + height))
    )
    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    box = TextBox(layout, style)
    box.baseline = baseline
    matrix = Matrix(a=1, d=-1, e=x_position, f=y_position)
    emojis = draw_first_line(svg.stream, box, "none", "none", matrix)
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)
