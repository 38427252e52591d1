"""The HTML report is one self-contained file, and canvas text in it is only ever text."""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from opcanvas.report.document import Cell, Document, Section, Table, text
from opcanvas.report.html import CSS, _weights, render_html

from .conftest import FORMULA, SCRIPT, Written

LINK_ATTRIBUTES = {"src", "href", "xlink:href", "action", "srcset", "poster", "data", "background",
                   "formaction", "manifest", "{http://www.w3.org/1999/xlink}href"}  # fmt: skip
URL = re.compile(r"url\(\s*['\"]?([^)'\"]*)")


def _tree(written: Written) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(written.text("html"))


def test_no_external_references(hostile_report: Written) -> None:
    tree = _tree(hostile_report)
    checked = 0
    for element in tree.iter():
        for name, value in element.attrib.items():
            if name in LINK_ATTRIBUTES or name.endswith("}href"):
                checked += 1
                assert value.startswith("#"), (element.tag, name, value)
            if name == "style" or "url(" in value:
                assert "http" not in value.lower(), (element.tag, name, value)
            for target in URL.findall(value):
                assert target.startswith("#"), (element.tag, name, value)
            if name.startswith("on"):
                pytest.fail(f"event handler {name} on {element.tag}")
    assert checked >= 6  # the table of contents links to each deliverable
    styles = " ".join(s.text or "" for s in tree.iter("style"))
    assert "@import" not in styles and "@font-face" not in styles
    assert all(t.startswith("#") for t in URL.findall(styles))
    assert "http" not in styles
    assert not list(tree.iter("script", "link", "iframe", "object", "embed", "img", "base"))


def test_inline_svg_figures_and_print_rules(hostile_report: Written) -> None:
    page = hostile_report.text("html")
    tree = _tree(hostile_report)
    svgs = list(tree.iter("svg"))
    assert len(svgs) >= 5  # two maps, the dependency map and the charts
    assert all(s.get("viewbox") or s.get("viewBox") for s in svgs)
    assert "@page" in CSS and "counter(page)" in CSS and "break-before: page" in CSS
    assert 'name="viewport"' in page


def test_hostile_text_is_escaped(hostile_report: Written) -> None:
    page = hostile_report.text("html")
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    tree = _tree(hostile_report)
    assert tree.findtext(".//title").startswith(SCRIPT)  # read back as text, not markup
    assert FORMULA in tree.text_content()
    headings = [h.text_content() for h in tree.iter("h1")]
    assert headings[0] == f"{SCRIPT} & Co"


def test_hostile_text_in_svg_files_is_escaped(hostile_report: Written) -> None:
    for name in hostile_report.result.files:
        if name.endswith(".svg"):
            content = hostile_report.result.path(name).read_text(encoding="utf-8")
            assert SCRIPT not in content, name


def test_every_deliverable_is_there_with_its_conventions(hostile_report: Written) -> None:
    tree = _tree(hostile_report)
    sections = tree.find_class("deliverable")
    ids = [s.get("id") for s in sections]
    assert ids == ["d-maps", "d-gaps", "d-roadmap", "d-governance", "d-dependencies",
                   "d-workshop"]  # fmt: skip
    for section in sections:
        assert section.find_class("conventions"), section.get("id")


def test_missing_parts_are_reported_not_hidden(hostile_report: Written) -> None:
    page = _tree(hostile_report).text_content()
    assert "blank-gap: no drivers or formulas yet" in page
    assert "Implementation: PT, wait time" in page  # a blank step, named in the stream


def test_column_widths_keep_headers_whole_when_the_table_is_too_wide() -> None:
    columns = ("Initiative", "Annual value", "P10", "Payback (months)", "Notes")
    long_text = "x" * 200
    table = Table(columns, ((text("A"), Cell(1.0, "$1"), Cell(1.0, "$1"), Cell(1.0, "1"),
                             text(long_text)),))  # fmt: skip
    weights = _weights(table, 60)
    assert round(sum(weights)) == 60
    assert weights[1] >= len("Annual") + 3 and weights[3] >= len("(months)") + 3
    assert weights[4] < 42  # the long text column gave way


def test_empty_table_reads_as_a_sentence() -> None:
    document = Document("R", "Org", "s", ())
    page = render_html(document)
    assert "<table" not in page
    empty = Table(("A",), (), caption="Cap", empty="Nothing yet.")
    deliverable_html = render_html(
        Document("R", "Org", "s", (_deliverable(Section("S", (empty,))),))
    )
    assert "<strong>Cap</strong>: Nothing yet." in deliverable_html


def _deliverable(section: Section):  # type: ignore[no-untyped-def]
    from opcanvas.report.document import Deliverable

    return Deliverable("k", "1", "T", "summary", (section,))
