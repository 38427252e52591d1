"""The event-log charts of a mined canvas reach the report: the cycle-time scatter with its
percentile convention and the cumulative flow diagram, on the stream's page of the maps."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from opcanvas.assess import assess
from opcanvas.canvas.io import load_canvas, write_atomic
from opcanvas.canvas.templates import sample_canvas, sample_text
from opcanvas.mining import MiningResult, mine_into_canvas
from opcanvas.render.charts_adapters import mining_calendar
from opcanvas.render.charts_base import format_short, time_unit
from opcanvas.report.build import build_document
from opcanvas.report.document import Figure
from opcanvas.report.figures import EDGES, build_figures, event_figures
from opcanvas.report.html import render_html
from opcanvas.simulate import event_log, write_event_log

REF = "growth/mql-to-close"
Mined = tuple[MiningResult, dict[str, Figure], str]
CASES = 60


@pytest.fixture(scope="module")
def mined_report(tmp_path_factory: pytest.TempPathFactory) -> Mined:
    out = tmp_path_factory.mktemp("mined")
    canvas_path = out / "northwind.yaml"
    write_atomic(canvas_path, sample_text())
    start = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    table = event_log(sample_canvas(), REF, cases=CASES, seed=3, start=start)
    log = write_event_log(table, out / "log.parquet")
    mined = mine_into_canvas(canvas_path, log, REF, basis="working")
    a = assess(load_canvas(canvas_path), samples=300, seed=0)
    extra = event_figures(a, REF, mined.result)
    page = render_html(build_document(a, build_figures(a, extra)))
    return mined.result, extra, page


def test_the_mined_stream_gets_its_event_charts(mined_report: Mined) -> None:
    _, extra, _ = mined_report
    assert sorted(extra) == [f"chart:{c}:{REF}" for c in ("cfd", "cycle-time", "wip")]
    assert extra[f"chart:cycle-time:{REF}"].file == "charts/cycle-time--growth--mql-to-close.svg"
    assert extra[f"chart:cfd:{REF}"].file == "charts/cfd--growth--mql-to-close.svg"


def test_scatter_prints_the_percentiles_of_the_mined_cases(
    mined_report: Mined,
) -> None:
    result, extra, page = mined_report
    leads = [c.lead for c in result.stream.sample.cases]
    assert len(leads) == CASES
    figure = extra[f"chart:cycle-time:{REF}"]
    unit = time_unit(max(leads), mining_calendar(result), None)
    for p, value in zip((50, 85, 95), np.percentile(leads, [50, 85, 95]), strict=True):
        assert f"P{p} {format_short(float(value), unit)}" in figure.svg
    # the convention is printed: which percentiles, how interpolated, on which clock
    assert "lines at the P50, P85, P95 of lead time (percentile method: linear)" in figure.svg
    assert "Lead time on working time: 09:00–17:00, Mon–Fri" in figure.svg
    assert f"every case of the log ({CASES})" in figure.caption
    assert figure.caption in page or _escaped(figure.caption) in page


def test_cfd_is_on_the_streams_page(mined_report: Mined) -> None:
    _, extra, page = mined_report
    cfd = extra[f"chart:cfd:{REF}"]
    assert f"cumulative arrivals and departures of {CASES} cases" in cfd.caption
    # the scatter, then the CFD, then the WIP chart, all inline in the HTML
    at = [
        page.find(_escaped(extra[f"chart:{c}:{REF}"].caption)) for c in ("cycle-time", "cfd", "wip")
    ]
    assert -1 not in at and at == sorted(at)
    assert "Top edge: cases started so far; lower edge of In progress: cases finished" in page


def test_flow_charts_say_the_extract_undercounts_at_its_ends(mined_report: Mined) -> None:
    """The mined WIP falls to zero at the log's last date by construction: both flow charts
    say so under their subtitle, so nobody reads the edge as a real drop."""
    result, extra, _ = mined_report
    assert result.stream.wip[-1][1] == 0 < max(n for _, n in result.stream.wip)
    for chart in ("cfd", "wip"):
        assert f">{EDGES}</tspan>" in extra[f"chart:{chart}:{REF}"].svg  # its own line


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
