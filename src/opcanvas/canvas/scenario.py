"""A future state, written as changes to the current state of one stream.

```yaml
future_state:
  name: Automated proposals
  changes:
    - {step: proposal, process_time: -80%}      # relative: 80 % less
    - {step: proposal, wait_time: 4h}           # absolute
    - {step: contract, wait_time: -2d}          # two days less
    - {step: review, people: "+1"}              # one more person (quote it: YAML reads +1 as 1)
    - {step: review, complete_accurate: 95%}
    - {remove: manual-check}
    - {merge: [discovery, qualify], name: Discovery call}
    - {wip_limit: 20}
```

Relative changes (``-80%``, ``+50%``, ``x0.5``, ``+1``) become an :class:`Adjust`; the simulator
and the flow module apply them with :meth:`Adjust.apply`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field, PlainValidator, WithJsonSchema, model_validator

from opcanvas.canvas.base import Id, Model
from opcanvas.canvas.fields import Count, Percent, current_calendar
from opcanvas.canvas.quantities import parse_duration, parse_number
from opcanvas.errors import QuantityError


@dataclass(frozen=True)
class Adjust:
    """A change to one number: scale it, add to it, or set it."""

    kind: Literal["factor", "delta", "absolute"]
    value: float

    def apply(self, current: float | None) -> float:
        if self.kind == "absolute":
            return self.value
        if current is None:
            raise QuantityError(f"cannot apply a relative change ({self}) to a blank value")
        result = current * self.value if self.kind == "factor" else current + self.value
        return max(result, 0.0)

    def __str__(self) -> str:
        if self.kind == "factor":
            return f"x{self.value:g}"
        return f"{self.value:+g}" if self.kind == "delta" else f"{self.value:g}"


_RELATIVE = re.compile(r"^\s*([+-])\s*([\d.]+)\s*%\s*$")
_FACTOR = re.compile(r"^\s*[x×*]\s*([\d.]+)\s*$")
_DELTA = re.compile(r"^\s*([+-])\s*([\d.]+)\s*$")
_SIGNED = re.compile(r"^\s*([+-])\s*(\d.*)$")


def _adjuster(read: Callable[[Any], float]) -> PlainValidator:
    def validate(value: Any) -> Adjust:
        if isinstance(value, Adjust):
            return value
        text = str(value)
        if match := _RELATIVE.match(text):
            sign = 1 if match.group(1) == "+" else -1
            # (100 - 80) / 100 is exactly 0.2; 1 - 0.8 is not
            return Adjust("factor", max((100 + sign * float(match.group(2))) / 100, 0.0))
        if match := _FACTOR.match(text):
            return Adjust("factor", float(match.group(1)))
        if isinstance(value, str) and (match := _DELTA.match(text)):
            sign = 1 if match.group(1) == "+" else -1
            return Adjust("delta", sign * float(match.group(2)))
        if isinstance(value, str) and (match := _SIGNED.match(text)):
            # "+1h" adds an hour, "-30min" takes half an hour off (not an absolute value)
            sign = 1 if match.group(1) == "+" else -1
            return Adjust("delta", sign * read(match.group(2)))
        return Adjust("absolute", read(value))

    return PlainValidator(validate)


_ADJUST_SCHEMA = WithJsonSchema(
    {
        "type": ["string", "number"],
        "description": 'a new value, or a change: "-80%", "+50%", "x0.5", "+1"',
    }
)
DurationAdjust = Annotated[
    Adjust, _adjuster(lambda v: parse_duration(v, current_calendar())), _ADJUST_SCHEMA
]
CountAdjust = Annotated[Adjust, _adjuster(parse_number), _ADJUST_SCHEMA]


class Change(Model):
    """One change to a stream. Name a ``step`` to change it, or ``remove``/``merge`` steps."""

    step: Id | None = None
    remove: Id | None = None
    merge: list[Id] | None = Field(None, min_length=2)
    name: str | None = Field(None, description="name of the merged step")
    process_time: DurationAdjust | None = None
    wait_time: DurationAdjust | None = None
    people: CountAdjust | None = None
    complete_accurate: Percent | None = None
    batch_size: Count | None = None
    wip_limit: Count | None = Field(None, description="cap on work in process for the stream")

    @model_validator(mode="after")
    def _one_target(self) -> Change:
        targets = [t for t in (self.step, self.remove, self.merge) if t is not None]
        if len(targets) > 1:
            raise ValueError("a change names one of step, remove or merge, not several")
        step_fields = (
            self.process_time, self.wait_time, self.people, self.complete_accurate,
            self.batch_size,
        )  # fmt: skip
        if self.step is None and any(f is not None for f in step_fields):
            raise ValueError(
                "a change to process_time, wait_time, people, %C&A or batch size must name its step"
            )
        if not targets and self.wip_limit is None:
            raise ValueError("a change must name a step, remove or merge, or set wip_limit")
        return self


class Scenario(Model):
    name: str
    description: str | None = None
    changes: list[Change] = Field(min_length=1)
