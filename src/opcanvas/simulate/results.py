"""Results of a simulation: estimates with confidence intervals, per step and for the stream.

Units are canonical: durations in working minutes of the canvas calendar, rates per minute,
shares as fractions. ``to_dict()`` gives JSON-ready data (NaN becomes ``None``).

>>> Estimate.of([1.0, 2.0, 3.0]).to_dict()  # t(0.975, 2) = 4.303; 4.303 × 1 / √3 = 2.484
{'mean': 2.0, 'low': -0.484138, 'high': 4.48414, 'n': 3}
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.special import stdtrit  # Student-t quantile; scipy.stats costs 2 s to import


def _clean(value: float | None, digits: int = 6) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(f"{value:.{digits}g}") if value != 0 else 0.0


@dataclass(frozen=True)
class Estimate:
    """The mean of per-replication values and its t-interval across replications.

    ``low``/``high`` are NaN with fewer than two finite replications: one run has no spread.
    """

    mean: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float] | np.ndarray, confidence: float = 0.95) -> Estimate:
        data = np.asarray(values, dtype=float)
        data = data[np.isfinite(data)]
        n = int(data.size)
        if n == 0:
            return cls(math.nan, math.nan, math.nan, 0)
        mean = float(data.mean())
        if n < 2:
            return cls(mean, math.nan, math.nan, n)
        t = float(stdtrit(n - 1, (1 + confidence) / 2))
        half = t * float(data.std(ddof=1)) / math.sqrt(n)
        return cls(mean, mean - half, mean + half, n)

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    def to_dict(self) -> dict[str, Any]:
        return {
            "mean": _clean(self.mean),
            "low": _clean(self.low),
            "high": _clean(self.high),
            "n": self.n,
        }


def _opt(estimate: Estimate | None) -> dict[str, Any] | None:
    return None if estimate is None else estimate.to_dict()


@dataclass(frozen=True)
class LeadTime:
    """Lead time from arrival (the trigger) to the end of the last step, completed cases."""

    mean: Estimate
    p50: Estimate
    p85: Estimate
    p95: Estimate

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k).to_dict() for k in ("mean", "p50", "p85", "p95")}


@dataclass(frozen=True)
class StepResult:
    """One step: capacity, analytic load, and what the simulation measured there.

    ``wait`` is the mean time from reaching the step to starting work on it, per visit (delays,
    waiting for a batch or a join, and queueing); ``wait_share`` the step's part of all waiting
    ("where the waiting accumulates"); ``utilisation`` is busy time over people × time (``None``
    for unlimited capacity, where ``in_progress`` says how many are worked on at once).
    """

    id: str
    name: str
    lane: str | None
    servers: int | None
    people: float | None
    load: float | None
    stable: bool
    utilisation: Estimate | None
    in_progress: Estimate | None
    queue_length: Estimate | None
    wait: Estimate | None
    wait_share: Estimate | None
    visits: Estimate | None
    service: Estimate | None
    canvas_wait: float | None
    canvas_process_time: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "lane": self.lane,
            "servers": self.servers,
            "people": self.people,
            "load": _clean(self.load),
            "stable": self.stable,
            "utilisation": _opt(self.utilisation),
            "in_progress": _opt(self.in_progress),
            "queue_length": _opt(self.queue_length),
            "wait": _opt(self.wait),
            "wait_share": _opt(self.wait_share),
            "visits": _opt(self.visits),
            "service": _opt(self.service),
            "canvas_wait": _clean(self.canvas_wait),
            "canvas_process_time": _clean(self.canvas_process_time),
        }


@dataclass(frozen=True)
class SimulationResult:
    """A stream simulated over replications, or the reason it could not be (``stable``)."""

    ref: str
    scenario: str | None
    stable: bool
    reason: str | None
    cases: int
    replications: int
    seed: int
    warmup: float
    demand: float  # the arrival rate the model was given, per minute
    lead_time: LeadTime | None
    throughput: Estimate | None
    arrival_rate: Estimate | None
    wip: Estimate | None
    backlog: Estimate | None
    time_in_system: Estimate | None
    completed_share: Estimate | None
    wip_series: tuple[tuple[float, float], ...]
    steps: tuple[StepResult, ...]
    conventions: dict[str, str]
    warnings: tuple[str, ...] = ()
    per_replication: dict[str, tuple[float, ...]] = field(default_factory=dict)

    def step(self, step_id: str) -> StepResult:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def bottleneck(self) -> StepResult | None:
        """The step where most waiting accumulates (``None`` when nothing waits)."""
        ranked = [s for s in self.steps if s.wait_share is not None and s.wait_share.mean > 0]
        return max(ranked, key=lambda s: s.wait_share.mean) if ranked else None  # type: ignore[union-attr]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "scenario": self.scenario,
            "stable": self.stable,
            "reason": self.reason,
            "cases": self.cases,
            "replications": self.replications,
            "seed": self.seed,
            "warmup": self.warmup,
            "demand": _clean(self.demand),
            "lead_time": None if self.lead_time is None else self.lead_time.to_dict(),
            "throughput": _opt(self.throughput),
            "arrival_rate": _opt(self.arrival_rate),
            "wip": _opt(self.wip),
            "backlog": _opt(self.backlog),
            "time_in_system": _opt(self.time_in_system),
            "completed_share": _opt(self.completed_share),
            "wip_series": [[_clean(t), _clean(w)] for t, w in self.wip_series],
            "steps": [s.to_dict() for s in self.steps],
            "conventions": dict(sorted(self.conventions.items())),
            "warnings": list(self.warnings),
            "per_replication": {
                k: [_clean(v) for v in vals] for k, vals in sorted(self.per_replication.items())
            },
            "units": {"durations": "working minutes", "rates": "per minute", "shares": "fractions"},
        }


@dataclass(frozen=True)
class Comparison:
    """Current and future state side by side; ``difference`` and ``relative`` (future/current
    − 1) per headline metric, paired replication by replication (common random numbers)."""

    ref: str
    scenario: str
    current: SimulationResult
    future: SimulationResult
    difference: dict[str, Estimate]
    relative: dict[str, Estimate]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "scenario": self.scenario,
            "current": self.current.to_dict(),
            "future": self.future.to_dict(),
            "difference": {k: v.to_dict() for k, v in sorted(self.difference.items())},
            "relative": {k: v.to_dict() for k, v in sorted(self.relative.items())},
        }
