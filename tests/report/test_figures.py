"""Figures come from the assessment; odd but valid canvases still draw (or say why not)."""

from __future__ import annotations

import pytest

from opcanvas.assess import assess
from opcanvas.canvas import parse_canvas
from opcanvas.report.build import build_document
from opcanvas.report.figures import build_figures
from opcanvas.report.html import render_html

CANVAS = """
organization: Edge
engines:
  growth:
    streams:
      s:
        name: S
        steps: [{id: a, name: A, process_time: 1h, wait_time: 2h}]
gaps:
  - {id: good, title: Good, stream: growth/s, drivers: {x: [1, 2, 3]},
     formulas: {annual_value: x * 1000}, implementation_cost: 500}
  - {id: loss, title: Loss, stream: growth/s, drivers: {a: -5},
     formulas: {annual_value: a * 1000}}
"""


@pytest.fixture(scope="module")
def figures_and_page() -> tuple[list[str], str]:
    a = assess(parse_canvas(CANVAS), samples=300)
    figures = build_figures(a)
    return sorted(figures.figures), render_html(build_document(a, figures))


def test_a_gap_that_loses_money_is_left_out_of_the_value_charts(
    figures_and_page: tuple[list[str], str],
) -> None:
    keys, page = figures_and_page
    assert {"chart:pareto", "chart:matrix", "chart:tornado:good",
            "chart:distribution:good"} <= set(keys)  # fmt: skip
    assert "chart:tornado:loss" not in keys
    assert "(1 gap at $0 or less left out)" in page


def test_every_stream_has_its_map(figures_and_page: tuple[list[str], str]) -> None:
    keys, page = figures_and_page
    assert "map:growth/s:current" in keys
    assert "S: current state" in page.replace("Growth · ", "")
