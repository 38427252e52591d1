"""From traces to numbers: one replication's statistics, then estimates across replications.

Warm-up: the first ``warmup`` share of cases (by arrival) is dropped from per-case figures, and
time averages run over the *observation window* from the first kept arrival to the last
arrival, so neither the empty start nor the draining end biases WIP, queue length or
utilisation. Percentiles use linear interpolation (NumPy's default).

>>> import numpy as np
>>> overlap(np.array([0.0, 5.0]), np.array([10.0, 20.0]), 2.0, 12.0).tolist()
[8.0, 7.0]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from opcanvas.errors import SimulationError
from opcanvas.simulate.network import Network
from opcanvas.simulate.trace import COMPLETED, Trace

SERIES_POINTS = 50
HEADLINE = (
    "lead_time_mean",
    "lead_time_p50",
    "lead_time_p85",
    "lead_time_p95",
    "throughput",
    "wip",
    "backlog",
    "time_in_system",
    "arrival_rate",
    "completed_share",
)


def overlap(start: np.ndarray, end: np.ndarray, t0: float, t1: float) -> np.ndarray:
    """Length of each interval [start, end] inside the window [t0, t1]."""
    return np.clip(np.minimum(end, t1) - np.maximum(start, t0), 0.0, None)


@dataclass(frozen=True)
class Replication:
    """One replication's figures: headline metrics and per-step arrays (index = step)."""

    headline: dict[str, float]
    utilisation: np.ndarray
    in_progress: np.ndarray
    queue_length: np.ndarray
    wait: np.ndarray
    wait_share: np.ndarray
    visits: np.ndarray
    service: np.ndarray
    horizon: float  # time of the last arrival
    series_source: tuple[np.ndarray, np.ndarray]  # sorted admit and exit times


def measured_from(cases: int, warmup: float) -> int:
    """Index of the first case kept after warm-up; at least two cases must remain."""
    first = math.floor(cases * warmup)
    if cases - first < 2:
        raise SimulationError(
            f"{cases} cases with a warm-up of {warmup:.0%} leave fewer than two to measure",
            hint="simulate more cases or lower the warm-up share",
        )
    return first


def replication(trace: Trace, net: Network, warmup: float) -> Replication:
    """The statistics of one trace (see the module docstring for the window)."""
    n_steps, cases = len(net.nodes), trace.arrival.size
    first = measured_from(cases, warmup)
    t0, t1 = float(trace.arrival[first]), float(trace.arrival[-1])
    span = t1 - t0
    if span <= 0:
        raise SimulationError("all measured cases arrived at the same moment; simulate more cases")
    end_of_run = float(np.nanmax(trace.exit)) if np.isfinite(trace.exit).any() else t1
    exit_ = np.where(np.isfinite(trace.exit), trace.exit, max(end_of_run, t1))
    kept = slice(first, None)
    done = trace.outcome[kept] == COMPLETED
    lead = (exit_ - trace.arrival)[kept][done]
    sojourn = (exit_ - trace.arrival)[kept]
    completed_in_window = (trace.outcome == COMPLETED) & (exit_ >= t0) & (exit_ < t1)
    headline = {
        "lead_time_mean": float(lead.mean()) if lead.size else math.nan,
        "lead_time_p50": _pct(lead, 50),
        "lead_time_p85": _pct(lead, 85),
        "lead_time_p95": _pct(lead, 95),
        "throughput": float(completed_in_window.sum()) / span,
        "wip": float(overlap(trace.admit, exit_, t0, t1).sum()) / span,
        "backlog": float(overlap(trace.arrival, trace.admit, t0, t1).sum()) / span,
        "time_in_system": float(sojourn.mean()),
        "arrival_rate": float(((trace.arrival >= t0) & (trace.arrival < t1)).sum()) / span,
        "completed_share": float(done.mean()),
    }
    steps = _per_step(trace, net, first, t0, t1, n_steps)
    return Replication(
        headline=headline,
        **steps,
        horizon=t1,
        series_source=(np.sort(trace.admit), np.sort(exit_)),
    )


def _pct(values: np.ndarray, q: float) -> float:
    return float(np.percentile(values, q)) if values.size else math.nan


def _per_step(
    trace: Trace, net: Network, first: int, t0: float, t1: float, n: int
) -> dict[str, np.ndarray]:
    span = t1 - t0
    kept = trace.visit_case >= first
    step = trace.visit_step
    waits = trace.visit_start - trace.visit_ready
    counts = np.bincount(step[kept], minlength=n).astype(float)
    wait_sum = np.bincount(step[kept], weights=waits[kept], minlength=n)
    service_sum = np.bincount(
        step[kept], weights=(trace.visit_end - trace.visit_start)[kept], minlength=n
    )
    queued = overlap(trace.visit_queued, trace.visit_start, t0, t1)
    busy = np.bincount(
        trace.job_step, weights=overlap(trace.job_start, trace.job_end, t0, t1), minlength=n
    )
    servers = np.array([np.nan if s.servers is None else s.servers for s in net.nodes])
    total_wait = wait_sum.sum()
    measured_cases = trace.arrival.size - first
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "utilisation": busy / span / servers,
            "in_progress": busy / span,
            "queue_length": np.bincount(step, weights=queued, minlength=n) / span,
            "wait": np.where(counts > 0, wait_sum / counts, np.nan),
            # no waiting at all: the share is undefined (NaN), not zero
            "wait_share": wait_sum / total_wait if total_wait > 0 else np.full(n, np.nan),
            "visits": counts / measured_cases,
            "service": np.where(counts > 0, service_sum / counts, np.nan),
        }


def wip_series(reps: list[Replication], points: int = SERIES_POINTS) -> list[tuple[float, float]]:
    """WIP (cases in process) at evenly spaced times, averaged over replications.

    The grid runs from 0 to the earliest last arrival, so the warm-up is visible.
    """
    horizon = min(r.horizon for r in reps)
    grid = np.linspace(0.0, horizon, points)
    totals = np.zeros(points)
    for rep in reps:
        admits, exits = rep.series_source
        totals += np.searchsorted(admits, grid, side="right") - np.searchsorted(
            exits, grid, side="right"
        )
    return [(float(t), float(w)) for t, w in zip(grid, totals / len(reps), strict=True)]
