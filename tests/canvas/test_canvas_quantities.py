"""Quantities as people write them: every unit, every calendar basis, every error, round trips."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opcanvas.canvas.quantities import (
    Calendar,
    Range,
    format_duration,
    format_money,
    format_percent,
    format_rate,
    parse_duration,
    parse_money,
    parse_number,
    parse_percent,
    parse_range,
    parse_rate,
    point,
)
from opcanvas.errors import QuantityError

WORKING = Calendar()  # 8 h days, 5 d weeks, 20 d months: a day is 480 min
CALENDAR = Calendar(basis="calendar")  # 24 h days
SHORT_WEEKS = Calendar(hours_per_day=10, days_per_week=4, working_days_per_month=16)


@pytest.mark.parametrize(
    ("text", "cal", "minutes"),
    [
        ("45min", WORKING, 45),
        ("6h", WORKING, 360),
        ("3d", WORKING, 1440),  # 3 × 8 h
        ("2w", WORKING, 4800),  # 2 × 5 × 8 h
        ("1mo", WORKING, 9600),  # 20 × 8 h
        ("1y", WORKING, 115_200),  # 12 working months
        ("90s", WORKING, 1.5),
        ("1.5h", WORKING, 90),
        ("2 hours", WORKING, 120),
        ("3 days", WORKING, 1440),
        ("10 Min", WORKING, 10),
        ("2wk", WORKING, 4800),
        (" 4 h ", WORKING, 240),
        ("1,000min", WORKING, 1000),
        ("1e2min", WORKING, 100),
        ("0d", WORKING, 0),
        (0, WORKING, 0),
        (0.0, WORKING, 0),
        ("1d", CALENDAR, 1440),
        ("1w", CALENDAR, 10_080),
        ("1mo", CALENDAR, 365.25 / 12 * 1440),  # 43,830 min
        ("1y", CALENDAR, 525_960),
        ("6h", CALENDAR, 360),  # hours do not depend on the basis
        ("1d", SHORT_WEEKS, 600),
        ("1w", SHORT_WEEKS, 2400),
        ("1mo", SHORT_WEEKS, 9600),
        ("1y", SHORT_WEEKS, 115_200),
    ],
)
def test_durations_resolve_to_minutes_on_the_calendar(
    text: Any, cal: Calendar, minutes: float
) -> None:
    assert parse_duration(text, cal) == pytest.approx(minutes)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("three days", 'expected a duration like "45min", "6h" or "3d", got "three days"'),
        ("3", 'expected a duration like "45min", "6h" or "3d", got "3"'),
        (3, "got the bare number 3"),
        (True, "got True"),
        ("", 'got ""'),
        (None, 'got "None"'),
        ("3 parsecs", 'unknown time unit "parsecs"'),
        ("3m", 'unknown time unit "m"'),
        ("-2h", 'expected a duration of zero or more, got "-2h"'),
    ],
)
def test_bad_durations_say_what_was_expected_and_found(value: Any, message: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_duration(value, WORKING)
    assert message in str(caught.value)


def test_the_ambiguous_m_gets_its_own_hint() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_duration("3m", WORKING)
    assert caught.value.hint == '"m" is ambiguous: write "min" for minutes or "mo" for months'


def test_a_bare_number_duration_suggests_a_unit() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_duration(3, WORKING)
    assert caught.value.hint == 'add a unit, e.g. "3h" or "3d"'


@pytest.mark.parametrize(
    ("text", "cal", "per_minute"),
    [
        ("40/month", WORKING, 40 / 9600),
        ("2/day", WORKING, 2 / 480),
        ("10/h", WORKING, 10 / 60),
        ("2 per day", WORKING, 2 / 480),
        ("/week", WORKING, 1 / 2400),  # one per week
        ("3/wk", WORKING, 3 / 2400),
        ("1,200/year", WORKING, 1200 / 115_200),
        ("30/min", WORKING, 30),
        (0, WORKING, 0),
        ("2/day", CALENDAR, 2 / 1440),
        ("40/month", CALENDAR, 40 / (365.25 / 12 * 1440)),
        ("40/month", SHORT_WEEKS, 40 / 9600),
    ],
)
def test_rates_resolve_to_events_per_minute(text: Any, cal: Calendar, per_minute: float) -> None:
    assert parse_rate(text, cal) == pytest.approx(per_minute)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("40", 'expected a rate like "40/month" or "2/day", got \'40\''),
        (40, 'expected a rate like "40/month" or "2/day", got 40'),
        ("fast", "got 'fast'"),
        (True, "got True"),
        ("40/parsec", 'unknown time unit "parsec"'),
        ("-3/day", 'expected a rate of zero or more, got "-3/day"'),
    ],
)
def test_bad_rates_say_what_was_expected_and_found(value: Any, message: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_rate(value, WORKING)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("value", "fraction"),
    [("85%", 0.85), (0.85, 0.85), ("100%", 1.0), ("0%", 0.0), (1, 1.0), (0, 0.0),
     ("12.5 %", 0.125), (" 7% ", 0.07)],
)  # fmt: skip
def test_percentages_become_fractions(value: Any, fraction: float) -> None:
    assert parse_percent(value) == pytest.approx(fraction)


@pytest.mark.parametrize(("value", "fraction"), [("120%", 1.2), (1.5, 1.5), ("300%", 3.0)])
def test_ratios_may_exceed_one_when_allowed(value: Any, fraction: float) -> None:
    assert parse_percent(value, allow_above_one=True) == pytest.approx(fraction)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("120%", "expected a percentage from 0 % to 100 %, got '120%'"),
        (85, 'expected a percentage like "85%" or a fraction from 0 to 1, got 85'),
        ("-5%", "expected a percentage of 0 % or more, got '-5%'"),
        (-0.1, "expected a percentage of 0 % or more, got -0.1"),
        ("85", 'expected a percentage like "85%", got "85"'),
        ("eighty", 'expected a percentage like "85%", got "eighty"'),
        (True, 'expected a percentage like "85%", got True'),
    ],
)
def test_bad_percentages_say_what_was_expected_and_found(value: Any, message: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_percent(value)
    assert message in str(caught.value)


def test_a_bare_percentage_above_one_suggests_the_percent_sign() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_percent(85)
    assert caught.value.hint == 'write "85%" if you mean 85 percent'


@pytest.mark.parametrize(
    ("value", "amount"),
    [(50000, 50_000), ("50k", 50_000), ("50K", 50_000), ("1.2M", 1_200_000), ("$50,000", 50_000),
     ("€3.5k", 3500), ("£100", 100), ("2bn", 2e9), ("2B", 2e9), (0, 0), (12.5, 12.5)],
)  # fmt: skip
def test_money_becomes_currency_units(value: Any, amount: float) -> None:
    assert parse_money(value) == pytest.approx(amount)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-50k", "expected an amount of zero or more, got '-50k'"),
        (-1, "expected an amount of zero or more, got -1"),
        ("50 dollars", 'expected an amount like "50k", "1.2M" or 50000, got "50 dollars"'),
        ("lots", 'got "lots"'),
        (True, "got True"),
        (math.nan, "expected an amount of zero or more, got nan"),
    ],
)
def test_bad_money_says_what_was_expected_and_found(value: Any, message: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_money(value)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("value", "kwargs", "number"),
    [(3, {}, 3.0), ("1,250", {}, 1250.0), ("2.5", {}, 2.5), (-4, {"minimum": None}, -4.0)],
)
def test_plain_numbers(value: Any, kwargs: dict[str, Any], number: float) -> None:
    assert parse_number(value, **kwargs) == number


@pytest.mark.parametrize(
    ("value", "message"),
    [(-1, "expected a number of 0 or more, got -1"), ("many", 'expected a number, got "many"'),
     (True, "expected a number, got True"), ([1], "expected a number, got [1]")],
)  # fmt: skip
def test_bad_numbers(value: Any, message: str) -> None:
    with pytest.raises(QuantityError, match=None) as caught:
        parse_number(value)
    assert message in str(caught.value)


def _minutes(value: Any) -> float:
    return parse_duration(value, WORKING)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["1h", "2h", "4h"], Range(60, 120, 240, "triangular")),
        (["1h", "3h"], Range(60, 120, 180, "uniform")),  # likely is the midpoint
        ({"low": "1h", "high": "3h"}, Range(60, 120, 180, "triangular")),
        (
            {"dist": "pert", "low": "1d", "likely": "2d", "high": "5d"},
            Range(480, 960, 2400, "pert"),
        ),
        (
            {"dist": "uniform", "low": "1h", "likely": "1h", "high": "2h"},
            Range(60, 60, 120, "uniform"),
        ),
        (
            {"dist": "normal", "mean": "2h", "sd": "30min"},
            Range(120 - 1.2815515655446004 * 30, 120, 120 + 1.2815515655446004 * 30, "normal", 30),
        ),
        (  # the P10 of a wide normal is clipped at zero: durations are never negative
            {"dist": "normal", "mean": "1h", "sd": "1h"},
            Range(0, 60, 60 + 1.2815515655446004 * 60, "normal", 60),
        ),
        (
            {"dist": "lognormal", "mean": "2h", "sd": "1h"},
            Range(
                120 - 1.2815515655446004 * 60, 120, 120 + 1.2815515655446004 * 60, "lognormal", 60
            ),
        ),
        ("3h", 180.0),
    ],
)
def test_ranges_resolve_each_number_with_its_unit(value: Any, expected: Any) -> None:
    assert parse_range(value, _minutes) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["1h"], "expected [low, likely, high] or [low, high], got a list of 1"),
        (["1h", "2h", "3h", "4h"], "got a list of 4"),
        (["3h", "2h", "1h"], "expected low ≤ likely ≤ high, got 180, 120, 60"),
        (["1h", "two", "3h"], 'got "two"'),
        ({"dist": "normal", "mean": "2h"}, "a normal range takes exactly mean and sd"),
        ({"dist": "normal", "mean": "2h", "sd": "1h", "low": "1h"}, "takes exactly mean and sd"),
        ({"dist": "lognormal", "mean": 0, "sd": "1h"}, "a lognormal range needs a mean above zero"),
        ({"dist": "cauchy", "low": "1h", "high": "2h"}, 'unknown distribution "cauchy"'),
        ({"dist": "pert", "low": "1h"}, "a pert range takes low, likely and high"),
        ({"dist": "pert", "low": "1h", "high": "2h", "mode": "1h"}, "got ['dist', 'high', 'low'"),
    ],
)
def test_bad_ranges_say_what_was_expected(value: Any, message: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_range(value, _minutes)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("quantity", "likely", "mean"),
    [
        (Range(60, 120, 300, "pert"), 120, (60 + 4 * 120 + 300) / 6),
        (Range(60, 120, 300, "triangular"), 120, 160),
        (Range(60, 90, 300, "uniform"), 90, 180),
        (Range(0, 120, 200, "normal", 30), 120, 120),
        (45.0, 45.0, 45.0),
        (None, None, None),
    ],
)
def test_point_picks_the_likely_value_or_the_mean(
    quantity: Range | float | None, likely: float | None, mean: float | None
) -> None:
    assert point(quantity, "likely") == likely
    assert point(quantity, "mean") == (None if mean is None else pytest.approx(mean))


def test_scaling_a_range_keeps_it_ordered() -> None:
    assert Range(1, 2, 4).scaled(-2) == Range(-8, -4, -2)
    assert Range(0, 1, 2, "normal", 0.5).scaled(3).sd == 1.5


@pytest.mark.parametrize(
    ("minutes", "cal", "text"),
    [(1440, WORKING, "3d"), (45, WORKING, "45min"), (90, WORKING, "1.5h"), (4800, WORKING, "2w"),
     (1440, CALENDAR, "1d"), (115_200, WORKING, "1y"), (0.5, WORKING, "0.5min")],
)  # fmt: skip
def test_format_duration_picks_the_largest_whole_unit(
    minutes: float, cal: Calendar, text: str
) -> None:
    assert format_duration(minutes, cal) == text


@pytest.mark.parametrize(
    ("per_minute", "text"),
    [(10 / 60, "10/h"), (2 / 480, "2/day"), (3 / 2400, "3/week"), (3 / 9600, "3/month"),
     (0.5 / 115_200, "0.5/year")],
)  # fmt: skip
def test_format_rate_picks_the_first_period_with_one_arrival(per_minute: float, text: str) -> None:
    assert format_rate(per_minute, WORKING) == text


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [(1_440_000, "USD", "$1.44M"), (720_000, "EUR", "EUR 720K"), (999, "USD", "$999"),
     (-50_000, "USD", "-$50K"), (2.5e9, "USD", "$2.5B")],
)  # fmt: skip
def test_format_money(amount: float, currency: str, text: str) -> None:
    assert format_money(amount, currency) == text


def test_format_percent() -> None:
    assert format_percent(0.727) == "72.7%"
    assert format_percent(1 / 3, digits=0) == "33%"


# ---- properties ------------------------------------------------------------------------------

calendars = st.builds(
    Calendar,
    basis=st.sampled_from(["working", "calendar"]),
    hours_per_day=st.floats(1, 24),
    days_per_week=st.floats(1, 7),
    working_days_per_month=st.floats(1, 31),
)
# Three significant digits are written, so a round trip is exact to half a unit in the third.
THREE_DIGITS = 0.5e-2 + 1e-12


@given(st.floats(min_value=1e-3, max_value=1e8), calendars)
def test_format_then_parse_duration_round_trips(minutes: float, cal: Calendar) -> None:
    assert parse_duration(format_duration(minutes, cal), cal) == pytest.approx(
        minutes, rel=THREE_DIGITS
    )
    assert parse_duration(format_duration(minutes, cal, digits=12), cal) == pytest.approx(
        minutes, rel=1e-9
    )


@given(st.floats(min_value=1e-9, max_value=1e4), calendars)
def test_format_then_parse_rate_round_trips(per_minute: float, cal: Calendar) -> None:
    assert parse_rate(format_rate(per_minute, cal), cal) == pytest.approx(
        per_minute, rel=THREE_DIGITS
    )


@given(st.floats(min_value=0, max_value=1))
def test_format_then_parse_percent_round_trips(fraction: float) -> None:
    assert parse_percent(format_percent(fraction, digits=8)) == pytest.approx(fraction, abs=1e-10)


@given(st.floats(min_value=0, max_value=1e12))
def test_format_then_parse_money_round_trips(amount: float) -> None:
    assert parse_money(format_money(amount)) == pytest.approx(amount, rel=THREE_DIGITS, abs=0.5)


# Written independently of the parser's own table: unit spelling → minutes on a calendar.
UNIT_SPELLINGS = {
    "s": "s", "sec": "s", "seconds": "s", "min": "min", "mins": "min", "minute": "min",
    "minutes": "min", "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h", "d": "d",
    "day": "d", "days": "d", "w": "w", "wk": "w", "week": "w", "weeks": "w", "mo": "mo",
    "month": "mo", "months": "mo", "y": "y", "yr": "y", "year": "y", "years": "y",
}  # fmt: skip


def _minutes_per(unit: str, cal: Calendar) -> float:
    day = 1440.0 if cal.basis == "calendar" else cal.hours_per_day * 60
    if cal.basis == "calendar":
        week, month, year = 7 * day, 365.25 / 12 * day, 365.25 * day
    else:
        week, month = cal.days_per_week * day, cal.working_days_per_month * day
        year = 12 * month
    table = {"s": 1 / 60, "min": 1.0, "h": 60.0, "d": day, "w": week, "mo": month, "y": year}
    return table[UNIT_SPELLINGS[unit]]


@given(
    st.one_of(st.integers(0, 10**6), st.floats(0, 1e6, allow_nan=False)),
    st.sampled_from(sorted(UNIT_SPELLINGS)),
    st.sampled_from(["", " "]),
    calendars,
)
def test_parse_of_n_units_is_n_times_the_unit(
    n: float, unit: str, space: str, cal: Calendar
) -> None:
    assert parse_duration(f"{n}{space}{unit}", cal) == pytest.approx(n * _minutes_per(unit, cal))


@given(st.integers(0, 10**6), st.sampled_from(["h", "day", "week", "month", "year"]), calendars)
def test_parse_of_n_per_period_is_n_over_the_period(n: int, period: str, cal: Calendar) -> None:
    unit = {"day": "d", "week": "w", "month": "mo", "year": "y"}.get(period, period)
    assert parse_rate(f"{n}/{period}", cal) == pytest.approx(n / _minutes_per(unit, cal))
