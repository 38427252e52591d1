"""Event-log charts from a mining result: the scatter's percentile lines are NumPy's
percentiles of the mined sample, and the CFD's bands stack to the cumulative arrivals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from opcanvas.mining import MiningResult, MiningSettings, TimeBasis, mine, read_log
from opcanvas.render.charts import cumulative_flow_chart, cycle_time_scatter, to_svg
from opcanvas.render.charts_adapters import (
    case_points_from_mining,
    cumulative_flow_from_mining,
    mining_calendar,
)


@pytest.fixture(scope="module")
def mined(logs_dir: Path) -> MiningResult:
    settings = MiningSettings(basis=TimeBasis.working(), case_sample=300)
    return mine(read_log(logs_dir / "pm4py_receipt.parquet"), settings=settings)


def _layer_rows(chart: Any, field: str) -> list[dict[str, Any]]:
    """The inline data of the layer whose rows carry ``field``."""
    for layer in chart.to_dict()["layer"]:
        values = layer.get("data", {}).get("values", [])
        if values and field in values[0]:
            return list(values)
    raise AssertionError(f"no layer with {field}")


def test_scatter_lines_are_percentiles_of_the_sample(mined: MiningResult) -> None:
    points = case_points_from_mining(mined)
    assert len(points) == 300 and mined.stream.sample.of == 1434
    leads = np.array([c.lead for c in mined.stream.sample.cases])
    assert [p.lead_minutes for p in points] == leads.tolist()
    calendar = mining_calendar(mined)
    assert (calendar.basis, calendar.hours_per_day, calendar.days_per_week) == ("working", 8, 5)
    chart = cycle_time_scatter(points, calendar=calendar, unit="d", basis="working time")
    rules = _layer_rows(chart, "p")
    day = 8 * 60  # the y axis is in working days of 8 h
    assert [r["p"] for r in rules] == ["P50", "P85", "P95"]
    expected = np.percentile(leads, [50, 85, 95])
    assert [r["lead"] * day for r in rules] == pytest.approx(expected.tolist(), rel=1e-12)
    dots = _layer_rows(chart, "case")
    assert sorted(d["lead"] * day for d in dots) == pytest.approx(sorted(leads.tolist()))
    svg = to_svg(chart)
    assert "Lead time (working days of 8 h)" in svg and "Lead time on working time" in svg


def test_cfd_bands_stack_to_arrivals(mined: MiningResult) -> None:
    days, bands = cumulative_flow_from_mining(mined)
    flow = mined.stream.cumulative
    assert [b.label for b in bands] == ["In progress", "Finished"]
    # one midnight before mining's first, with nothing started yet
    assert len(days) == len(flow) + 1 and days[1].isoformat() == flow[0].date
    assert (days[1] - days[0]).days == 1 and bands[0].counts[0] == bands[1].counts[0] == 0
    in_progress, finished = bands[0].counts[1:], bands[1].counts[1:]
    assert [a + b for a, b in zip(in_progress, finished, strict=True)] == [d.arrivals for d in flow]
    assert finished[-1] == 1434 and in_progress[-1] == 0
    assert [int(n) for n in in_progress] == [w for _, w in mined.stream.wip]
    svg = to_svg(cumulative_flow_chart(days, bands))
    assert "In progress" in svg and "Finished" in svg
