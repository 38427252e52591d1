"""Making canvas text inert in every output: HTML, SVG, Markdown, XLSX cells and file names.

Canvas text is user text. A stream called ``<script>alert(1)</script>`` must print as those
characters in HTML; a step called ``=HYPERLINK("http://x")`` must be a string in Excel, not a
formula (CWE-1236); a stream id must never become ``../../etc`` in a file name.

>>> xlsx_text('=HYPERLINK("http://x")')
'\\'=HYPERLINK("http://x")'
>>> slug("Growth / MQL → Close")
'growth-mql-close'
>>> print(md_text("a|b *c*"))
a\\|b \\*c\\*
"""

from __future__ import annotations

import html
import re
import unicodedata

from lxml import etree

# A cell starting with one of these is read as a formula (or DDE) by Excel, LibreOffice and Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def formula_like(text: str) -> bool:
    """Would a spreadsheet read this text as a formula (or DDE) if typed into a cell?"""
    return text.startswith(_FORMULA_START)


def xlsx_text(text: str) -> str:
    """Text for CSV-like targets: formula-like text gets a leading apostrophe.

    The XLSX writer does better: it stores such text as a string cell with Excel's
    quote-prefix flag, so it shows exactly as typed and is never evaluated.
    """
    return "'" + text if formula_like(text) else text


def html_text(text: object) -> str:
    """Text for an HTML element or attribute (quotes escaped too)."""
    return html.escape(str(text), quote=True)


# Markdown punctuation that could start emphasis, links, code, tables or raw HTML. An
# underscore inside a word (critical_path) cannot start emphasis and stays as it is.
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
# ... and what matters only at the start of a line: headings, list items, rules.
_MD_LIST = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_MD_MARKER = re.compile(r"^([#+\-=])(?=[\s#+\-=]|$)")


def md_text(text: object) -> str:
    """Text for a Markdown paragraph or table cell: specials backslash-escaped, one line.

    ``<`` and ``>`` are escaped too, so no raw HTML reaches a Markdown renderer; numbers such
    as ``1.5d`` stay readable, while ``1. `` at the start of a line cannot begin a list.
    """
    flat = " ".join(str(text).split())
    escaped = _MD_SPECIAL.sub(r"\\\1", flat)
    escaped = _MD_LIST.sub(r"\1\\\2", escaped)
    return _MD_MARKER.sub(r"\\\1", escaped)


_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slug(text: str, *, default: str = "item", max_length: int = 60) -> str:
    """A file-name-safe slug: ASCII letters, digits and single dashes, never empty or ``..``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = _SLUG_DROP.sub("-", ascii_text.lower()).strip("-")[:max_length].strip("-")
    return cleaned or default


def safe_filename(*parts: str, suffix: str = "") -> str:
    """A file name from user text: slugs joined by ``--`` plus a fixed suffix.

    >>> safe_filename("growth", "../../etc/passwd", suffix=".svg")
    'growth--etc-passwd.svg'
    """
    return "--".join(slug(part) for part in parts) + suffix


# SVG is produced by our own renderers, which escape canvas text; this is a second line of
# defence before SVG is inlined into HTML: no scripts, no event handlers, no external links.
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_DROP_TAGS = {"script", "foreignObject", "iframe", "object", "embed"}


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _safe_link(value: str) -> bool:
    return value.startswith("#") or value.startswith("data:image/")


def sanitize_svg(svg: str, *, responsive: bool = False) -> str:
    """An SVG string fit to inline in HTML: no script, no ``on*`` handlers, only local links.

    The XML declaration and the namespace declarations are dropped (HTML puts ``<svg>`` in the
    SVG namespace by itself), so an inlined map carries no ``http`` text at all. With
    ``responsive``, the fixed width and height give way to the viewBox and a ``max-width``, so
    the drawing scales down to its container and keeps its proportions (browsers and WeasyPrint).
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    root = etree.fromstring(svg.encode("utf-8"), parser)
    if responsive:
        _make_responsive(root)
    for element in list(root.iter()):
        if _local(element.tag) in _DROP_TAGS:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
            continue
        for name in list(element.attrib):
            local = _local(name)
            value = element.attrib[name]
            handler = local.lower().startswith("on")
            remote = (local == "href" and not _safe_link(value)) or (
                "url(" in value and not _local_urls_only(value)
            )
            if handler or remote:
                del element.attrib[name]
    for style in root.iter(f"{{{_SVG_NS}}}style", "style"):
        if style.text and not _local_urls_only(style.text):
            style.text = re.sub(r"url\([^)]*\)", "none", style.text)
    etree.cleanup_namespaces(root)
    text = etree.tostring(root, encoding="unicode")
    # Namespace declarations are the only place a URL may remain; HTML does not need them.
    text = text.replace(f' xmlns="{_SVG_NS}"', "").replace(f' xmlns:xlink="{_XLINK_NS}"', "")
    return text


def _make_responsive(root: etree._Element) -> None:
    width, height = root.get("width"), root.get("height")
    try:
        w, h = float(str(width).removesuffix("px")), float(str(height).removesuffix("px"))
    except ValueError:
        return  # no plain pixel size: leave the drawing as it is
    if root.get("viewBox") is None:
        root.set("viewBox", f"0 0 {w:g} {h:g}")
    del root.attrib["width"]
    del root.attrib["height"]
    root.set("style", f"max-width:{w:g}px")


_URL = re.compile(r"url\(\s*['\"]?([^)'\"]*)['\"]?\s*\)")


def _local_urls_only(text: str) -> bool:
    return all(_safe_link(match) for match in _URL.findall(text))
