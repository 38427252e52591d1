"""What one replication leaves behind: the trace, and the random streams it drew from.

Times are in working minutes. Per case: arrival, admission (a WIP cap may hold it), exit,
outcome. Per visit of a step (one row per item, so a batch gives several): case, step, when it
reached the step (``ready``), joined the queue after any delay (``queued``), service start and
end, resource index. Per job (a batch is one job): step, server start and end.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from opcanvas.simulate.distributions import resampler
from opcanvas.simulate.network import Network
from opcanvas.simulate.settings import SimulationSettings

COMPLETED, DROPPED, UNFINISHED = 0, 1, 2


@dataclass(frozen=True)
class Trace:
    """Everything one replication did, as NumPy arrays (times in working minutes)."""

    arrival: np.ndarray
    admit: np.ndarray
    exit: np.ndarray
    outcome: np.ndarray  # COMPLETED, DROPPED or UNFINISHED
    visit_case: np.ndarray
    visit_step: np.ndarray
    visit_ready: np.ndarray
    visit_queued: np.ndarray
    visit_start: np.ndarray
    visit_end: np.ndarray
    visit_resource: np.ndarray
    job_step: np.ndarray
    job_start: np.ndarray
    job_end: np.ndarray
    forced_joins: int


def generator(entropy: list[int], purpose: int, key: str) -> np.random.Generator:
    """A generator per purpose and step id, so scenarios share random numbers by step."""
    spawn = (purpose, zlib.crc32(key.encode("utf-8")))
    return np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=spawn))


def arrival_times(
    net: Network, settings: SimulationSettings, cases: int, entropy: list[int]
) -> np.ndarray:
    """Arrival times of ``cases`` cases: Poisson at the stream's rate, or resampled gaps."""
    rng = generator(entropy, 0, "arrivals")
    if settings.interarrivals is not None:
        draw = resampler(settings.interarrivals, rng)
        gaps = np.array([draw() for _ in range(cases)])
    else:
        gaps = rng.exponential(1 / net.arrival_rate, cases)
    return np.cumsum(gaps)


def to_trace(
    arrivals: list[float],
    admit: list[float],
    exit_: list[float],
    outcome: list[int],
    visits: list[tuple[int, float, float, int]],
    jobs: list[tuple[int, float, float, int]],
    forced: int,
) -> Trace:
    """The engine's lists as a :class:`Trace` (one array per column)."""
    f64 = np.float64
    job_rows = np.array(jobs, dtype=f64) if jobs else np.zeros((0, 4))
    visit_rows = np.array(visits, dtype=f64) if visits else np.zeros((0, 4))
    job_id = visit_rows[:, 3].astype(np.int64)
    job_step = job_rows[:, 0].astype(np.int32)
    return Trace(
        arrival=np.asarray(arrivals, dtype=f64),
        admit=np.asarray(admit, dtype=f64),
        exit=np.asarray(exit_, dtype=f64),
        outcome=np.asarray(outcome, dtype=np.int8),
        visit_case=visit_rows[:, 0].astype(np.int64),
        visit_step=job_step[job_id],
        visit_ready=visit_rows[:, 1],
        visit_queued=visit_rows[:, 2],
        visit_start=job_rows[job_id, 1],
        visit_end=job_rows[job_id, 2],
        visit_resource=job_rows[job_id, 3].astype(np.int32),
        job_step=job_step,
        job_start=job_rows[:, 1],
        job_end=job_rows[:, 2],
        forced_joins=forced,
    )
