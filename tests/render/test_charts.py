"""Charts: the numbers they print, their order, their determinism and their escaping.

Every chart is rendered to SVG (vl-convert, offline) and read back as XML: the tests look for
the labels and values a reader would see, computed here by hand.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from typing import Any

import altair as alt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from opcanvas.canvas import Calendar, parse_canvas
from opcanvas.errors import ReportError
from opcanvas.render.charts import (
    CasePoint,
    FlowBand,
    GanttBar,
    KpiBar,
    PriorityPoint,
    SprintSpan,
    StepTime,
    StreamTotals,
    SwingBar,
    ValueItem,
    ValuePoint,
    arrivals_departures,
    cumulative_flow_chart,
    cycle_time_scatter,
    kpi_chart,
    kpi_status,
    lead_time_chart,
    pareto_chart,
    pareto_rows,
    percentile_lines,
    priority_matrix_chart,
    roadmap_chart,
    time_unit,
    to_png,
    to_svg,
    tornado_chart,
    value_distribution_chart,
)
from opcanvas.render.charts_base import _renumber_ids, nice_ceiling, spread_labels, unique_labels

SVG = "{http://www.w3.org/2000/svg}"
SCRIPT = "<script>x</script>"
FORMULA = '=HYPERLINK("x")'


def parse(svg: str) -> Any:
    return etree.fromstring(svg.encode())


def texts(svg: str) -> list[str]:
    """Every line of text a reader sees, in document order (a multi-line text is tspans)."""
    lines = []
    for text in parse(svg).iter(f"{SVG}text"):
        spans = text.findall(f"{SVG}tspan")
        lines += ["".join(s.itertext()) for s in spans] if spans else ["".join(text.itertext())]
    return lines


def mark_texts(svg: str) -> list[str]:
    """The texts drawn as marks (labels on bars, lines, rules), not axes, legends or titles."""
    return [
        "".join(t.itertext())
        for t in parse(svg).iter(f"{SVG}text")
        if t.get("aria-roledescription") == "text mark"
    ]


def _y(element: Any) -> float:
    match = re.search(r"translate\(([-\d.e]+),([-\d.e]+)\)", element.get("transform", ""))
    assert match, element.get("transform")
    return float(match.group(2))


def y_axis_labels(svg: str) -> list[str]:
    """The y-axis labels from top to bottom."""
    for group in parse(svg).iter(f"{SVG}g"):
        if (group.get("aria-label") or "").startswith("Y-axis"):
            labels = [t for t in group.iter(f"{SVG}text") if t.get("opacity") != "0"]
            labels = [t for t in labels if "role-axis-label" in t.getparent().get("class", "")]
            return ["".join(t.itertext()) for t in sorted(labels, key=_y)]
    raise AssertionError("no y axis")


# ---- chart factories, shared by the determinism, validity and escaping tests -----------------
# Each takes two labels; the escaping test passes the two hostile ones.


def _lead(a: str = "Intake", b: str = "Review") -> Any:
    return lead_time_chart([StepTime(a, 240, 480, "measured"), StepTime(b, 480, 960)])


def _pareto(a: str = "Proposal automation", b: str = "Contracts") -> Any:
    return pareto_chart([ValueItem(a, 1_440_000), ValueItem(b, 720_000)])


def _matrix(a: str = "Proposal automation", b: str = "CRM") -> Any:
    return priority_matrix_chart(
        [PriorityPoint(a, 1_440_000, 4, 50_000, 1), PriorityPoint(b, 216_000, 3, None, 2)]
    )


def _distribution(a: str = "Proposal automation", b: str = "annual value") -> Any:
    samples = np.random.default_rng(7).triangular(1.0e6, 1.4e6, 1.7e6, 2000)
    return value_distribution_chart(samples, title=f"{a}: {b}")


def _tornado(a: str = "improvement", b: str = "win_rate") -> Any:
    return tornado_chart([SwingBar(a, 1.08e6, 1.62e6), SwingBar(b, 1.2e6, 1.5e6)], 1.44e6)


def _roadmap(a: str = "Proposal automation", b: str = "Foundation") -> Any:
    sprints = [SprintSpan(name, 90 * i, 90 * (i + 1)) for i, name in enumerate([b, "B", "C"])]
    bars = [GanttBar(a, 0, 90, "growth"), GanttBar("CRM", 90, 270, "retention")]
    return roadmap_chart(bars, sprints, [ValuePoint(0, 0), ValuePoint(270, 1e6)])


def _kpis(a: str = "Cycle time", b: str = "Win rate") -> Any:
    return kpi_chart([KpiBar(a, 62, 45, "days", "lower"), KpiBar(b, 30, 35, "%")])


def _scatter(a: str = "Cycle time", b: str = "by completion date") -> Any:
    cases = [CasePoint(f"c{i}", dt.date(2024, 1, i), i * 1440.0) for i in range(1, 11)]
    return cycle_time_scatter(cases, title=f"{a} {b}")


def _cfd(a: str = "In progress", b: str = "Done") -> Any:
    days = [dt.date(2024, 1, d) for d in (1, 2, 3)]
    return cumulative_flow_chart(days, [FlowBand(a, [2, 1, 1]), FlowBand(b, [0, 1, 2])])


FACTORIES: dict[str, Callable[..., Any]] = {
    "lead": _lead,
    "pareto": _pareto,
    "matrix": _matrix,
    "distribution": _distribution,
    "tornado": _tornado,
    "roadmap": _roadmap,
    "kpis": _kpis,
    "scatter": _scatter,
    "cfd": _cfd,
}


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_hostile_labels_render_identically_as_escaped_text(name: str) -> None:
    make = FACTORIES[name]
    first = to_svg(make(SCRIPT, FORMULA))
    assert to_svg(make(SCRIPT, FORMULA)) == first
    make(SCRIPT, FORMULA).to_dict(validate=True)  # to_svg skips schema validation: check here
    root = parse(first)
    assert root.tag == f"{SVG}svg"
    assert "DejaVu Sans" in first
    assert not [e for e in root.iter() if isinstance(e.tag, str) and "script" in e.tag.lower()]
    for hostile in (SCRIPT, FORMULA):
        assert any(hostile in text for text in texts(first)), (hostile, texts(first))
    assert "<script" not in first
    assert "&lt;script&gt;" in first


def test_clip_ids_do_not_depend_on_earlier_renders() -> None:
    chart = (
        alt.Chart(alt.Data(values=[{"x": 1, "y": 2}, {"x": 5, "y": 3}]))
        .mark_bar(clip=True)
        .encode(x=alt.X("x:Q", scale=alt.Scale(domain=[0, 2])), y="y:Q")
    )
    first = to_svg(chart)
    assert 'id="clip1"' in first and "url(#clip1)" in first
    assert to_svg(chart) == first  # vl-convert itself would say clip2 the second time


def test_png_renders_are_identical_and_scale() -> None:
    one, two = to_png(_pareto(), scale=1), to_png(_pareto(), scale=1)
    assert one == two and one.startswith(b"\x89PNG")
    width_1 = int.from_bytes(one[16:20], "big")
    width_2 = int.from_bytes(to_png(_pareto(), scale=2)[16:20], "big")
    assert width_2 == 2 * width_1


def test_renumbering_makes_counter_ids_stable() -> None:
    raw = '<g id="clip7"/><use clip-path="url(#clip7)"/><g id="clip9"/><a href="#clip9"/>'
    assert _renumber_ids(raw) == (
        '<g id="clip1"/><use clip-path="url(#clip1)"/><g id="clip2"/><a href="#clip2"/>'
    )


def test_rendering_is_offline_and_checks_the_scale() -> None:
    remote = alt.Chart(alt.UrlData("https://example.com/x.csv")).mark_point().encode(x="a:Q")
    with pytest.raises(ReportError, match="could not render the chart to SVG"):
        to_svg(remote)
    with pytest.raises(ReportError, match="PNG scale above 0"):
        to_png(_pareto(), scale=0)


# ---- Pareto -----------------------------------------------------------------------------------


def test_pareto_orders_by_value_and_prints_the_cumulative_shares() -> None:
    items = [ValueItem("B", 300), ValueItem("A", 500), ValueItem("D", 50), ValueItem("C", 150)]
    rows = pareto_rows(items)
    assert [(r.rank, r.label, r.cumulative) for r in rows] == [
        (1, "A", 500), (2, "B", 800), (3, "C", 950), (4, "D", 1000),
    ]  # fmt: skip
    assert [r.cumulative_share for r in rows] == [0.5, 0.8, 0.95, 1.0]
    svg = to_svg(pareto_chart(items))
    marks = mark_texts(svg)
    assert [t for t in marks if t.endswith("%")] == ["50%", "80%", "95%", "100%"]
    assert [t for t in marks if t.startswith("$")] == ["$500", "$300", "$150", "$50"]
    assert "4 items, total $1K" in " ".join(texts(svg))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 1, 1], ["33%", "67%", "100%"]),
        ([0, 0], ["0%", "0%"]),  # a zero total has zero shares, not a division error
        ([7], ["100%"]),
    ],
)
def test_pareto_share_rounding_and_zero_total(values: list[float], expected: list[str]) -> None:
    items = [ValueItem(f"g{i}", v) for i, v in enumerate(values)]
    marks = mark_texts(to_svg(pareto_chart(items)))
    assert [t for t in marks if t.endswith("%")] == expected


def test_pareto_ties_duplicates_and_bad_values() -> None:
    rows = pareto_rows([ValueItem("b", 100), ValueItem("a", 100), ValueItem("a", 50)])
    assert [r.label for r in rows] == ["a", "b", "a (2)"]
    with pytest.raises(ReportError, match=r"items\[1\]\.value: expected a number of 0 or more"):
        pareto_rows([ValueItem("a", 1), ValueItem("b", -5)])
    with pytest.raises(ReportError, match="at least one value"):
        pareto_rows([])


def test_money_uses_the_canvas_currency_and_finance_suffixes() -> None:
    eur = texts(to_svg(pareto_chart([ValueItem("A", 1_440_000)], currency="EUR")))
    assert "EUR 1.44M" in eur
    assert not [t for t in eur if "$" in t]
    assert [t for t in eur if t.startswith("EUR ") and t.endswith("M")]
    big = texts(to_svg(pareto_chart([ValueItem("A", 2.5e9)])))
    assert "$2.5B" in big  # d3's "G" reads as billions
    assert not [t for t in big if re.fullmatch(r"\$[\d.]+G", t)]


# ---- lead time --------------------------------------------------------------------------------


def test_lead_time_build_up_adds_the_steps() -> None:
    steps = [StepTime("Intake", 240, 480), StepTime("Review", 480, 960)]  # 8 h working days
    svg_texts = texts(to_svg(lead_time_chart(steps)))
    assert "Lead time 4.5d = wait 3d + process 1.5d · flow efficiency 33.3%" in svg_texts
    assert [t for t in svg_texts if t in ("1.5d", "3d", "4.5d")] == ["1.5d", "3d", "4.5d"]
    assert "Elapsed time (working days of 8 h)" in svg_texts
    assert y_axis_labels(to_svg(lead_time_chart(steps))) == [
        "Intake", "Review", "Lead time (sum of steps)",
    ]  # fmt: skip


def test_lead_time_with_stream_totals_and_unknown_times() -> None:
    steps = [StepTime("Intake", 240, 480), StepTime("Review", 480, 960), StepTime("QA", None, 480)]
    chart = lead_time_chart(steps, totals=StreamTotals(lead_minutes=2400, process_minutes=720))
    svg_texts = texts(to_svg(chart))
    assert "Lead time 5d = wait 3.5d + process 1.5d · flow efficiency 30.0%" in svg_texts
    assert "The steps shown add up to 5.5d" in svg_texts
    assert "1d (process time unknown)" in svg_texts
    assert "1 step(s) with an unknown time add nothing to the build-up" in svg_texts
    blank = texts(to_svg(lead_time_chart([StepTime("Blank", None, None)])))
    assert "times unknown" in blank


def test_lead_time_refuses_a_negative_wait() -> None:
    with pytest.raises(ReportError) as error:
        lead_time_chart([StepTime("Bad", 10, -5)])
    assert "steps[0].wait_minutes" in str(error.value)
    assert "expected a number of 0 or more" in str(error.value)


@pytest.mark.parametrize(
    ("max_minutes", "calendar", "unit", "expected"),
    [
        (60, Calendar(), None, ("min", 1.0, "minutes")),
        (300, Calendar(), None, ("h", 60.0, "hours")),
        (2000, Calendar(), None, ("d", 480.0, "working days of 8 h")),
        (2000, Calendar(basis="calendar"), None, ("h", 60.0, "hours")),
        (5000, Calendar(basis="calendar"), None, ("d", 1440.0, "calendar days")),
        (60, Calendar(), "w", ("w", 2400.0, "working weeks of 5 d")),
    ],
)
def test_time_unit_choice(
    max_minutes: float, calendar: Calendar, unit: str | None, expected: tuple[str, float, str]
) -> None:
    chosen = time_unit(max_minutes, calendar, unit)
    assert (chosen.short, chosen.minutes, chosen.title) == expected


def test_time_unit_refuses_months() -> None:
    with pytest.raises(ReportError, match='time unit of min, h, d or w, got "mo"'):
        time_unit(1, Calendar(), "mo")


# ---- cycle-time scatter -----------------------------------------------------------------------


def test_percentile_lines_are_at_the_exact_percentiles() -> None:
    days = list(range(1, 11))
    lines = percentile_lines([d * 1440.0 for d in days])
    # NumPy linear (Hyndman–Fan 7): P = 1 + p × 9 days for 1..10
    assert [(line.percentile, line.minutes / 1440) for line in lines] == [
        (50.0, 5.5), (85.0, pytest.approx(8.65)), (95.0, pytest.approx(9.55)),
    ]  # fmt: skip
    svg = to_svg(_scatter())
    assert {"P50 5.5d", "P85 8.65d", "P95 9.55d"} <= set(texts(svg))
    # the rules sit at those values: y = height × (1 − value / top), top = 10 days
    rules = {
        e.get("aria-label"): _y(e)
        for e in parse(svg).iter(f"{SVG}line")
        if (e.get("aria-label") or "").startswith("lead: ")
    }
    assert rules == {
        "lead: 5.5": pytest.approx(135),
        "lead: 8.65": pytest.approx(40.5),
        "lead: 9.55": pytest.approx(13.5),
    }


def test_scatter_states_its_method_window_and_time_basis() -> None:
    svg_texts = texts(to_svg(_scatter()))
    subtitle = "10 cases completed 2024-01-01 to 2024-01-10 · lines at the P50, P85, P95 of "
    assert subtitle + "lead time (percentile method: linear)" in svg_texts
    assert "Lead time (calendar days)" in svg_texts
    with pytest.raises(ReportError, match="percentile from 0 to 100"):
        percentile_lines([1.0], (101,))


def test_scatter_converts_aware_times_to_utc() -> None:
    tz = dt.timezone(dt.timedelta(hours=5))
    cases = [
        CasePoint("a", dt.datetime(2024, 3, 2, 2, 0, tzinfo=tz), 60),  # 1 March 21:00 UTC
        CasePoint("b", dt.datetime(2024, 3, 5, 12, 0), 120),
    ]
    assert "2 cases completed 2024-03-01 to 2024-03-05" in " ".join(
        texts(to_svg(cycle_time_scatter(cases)))
    )


def test_close_percentile_labels_are_spread_apart() -> None:
    cases = [CasePoint(str(i), dt.date(2024, 1, 1), 1440.0 * (10 + i / 100)) for i in range(20)]
    svg = to_svg(cycle_time_scatter(cases))
    ys = sorted(_y(t) for t in parse(svg).iter(f"{SVG}text") if "".join(t.itertext())[:1] == "P")
    assert len(ys) == 3
    assert min(b - a for a, b in itertools.pairwise(ys)) >= 14 - 1e-9


# ---- cumulative flow --------------------------------------------------------------------------


def test_arrivals_and_departures_by_utc_day() -> None:
    tz = dt.timezone(dt.timedelta(hours=2))
    starts = [
        dt.datetime(2024, 1, 2, 1, 0, tzinfo=tz),  # still 1 January in UTC
        dt.date(2024, 1, 1),
        dt.date(2024, 1, 3),
    ]
    ends = [dt.date(2024, 1, 2), None, dt.date(2024, 1, 3)]
    days, bands = arrivals_departures(starts, ends)
    assert days == [dt.date(2024, 1, 1), dt.date(2024, 1, 2), dt.date(2024, 1, 3)]
    assert [(b.label, list(b.counts)) for b in bands] == [
        ("In progress", [2, 1, 1]),
        ("Done", [0, 1, 2]),
    ]
    svg_texts = texts(to_svg(cumulative_flow_chart(days, bands)))
    assert {"In progress", "Done", "Cumulative cases"} <= set(svg_texts)


def test_cfd_refuses_bands_of_the_wrong_length() -> None:
    with pytest.raises(ReportError) as error:
        cumulative_flow_chart([dt.date(2024, 1, 1)], [FlowBand("A", [1, 2])])
    assert "bands[0].counts" in str(error.value)
    assert "expected 1 counts (one per time), got 2" in str(error.value)
    with pytest.raises(ReportError, match="one end per start"):
        arrivals_departures([dt.date(2024, 1, 1)], [])


# ---- value distribution and tornado -----------------------------------------------------------


def test_distribution_marks_p10_p50_p90() -> None:
    samples = np.arange(1, 101) * 1000.0  # linear percentiles: 10.9K, 50.5K, 90.1K
    svg = to_svg(value_distribution_chart(samples, bins=20))
    svg_texts = texts(svg)
    assert {"P10 $10.9K", "P50 $50.5K", "P90 $90.1K"} <= set(svg_texts)
    assert "100 simulations · P10 $10.9K, P50 $50.5K, P90 $90.1K" in svg_texts
    bars = [e for e in parse(svg).iter(f"{SVG}path") if e.get("aria-roledescription") == "bar"]
    assert len(bars) == 20


def test_distribution_prints_given_percentiles_and_refuses_nan() -> None:
    chart = value_distribution_chart(
        [1.0, 2.0, 3.0], percentiles=(1000, 2000, 3000), point_value=2500
    )
    assert {"P10 $1K", "P50 $2K", "P90 $3K", "Point $2.5K"} <= set(texts(to_svg(chart)))
    with pytest.raises(ReportError, match="finite Monte Carlo samples"):
        value_distribution_chart([1.0, float("nan")])


def test_tornado_orders_bars_by_swing() -> None:
    bars = [
        SwingBar("a", 90, 110),  # swing 20
        SwingBar("b", 70, 140),  # 70
        SwingBar("c", 95, 130),  # 35
        SwingBar("d", None, 120),  # one end failed: no swing, last
        SwingBar("e", 80, 100),  # 20, after "a" by name
    ]
    svg = to_svg(tornado_chart(bars, 100, currency="EUR"))
    assert y_axis_labels(svg) == ["b", "c", "a", "e", "d"]
    assert {"low: EUR 70", "high: EUR 140", "high: EUR 120"} <= set(texts(svg))
    assert "low: EUR 120" not in " ".join(texts(svg))


# ---- priority matrix --------------------------------------------------------------------------


def test_priority_matrix_labels_quadrants_and_median() -> None:
    points = [
        PriorityPoint("Proposal automation", 300_000, 4, 50_000, 1),
        PriorityPoint("Contracts", 200_000, 4, 20_000, 2),
        PriorityPoint("CRM handoff", 100_000, 2, None, 3),
    ]
    svg = to_svg(priority_matrix_chart(points))
    svg_texts = texts(svg)
    assert {"Quick wins", "Strategic bets", "Fill-ins", "Deprioritise"} <= set(svg_texts)
    assert {"1", "2", "3", "Proposal automation", "$300K", "$100K"} <= set(svg_texts)
    assert any("median value ($200K)" in t for t in svg_texts)
    assert "Annual value (USD)" in svg_texts
    assert 'fill="#8C8C8C"' in svg  # the gap without a cost is grey


def test_priority_matrix_switches_to_log_scale_for_wide_ranges() -> None:
    wide = [PriorityPoint("a", 10_000, 3, 1), PriorityPoint("b", 1_000_000, 3, 1)]
    assert "Annual value (USD, log scale)" in texts(to_svg(priority_matrix_chart(wide)))
    with pytest.raises(ReportError, match="feasibility score from 1 to 5, got 6"):
        priority_matrix_chart([PriorityPoint("a", 1, 6)])


# ---- roadmap ----------------------------------------------------------------------------------


def test_roadmap_sprint_dates_and_final_value() -> None:
    sprints = [SprintSpan(n, 90 * i, 90 * (i + 1)) for i, n in enumerate(["Foundation", "Scale"])]
    bars = [GanttBar("Proposal automation", 0, 90, "growth")]
    curve = [ValuePoint(0, 0), ValuePoint(90, 0), ValuePoint(180, 1_500_000)]
    svg_texts = texts(to_svg(roadmap_chart(bars, sprints, curve, start=dt.date(2025, 1, 6))))
    assert {"Sprint 1", "Foundation", "06 Jan – 05 Apr 2025", "06 Apr – 04 Jul 2025"} <= set(
        svg_texts
    )
    assert {"$1.5M", "Proposal automation", "growth"} <= set(svg_texts)
    assert "1 initiatives in 2 sprints · cumulative value realised by day 180: $1.5M" in svg_texts
    plain = texts(to_svg(roadmap_chart(bars, sprints)))
    assert {"days 1–90", "days 91–180"} <= set(plain)
    with pytest.raises(ReportError, match=r"bars\[0\]: expected an initiative to end after"):
        roadmap_chart([GanttBar("x", 90, 90)], sprints)


# ---- KPIs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kpi", "expected"),
    [
        (KpiBar("Cycle", 62, 45, "days", "lower"),
         ("off target", "lower is better: 17 days above target (37.8%)")),
        (KpiBar("Cycle", 40, 45, "days", "lower"),
         ("on target", "lower is better: 5 days below target (11.1%)")),
        (KpiBar("NPS", 42, 40, None, "higher"),
         ("on target", "higher is better: 2 above target (5.0%)")),
        (KpiBar("NPS", 30, 40, None, "higher"),
         ("off target", "higher is better: 10 below target (25.0%)")),
        (KpiBar("Win", 30, 35, "%", "higher"),
         ("off target", "higher is better: 5 pts below target (14.3%)")),
        (KpiBar("Defects", 3, 0, None, "lower"), ("off target", "lower is better: 3 above target")),
        (KpiBar("Flat", 5, 5, None, "higher"), ("on target", "higher is better: at target")),
        (KpiBar("Open", 5, 6, None, None),
         ("not judged", "direction not set (higher or lower is better)")),
        (KpiBar("New", None, 6, None, "higher"), ("not judged", "no actual")),
        (KpiBar("New", 6, None, None, "higher"), ("not judged", "no target")),
    ],
)  # fmt: skip
def test_kpi_status_reads_the_direction(kpi: KpiBar, expected: tuple[str, str]) -> None:
    assert kpi_status(kpi) == expected


def test_kpi_chart_prints_judgements_and_percent_kpis_in_percent() -> None:
    kpis = [
        KpiBar("Cycle time", 62, 45, "days", "lower"),
        KpiBar("Win rate", 30, 35, "%", "higher"),
    ]
    svg = to_svg(kpi_chart(kpis))
    svg_texts = texts(svg)
    assert "off target · lower is better: 17 days above target (37.8%)" in svg_texts
    assert {"Cycle time (days)", "Win rate (%)"} <= set(svg_texts)
    assert "0 on target, 2 off target, 0 not judged" in " ".join(svg_texts)
    assert "40" in svg_texts  # the win-rate axis runs in percent as written (0–40)


# ---- helpers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(13.2, 15.0), (0.7, 0.8), (0, 1.0), (100, 100.0), (101, 120.0), (2.875e9, 3e9)],
)
def test_nice_ceiling(value: float, expected: float) -> None:
    assert nice_ceiling(value) == pytest.approx(expected)


@given(st.lists(st.floats(0, 100), min_size=1, max_size=6))
def test_spread_labels_keeps_order_and_gap(values: list[float]) -> None:
    placed = spread_labels(values, gap=5, top=1000)
    order = sorted(range(len(values)), key=lambda i: values[i])
    ys = [placed[i] for i in order]
    assert all(b - a >= 5 - 1e-9 for a, b in itertools.pairwise(ys))
    assert all(p >= v - 1e-9 for p, v in zip(placed, values, strict=True))


def test_unique_labels() -> None:
    assert unique_labels(["A", "A", "B", "A"]) == ["A", "A (2)", "B", "A (3)"]


# ---- adapters ---------------------------------------------------------------------------------

ADAPTER_CANVAS = """
organization: Adapter Co
engines:
  growth:
    streams:
      quote:
        name: Quote
        steps:
          - {id: a, name: Intake, process_time: 1h, wait_time: 1d}
          - {id: b, name: Review, process_time: 2h, wait_time: 2d}
        metrics:
          - {id: c, name: Cycle time, unit: days, actual: 62, target: 45, direction: lower}
gaps:
  - id: slow-review
    title: Slow review
    stream: growth/quote
    drivers: {current_loss: 1000, improvement: [50%, 60%, 80%], volume: 10, frequency: 12}
    implementation_cost: 20000
    scores: {alignment: 4, feasibility: 3, cost: 2, risk: 2}
"""


def test_adapters_pass_the_results_through() -> None:
    from opcanvas.flow import analyze_stream
    from opcanvas.render.charts_adapters import (
        kpi_bars_from_canvas,
        pareto_items_from_values,
        priority_points_from_ranking,
        steps_from_flow,
        swing_bars_from_value,
    )
    from opcanvas.value import quantify
    from opcanvas.value.prioritize import prioritize

    canvas = parse_canvas(ADAPTER_CANVAS)
    steps, totals = steps_from_flow(analyze_stream(canvas, "growth/quote"))
    assert [(s.label, s.process_minutes, s.wait_minutes, s.source) for s in steps] == [
        ("Intake", 60.0, 480.0, "estimate"), ("Review", 120.0, 960.0, "estimate"),
    ]  # fmt: skip
    assert totals == StreamTotals(lead_minutes=1620.0, process_minutes=180.0)
    values = quantify(canvas, samples=200, seed=1)
    assert pareto_items_from_values(values) == [ValueItem("Slow review", 72_000.0)]
    ranked = prioritize(canvas, values)
    (point,) = priority_points_from_ranking(ranked, values)
    assert (point.annual_value, point.feasibility, point.cost, point.rank) == (72_000, 3, 20_000, 1)
    bars, base = swing_bars_from_value(values[0])
    assert base == 72_000
    assert [(b.label, b.value_at_low, b.value_at_high) for b in bars] == [
        ("improvement", pytest.approx(60_000), pytest.approx(96_000)),
    ]
    assert [(k.label, k.actual, k.target, k.direction) for k in kpi_bars_from_canvas(canvas)] == [
        ("Cycle time", 62.0, 45.0, "lower"),
    ]


def test_roadmap_adapter_places_bars_by_sprint() -> None:
    from opcanvas.render.charts_adapters import gantt_from_roadmap
    from opcanvas.roadmap import plan_roadmap
    from opcanvas.value import quantify
    from opcanvas.value.prioritize import prioritize

    canvas = parse_canvas(ADAPTER_CANVAS)
    values = quantify(canvas, samples=100, seed=1)
    roadmap = plan_roadmap(canvas, values, prioritize(canvas, values))
    bars, spans, curve = gantt_from_roadmap(roadmap, canvas.roadmap.sprint_days)
    (placement,) = roadmap.placements()
    assert bars == [
        GanttBar(
            "Slow review",
            (placement.start_sprint - 1) * 90,
            placement.finish_sprint * 90,
            "growth",
        )
    ]
    assert [(s.start_day, s.end_day) for s in spans] == [(0, 90), (90, 180), (180, 270), (270, 360)]
    assert [(p.day, p.cumulative_value) for p in curve] == [
        (30 * month, value) for month, value in roadmap.cumulative
    ]
    with pytest.raises(ReportError, match="sprint_days above 0"):
        gantt_from_roadmap(roadmap, 0)


def test_wip_adapter_passes_the_mined_series_through(logs_dir: Any) -> None:
    from opcanvas.mining import mine, read_log
    from opcanvas.render.charts_adapters import wip_from_mining

    result = mine(read_log(logs_dir / "pm4py_running-example.xes"))
    days, (band,) = wip_from_mining(result)
    assert [(d.isoformat(), n) for d, n in zip(days, band.counts, strict=True)] == [
        (day, float(n)) for day, n in result.stream.wip
    ]
    chart = cumulative_flow_chart(
        days, [band], y_title="Open cases (WIP)", subtitle="At each midnight", last_is_done=False
    )
    svg = to_svg(chart)
    assert {"Open cases (WIP)", "At each midnight", "Open cases"} <= set(texts(svg))
    assert 'fill="#0072B2"' in svg and 'fill="#8C8C8C"' not in svg  # not drawn as "done"


def test_short_percentiles_drop_to_hours_or_minutes() -> None:
    cases = [CasePoint(str(i), dt.date(2024, 1, 1), m) for i, m in enumerate([30, 48, 66, 6000])]
    labels = [t for t in mark_texts(to_svg(cycle_time_scatter(cases))) if t.startswith("P")]
    # linear: P50 = (48 + 66) / 2 = 57 min; P85 at rank 2.55 = 66 + 0.55 × 5934 = 3329.7 min
    # = 2.31 days; P95 at rank 2.85 = 66 + 0.85 × 5934 = 5109.9 min = 3.55 days
    assert labels == ["P50 57min", "P85 2.31d", "P95 3.55d"]


def test_distribution_adapter_prints_the_reported_percentiles() -> None:
    from opcanvas.canvas.quantities import format_money
    from opcanvas.render.charts_adapters import distribution_chart_from_value
    from opcanvas.value import quantify

    (value,) = quantify(parse_canvas(ADAPTER_CANVAS), samples=500, seed=3)
    samples = np.linspace(55_000, 95_000, 101)  # any samples: the rules come from the result
    svg_texts = set(texts(to_svg(distribution_chart_from_value(value, samples, bins=10))))
    expected = {
        f"P10 {format_money(value.p10)}",
        f"P50 {format_money(value.p50)}",
        f"P90 {format_money(value.p90)}",
        "Point $72K",
        "Slow review: annual value",
    }
    assert expected <= svg_texts
