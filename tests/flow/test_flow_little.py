"""Little's law: derive the missing figure, check three stated ones, flag a stream that misses."""

from __future__ import annotations

import pytest
from flowkit import REF, canvas, line
from hypothesis import given
from hypothesis import strategies as st

from opcanvas.errors import QuantityError
from opcanvas.flow import analyze_stream, littles_law

PER_HOUR = 1 / 60


def test_wip_ten_at_half_an_item_an_hour_takes_twenty_hours() -> None:
    result = littles_law(wip=10, throughput=0.5 * PER_HOUR)
    assert result.lead_time == pytest.approx(20 * 60)
    assert result.derived == "lead_time"


@pytest.mark.parametrize(
    ("given_figures", "derived", "value"),
    [
        ({"throughput": 0.5 * PER_HOUR, "lead_time": 1200.0}, "wip", 10.0),
        ({"wip": 10.0, "lead_time": 1200.0}, "throughput", 0.5 * PER_HOUR),
        ({"wip": 10.0, "throughput": 0.5 * PER_HOUR}, "lead_time", 1200.0),
    ],
)
def test_any_two_give_the_third(
    given_figures: dict[str, float], derived: str, value: float
) -> None:
    result = littles_law(**given_figures)
    assert result.derived == derived
    assert getattr(result, derived) == pytest.approx(value)
    assert result.consistent is None


@pytest.mark.parametrize(
    ("lead_time_hours", "consistent", "deviation"),
    [(20, True, 0.0), (21, True, 1 / 21), (23, False, 3 / 23), (15, False, 0.25)],
)
def test_three_figures_are_checked_against_the_tolerance(
    lead_time_hours: float, consistent: bool, deviation: float
) -> None:
    result = littles_law(wip=10, throughput=0.5 * PER_HOUR, lead_time=lead_time_hours * 60)
    assert result.consistent is consistent
    assert result.deviation == pytest.approx(deviation)
    assert result.tolerance == 0.1


def test_fewer_than_two_figures_derive_nothing() -> None:
    result = littles_law(wip=5)
    assert (result.derived, result.consistent, result.lead_time) == (None, None, None)
    assert result.note is not None and "two of" in result.note


def test_zero_throughput_gives_no_lead_time() -> None:
    result = littles_law(wip=5, throughput=0.0)
    assert result.lead_time is None
    assert result.note == "a throughput of zero gives no lead time"


@pytest.mark.parametrize("name", ["wip", "throughput", "lead_time"])
def test_negative_figures_are_refused(name: str) -> None:
    with pytest.raises(QuantityError, match="zero or more"):
        littles_law(**{name: -1.0})


@given(
    wip=st.floats(0.01, 1e6, allow_nan=False),
    throughput=st.floats(1e-6, 1e3, allow_nan=False),
)
def test_round_trip(wip: float, throughput: float) -> None:
    lead_time = littles_law(wip=wip, throughput=throughput).lead_time
    assert lead_time is not None
    back = littles_law(throughput=throughput, lead_time=lead_time)
    assert back.wip == pytest.approx(wip, rel=1e-9)
    assert littles_law(wip=wip, throughput=throughput, lead_time=lead_time).consistent is True


def test_a_stream_that_misses_littles_law_is_flagged() -> None:
    mapped = canvas(line(("1h", "19h")), wip=10, throughput="0.5/h", lead_time="5d")  # 40 h ≠ 20 h
    flow = analyze_stream(mapped, REF)
    assert flow.little is not None
    assert flow.little.consistent is False
    assert flow.little.deviation == pytest.approx(0.5)
    codes = [f.code for f in flow.flags]
    assert "little_inconsistent" in codes
    assert "map_vs_little" in codes  # the map says 20 h, the stated lead time 40 h


def test_stream_little_derives_lead_time_and_compares_it_with_the_map() -> None:
    matching = analyze_stream(canvas(line(("1h", "19h")), wip=10, throughput="0.5/h"), REF)
    assert matching.little is not None and matching.little.lead_time == pytest.approx(1200.0)
    assert "map_vs_little" not in [f.code for f in matching.flags]
    off = analyze_stream(canvas(line(("1h", "3h")), wip=10, throughput="0.5/h"), REF)
    assert [f.code for f in off.flags if f.code == "map_vs_little"] == ["map_vs_little"]


def test_tolerance_is_a_setting() -> None:
    mapped = canvas(
        line(("1h", "19h")), wip=10, throughput="0.5/h", lead_time="23h",
        settings={"little_tolerance": "20%"},
    )  # fmt: skip
    flow = analyze_stream(mapped, REF)
    assert flow.little is not None and flow.little.consistent is True
    assert "Little's law tolerance 20%" in flow.conventions["thresholds"]


def test_measured_stream_figures_feed_littles_law() -> None:
    measured = {"source": "log.csv", "sha256": "0" * 64, "cases": 10, "events": 50,
                "statistic": "median", "wip": 4, "throughput": "2/day"}  # fmt: skip
    flow = analyze_stream(canvas(line(("1h", "1h")), measured=measured), REF)
    assert flow.little is not None
    assert flow.little.lead_time == pytest.approx(2 * 480)  # 4 ÷ 2 a day = 2 working days
