"""Text for drawings: escaping, measuring and fitting text into boxes without a font engine.

SVG has no text layout, so a renderer that must never overflow a box measures text itself. The
widths below are DejaVu Sans advance widths (per 1000 em), the widest common sans-serif on the
machines that render our SVGs (WeasyPrint, resvg, browsers falling back from Verdana/Arial), so
text that fits here also fits in narrower fonts.

>>> fit("Solution design and proposal", 60.0, 11.0, max_lines=2)
Fitted(lines=('Solution', 'design…'), truncated=True)
>>> fit("Non-standard terms", 60.0, 9.0, max_lines=3).lines
('Non-', 'standard', 'terms')
>>> esc('<script>alert("x")</script>')
'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# DejaVu Sans and DejaVu Sans Bold advance widths of ASCII 32..126, in 1/1000 em.
_REGULAR = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698,
    770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732,
    684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
    634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592,
    525, 636, 337, 636, 838,
)  # fmt: skip
_BOLD = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734,
    830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812,
    774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716,
    712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652,
    582, 712, 365, 712, 838,
)  # fmt: skip
_SYMBOLS = {"–": 500, "—": 1000, "→": 838, "×": 838, "≤": 838, "≥": 838, "…": 1000, "·": 318}
ELLIPSIS = "…"

# Characters XML 1.0 forbids; a name pasted from a spreadsheet may carry them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# XML turns line breaks and tabs in attributes into spaces (and \r into \n in text): do it first
_LINE_BREAKS = re.compile("\r\n|[\r\n\t]")


def clean(text: str) -> str:
    """Text safe to put anywhere in XML: forbidden control characters removed, lines joined."""
    return _LINE_BREAKS.sub(" ", _XML_INVALID.sub("", text))


def esc(text: str) -> str:
    """Escape user text for XML character data and attribute values (quotes included)."""
    return (
        clean(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def _char_width(char: str, bold: bool) -> float:
    code = ord(char)
    if 32 <= code <= 126:
        return (_BOLD if bold else _REGULAR)[code - 32] / 1000
    if char in _SYMBOLS:
        return _SYMBOLS[char] / 1000
    if unicodedata.combining(char):
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    return 0.84 if bold else 0.78  # generous: unknown glyphs must not overflow


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width in px of ``text`` at font size ``size`` px (DejaVu Sans metrics)."""
    return sum(_char_width(c, bold) for c in text) * size


@dataclass(frozen=True)
class Fitted:
    """Lines that fit a width, and whether anything was cut (then show a tooltip)."""

    lines: tuple[str, ...]
    truncated: bool


def _ellipsize(text: str, width: float, size: float, bold: bool, *, force: bool = False) -> str:
    """``text`` cut to fit ``width`` with an ellipsis; ``force`` adds one even if it fits."""
    if not force and text_width(text, size, bold=bold) <= width:
        return text
    if text.endswith(ELLIPSIS) and text_width(text, size, bold=bold) <= width:
        return text
    budget = width - text_width(ELLIPSIS, size, bold=bold)
    cut = ""
    for char in text:
        if text_width(cut + char, size, bold=bold) > budget:
            break
        cut += char
    return cut.rstrip() + ELLIPSIS


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Words, split after hyphens; ``True`` marks a piece glued to the one before it."""
    pieces: list[tuple[str, bool]] = []
    for word in clean(text).split():
        for index, piece in enumerate(re.findall(r"[^-]+-+|[^-]+|-+", word)):
            pieces.append((piece, index > 0))
    return pieces


def _split_wide(piece: str, width: float, size: float, bold: bool) -> list[str]:
    """A piece wider than a line, cut into line-wide chunks ending in a hyphen."""
    chunks, current = [], ""
    for char in piece:
        if current and text_width(current + char + "-", size, bold=bold) > width:
            chunks.append(current if current.endswith("-") else current + "-")
            current = ""
        current += char
    return [*chunks, current] if current else chunks


def fit(text: str, width: float, size: float, *, max_lines: int = 1, bold: bool = False) -> Fitted:
    """Wrap ``text`` into at most ``max_lines`` lines no wider than ``width`` px.

    Lines break at spaces and after hyphens; a word wider than a line is cut across lines.
    Text left over after the last line ends the last line with an ellipsis.
    """
    lines: list[str] = []
    current = ""
    for piece, glued in _tokens(text):
        candidate = current + piece if glued or not current else f"{current} {piece}"
        if text_width(candidate, size, bold=bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        chunks = _split_wide(piece, width, size, bold)
        lines.extend(chunks[:-1])
        current = chunks[-1]
    if current:
        lines.append(current)
    truncated = len(lines) > max_lines
    lines = lines[:max_lines]
    if truncated:
        lines[-1] = _ellipsize(lines[-1], width, size, bold, force=True)
    return Fitted(tuple(lines), truncated)
