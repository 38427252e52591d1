"""The conventions of a simulation run: every setting that changes a number, with its wording.

Each setting is printed with every result (:meth:`SimulationSettings.conventions`), so a
number presented to a board says how it was made.

>>> SimulationSettings().waits
'auto'
>>> SimulationSettings(cv=-1)
Traceback (most recent call last):
...
opcanvas.errors.SimulationError: cv: expected a coefficient of variation of 0 or more, got -1
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

from opcanvas.errors import SimulationError

PointDistribution = Literal["lognormal", "gamma", "exponential", "fixed"]
Waits = Literal["auto", "queueing", "delay"]
BatchService = Literal["sum", "single"]

WAITS_HELP: dict[str, str] = {
    "auto": "a step with people is a FIFO queue; its canvas wait_time splits into queueing "
    "(simulated, estimated by Allen–Cunneen) and a delay for the rest (approvals, customers, "
    "handoffs), worked out on the current state and kept in scenarios unless they change the "
    "wait; a step with blank people has unlimited capacity and its whole wait_time is a delay",
    "queueing": "every step is a FIFO queue (blank people = 1 person); canvas wait_time is never "
    "simulated: waits come from queueing only",
    "delay": "canvas wait_time is always simulated as a delay before the step; a step with "
    "people queues as well, a step with blank people has unlimited capacity",
}


@dataclass(frozen=True)
class SimulationSettings:
    """How canvas values become a simulation model.

    ``service`` and ``cv`` give the distribution of a *point* duration (a range keeps its own);
    ``waits`` says whether canvas waits are queueing outputs or delays; ``batch_service`` whether
    a batch takes the sum of its items' process times or one process time; ``handoff_delay`` is
    the mean extra delay (minutes) when work changes lane; ``day_start`` the hour at which the
    working day starts on event-log timestamps; ``interarrivals`` (minutes), when given, are
    resampled instead of drawing Poisson arrivals from the stream's demand.
    """

    service: PointDistribution = "lognormal"
    cv: float = 0.5
    waits: Waits = "auto"
    batch_service: BatchService = "sum"
    handoff_delay: float = 0.0
    day_start: float = 9.0
    confidence: float = 0.95
    interarrivals: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        checks: list[tuple[str, bool, str]] = [
            (
                "cv",
                math.isfinite(self.cv) and self.cv >= 0,
                "a coefficient of variation of 0 or more",
            ),
            (
                "handoff_delay",
                math.isfinite(self.handoff_delay) and self.handoff_delay >= 0,
                "a duration in minutes of 0 or more",
            ),
            ("day_start", 0 <= self.day_start < 24, "an hour from 0 to 24"),
            ("confidence", 0 < self.confidence < 1, "a level between 0 and 1, e.g. 0.95"),
        ]
        for name, ok, expected in checks:
            if not ok:
                raise SimulationError(f"{name}: expected {expected}, got {getattr(self, name)!r}")
        choices = {
            "service": ("lognormal", "gamma", "exponential", "fixed"),
            "waits": tuple(WAITS_HELP),
            "batch_service": ("sum", "single"),
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise SimulationError(
                    f"{name}: expected one of {', '.join(allowed)}, got {getattr(self, name)!r}"
                )
        if self.interarrivals is not None:
            gaps = self.interarrivals
            if not gaps or any(not math.isfinite(g) or g < 0 for g in gaps) or sum(gaps) <= 0:
                raise SimulationError(
                    "interarrivals: expected inter-arrival times in minutes, zero or more and "
                    "not all zero"
                )

    def point_distribution(self) -> str:
        """How a point duration is drawn, in words."""
        if self.service == "exponential":
            return "exponential (CV 1) around the canvas value as the mean"
        if self.service == "fixed":
            return "fixed at the canvas value (no variation)"
        return f"{self.service} with the canvas value as the mean and CV {self.cv:g}"

    def conventions(self) -> dict[str, str]:
        """The settings in words, keyed by name (merged into every result's conventions)."""
        batches = (
            "a batch takes the sum of its items' process times on one person and its items "
            "leave together"
            if self.batch_service == "sum"
            else "a batch takes one process time (all items at once) and its items leave together"
        )
        return {
            "service_times": "a range is drawn from its own distribution (triangular, PERT, "
            "uniform, normal truncated at 0, lognormal); a point value is drawn "
            + self.point_distribution(),
            "waits": f"{self.waits}: {WAITS_HELP[self.waits]}",
            "batching": batches,
            "handoff_delay": (
                f"a mean extra delay of {self.handoff_delay:g} min (same distribution as point "
                "values) when work changes lane or enters a step marked handoff"
                if self.handoff_delay > 0
                else "none beyond the canvas wait_time"
            ),
        }

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.interarrivals is not None:
            data["interarrivals"] = f"{len(self.interarrivals)} values"
        return data
