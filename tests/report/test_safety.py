"""Canvas text is inert in every output: HTML, SVG, Markdown, spreadsheet cells, file names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opcanvas.report.safety import (
    formula_like,
    html_text,
    md_text,
    safe_filename,
    sanitize_svg,
    slug,
    xlsx_text,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Growth / MQL → Close", "growth-mql-close"),
        ("../../etc/passwd", "etc-passwd"),
        ("..", "item"),
        ("", "item"),
        ("Café Déjà", "cafe-deja"),
        ('=HYPERLINK("http://x")', "hyperlink-http-x"),
        ("<script>alert(1)</script>", "script-alert-1-script"),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


@given(st.text())
def test_slug_is_always_a_plain_file_name(text: str) -> None:
    name = safe_filename(text, suffix=".svg")
    assert "/" not in name and "\\" not in name and ".." not in name
    assert name.endswith(".svg") and len(name) > len(".svg")
    assert set(name[: -len(".svg")]) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")


@pytest.mark.parametrize(
    ("text", "risky"),
    [("=1+1", True), ("+1", True), ("-1", True), ("@SUM(A1)", True), ("\tx", True),
     ("\rx", True), ("a=1", False), ("Sales", False)],
)  # fmt: skip
def test_formula_like(text: str, risky: bool) -> None:
    assert formula_like(text) is risky
    assert xlsx_text(text) == ("'" + text if risky else text)


def test_html_text_escapes_markup_and_quotes() -> None:
    assert html_text('<script>alert("x")</script>') == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("a | b", "a \\| b"),
        ("- item", "\\- item"),
        ("12. point", "12\\. point"),
        ("# head", "\\# head"),
        ("two\nlines", "two lines"),
        ("*bold* _it_ `code` [link]", "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\]"),
        ("1.77mo and 40.8%", "1.77mo and 40.8%"),
        ("critical_path", "critical_path"),
        ("---", "\\---"),
    ],
)
def test_md_text(text: str, expected: str) -> None:
    assert md_text(text) == expected


def test_sanitize_svg_drops_scripts_handlers_and_remote_links() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<script>alert(1)</script><rect onclick="alert(1)" fill="url(#g)" width="5"/>'
        '<a xlink:href="http://evil.example/"><text>x</text></a>'
        '<image href="https://evil.example/i.png"/><use href="#local"/>'
        '<rect style="fill: url(http://evil.example/x)"/></svg>'
    )
    clean = sanitize_svg(svg)
    assert "script" not in clean and "onclick" not in clean
    assert "http" not in clean
    assert 'fill="url(#g)"' in clean and 'href="#local"' in clean
    assert "<text>x</text>" in clean


def test_sanitize_svg_refuses_entities() -> None:
    svg = (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>'
    )
    assert "root:" not in sanitize_svg(svg)
