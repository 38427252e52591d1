"""Pydantic field types for quantities, resolved on the calendar of the canvas being validated.

A :class:`~opcanvas.canvas.model.Canvas` validates its ``calendar`` first and makes it current
(``using_calendar``) while the rest validates, so ``"3d"`` means three days *of this canvas*.
Models validated on their own use the default calendar (8 h days, 5 d weeks, 20 d months).

Each type keeps a JSON Schema so editors can complete and check canvas files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema

from opcanvas.canvas.quantities import (
    Calendar,
    Quantity,
    Range,
    parse_duration,
    parse_money,
    parse_number,
    parse_percent,
    parse_range,
    parse_rate,
)

_CALENDAR: ContextVar[Calendar | None] = ContextVar("opcanvas_calendar", default=None)


@contextmanager
def using_calendar(cal: Calendar) -> Iterator[None]:
    """Resolve durations and rates on ``cal`` while validating inside this block."""
    token = _CALENDAR.set(cal)
    try:
        yield
    finally:
        _CALENDAR.reset(token)


def current_calendar() -> Calendar:
    return _CALENDAR.get() or Calendar()


def _range_schema(scalar: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "description": description + " — or a range [low, likely, high] / [low, high]",
        "anyOf": [
            scalar,
            {"type": "array", "items": scalar, "minItems": 2, "maxItems": 3},
            {
                "type": "object",
                "properties": {
                    "dist": {"enum": ["triangular", "pert", "uniform", "normal", "lognormal"]},
                    "low": scalar,
                    "likely": scalar,
                    "high": scalar,
                    "mean": scalar,
                    "sd": scalar,
                },
                "additionalProperties": False,
            },
        ],
    }


def _reader(read: Callable[[Any], float]) -> PlainValidator:
    def validate(value: Any) -> Quantity:
        if isinstance(value, Range):
            return value
        return parse_range(value, read)

    return PlainValidator(validate)


_DURATION_TEXT = {"type": ["string", "number"], "pattern": r"^\s*[\d.,]+\s*[a-zA-Z]+\s*$"}
_RATE_TEXT = {"type": "string", "pattern": r"^\s*[\d.,]*\s*(/|per\s+)\s*[a-zA-Z]+\s*$"}
_PERCENT_TEXT = {"type": ["string", "number"], "pattern": r"^\s*[\d.,]+\s*%\s*$"}
_MONEY_TEXT = {"type": ["string", "number"], "pattern": r"^\s*[$€£]?\s*[\d.,]+\s*[kKmMbB]?n?\s*$"}


def _parse_measure(value: Any) -> float:
    """A KPI reading in the KPI's own unit: ``104`` or ``"104%"`` for a % KPI, ``"1.2M"``."""
    text = value.strip() if isinstance(value, str) else ""
    if text.endswith("%"):
        return parse_number(text[:-1], minimum=None)
    if text[:1] in ("$", "€", "£") or text[-1:] in ("k", "K", "M", "B", "n"):
        return parse_money(text)
    return parse_number(value, minimum=None)


def _parse_driver(value: Any) -> float:
    text = value.strip() if isinstance(value, str) else ""
    if text.endswith("%"):
        return parse_percent(text, allow_above_one=True)
    if text[:1] in ("$", "€", "£") or text[-1:] in ("k", "K", "M", "B", "n"):
        return parse_money(text)
    return parse_number(value, minimum=None)


Duration = Annotated[
    Quantity,
    _reader(lambda v: parse_duration(v, current_calendar())),
    WithJsonSchema(_range_schema(_DURATION_TEXT, 'a duration: "45min", "6h", "3d", "2w", "1mo"')),
]
Rate = Annotated[
    Quantity,
    _reader(lambda v: parse_rate(v, current_calendar())),
    WithJsonSchema(_range_schema(_RATE_TEXT, 'a rate: "40/month", "2/day", "10/h"')),
]
Percent = Annotated[
    Quantity,
    _reader(parse_percent),
    WithJsonSchema(_range_schema(_PERCENT_TEXT, 'a percentage: "85%" or 0.85')),
]
Ratio = Annotated[
    Quantity,
    _reader(lambda v: parse_percent(v, allow_above_one=True)),
    WithJsonSchema(_range_schema(_PERCENT_TEXT, 'a percentage that may exceed 100 %: "120%"')),
]
Money = Annotated[
    Quantity,
    _reader(parse_money),
    WithJsonSchema(_range_schema(_MONEY_TEXT, 'an amount of money: 50000, "50k", "1.2M"')),
]
Count = Annotated[
    Quantity,
    _reader(parse_number),
    WithJsonSchema(_range_schema({"type": "number", "minimum": 0}, "a number of zero or more")),
]
Number = Annotated[
    Quantity,
    _reader(lambda v: parse_number(v, minimum=None)),
    WithJsonSchema(_range_schema({"type": "number"}, "a number")),
]
Measure = Annotated[
    Quantity,
    _reader(_parse_measure),
    WithJsonSchema(
        _range_schema(
            {"type": ["number", "string"]},
            'a KPI reading in the KPI\'s unit: 104 or "104%" for a % KPI, "1.2M" for money',
        )
    ),
]
Driver = Annotated[
    Quantity,
    _reader(_parse_driver),
    WithJsonSchema(
        _range_schema(
            {"type": ["number", "string"]},
            'a value driver: a number, a percentage ("30%") or an amount ("50k")',
        )
    ),
]
