"""The demo: the whole job on the built-in sample organisation, Northwind Services.

1. copy the sample canvas into the demo directory;
2. simulate event logs for two streams (``opcanvas.simulate``: CSV, Parquet and XES in
   ``logs/``; no third-party data), each an extract of the cases closed in one period of a
   stream in steady state (see :func:`closed_in_period`), simulated from a "reality" that
   differs from the workshop's estimates where workshops typically guess wrong (``REALITY``);
3. mine them back into the canvas copy (``opcanvas.mining``: measured values with provenance,
   beside the workshop's estimates);
4. assess the canvas and write every deliverable in every format next to it.

Everything is seeded: the same seed gives the same logs, the same measurements and the same
numbers. The logs start on a fixed date so they do too.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from opcanvas.assess import assess
from opcanvas.canvas.io import load_canvas, write_atomic
from opcanvas.canvas.scenario import Scenario
from opcanvas.canvas.templates import sample_canvas, sample_text
from opcanvas.mining import MiningResult, mine_into_canvas
from opcanvas.report.document import Figure
from opcanvas.report.figures import event_figures
from opcanvas.report.formats import DEFAULT_DEMO_DIR
from opcanvas.report.safety import safe_filename, slug
from opcanvas.report.summary import Summary, summarize
from opcanvas.report.writer import ALL_FORMATS, ReportResult, steps, write_report
from opcanvas.simulate import event_log, write_event_log

DEMO_STREAMS = ("growth/mql-to-close", "efficiency/incident-to-resolution")
LOG_FORMATS = (".csv", ".parquet", ".xes")
LOG_START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)  # a Monday, 09:00: the pilot run
LOG_END = dt.datetime(2026, 9, 30, 17, 0, tzinfo=dt.UTC)  # about where each extract ends
WARM_UP_LEADS = 2.0
"""The extract starts this many P95 lead times after the first arrival (an empty stream fills)."""
CASE, TIME, ARRIVAL = "case:concept:name", "time:timestamp", "case:arrival"
REALITY = {
    "growth/mql-to-close": [
        {"step": "discovery", "wait_time": "x2.5"},  # calendars fill up: meetings slip
        {"step": "proposal", "process_time": "x1.5"},  # proposals take longer than remembered
    ],
    "efficiency/incident-to-resolution": [
        {"step": "triage", "wait_time": "x3"},  # tickets sit in the queue before triage
    ],
}
"""How the simulated logs depart from the sample canvas's estimates, so that mining them shows
which workshop guesses were far off (the first thing a workshop should see)."""

Progress = Callable[[str], None]


@dataclass(frozen=True)
class DemoLog:
    """One simulated event log and what mining it found."""

    stream: str
    cases: int
    events: int
    files: tuple[str, ...]  # relative to the demo directory
    far_off: tuple[str, ...]  # "step.field" whose workshop estimate was far from the log

    def to_dict(self) -> dict[str, Any]:
        return {
            "stream": self.stream,
            "cases": self.cases,
            "events": self.events,
            "files": list(self.files),
            "far_off": list(self.far_off),
        }


@dataclass(frozen=True)
class DemoResult:
    directory: Path
    canvas: str
    logs: tuple[DemoLog, ...]
    report: ReportResult
    summary: Summary

    def to_dict(self) -> dict[str, Any]:
        return {
            "directory": str(self.directory),
            "canvas": self.canvas,
            "logs": [log.to_dict() for log in self.logs],
            "report": self.report.to_dict(),
            "summary": self.summary.to_dict(),
        }


def demo_steps() -> list[str]:
    """The progress steps of :func:`run_demo`, in order."""
    return [
        "copy sample canvas",
        *(f"simulate {ref}" for ref in DEMO_STREAMS),
        *(f"mine {ref}" for ref in DEMO_STREAMS),
        "assess",
        *steps(ALL_FORMATS),
    ]


def closed_in_period(table: pa.Table, most: int | None = None) -> tuple[pa.Table, dt.timedelta]:
    """The cases of a simulated log that finished after the warm-up and by the last arrival
    (the ``most`` that finished last, if given), and the warm-up.

    A system exports the cases closed in a period, from a stream that was running before it
    began; a simulation starts empty and its last cases finish after arrivals stop. Kept
    whole, such a cohort shows lead times rising month by month: the first cases to finish
    are the fast ones, the last the slow survivors. The warm-up is ``WARM_UP_LEADS`` times the
    P95 lead time (arrival to last event) of the simulated cases.

    >>> t = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    >>> h = dt.timedelta(hours=1)
    >>> log = pa.table({CASE: ["a", "b", "c", "d"], ARRIVAL: [t, t + h, t + 2 * h, t + 8 * h],
    ...                 TIME: [t + h, t + 2 * h, t + 4 * h, t + 9 * h]})
    >>> kept, warm_up = closed_in_period(log)  # P95 lead 1.85 h: closed from 3.7 h to 8 h
    >>> kept.column(CASE).to_pylist(), warm_up / h
    (['c'], 3.7)
    """
    per_case = table.group_by(CASE).aggregate([(TIME, "max"), (ARRIVAL, "min")])
    arrival = per_case.column(f"{ARRIVAL}_min")
    finish = per_case.column(f"{TIME}_max")
    lead_us = pc.subtract(_microseconds(finish), _microseconds(arrival))
    warm_up = dt.timedelta(microseconds=WARM_UP_LEADS * pc.quantile(lead_us, q=0.95)[0].as_py())
    start, last = pc.min(arrival).as_py() + warm_up, pc.max(arrival).as_py()
    inside = pc.and_(pc.greater_equal(finish, start), pc.less_equal(finish, last))
    closed = pa.table({CASE: per_case.column(CASE), "finish": finish}).filter(inside)
    if most is not None and closed.num_rows > most:
        closed = closed.sort_by([("finish", "descending"), (CASE, "ascending")]).slice(0, most)
    return table.filter(pc.is_in(table.column(CASE), value_set=closed.column(CASE))), warm_up


def mean_arrival_gap(table: pa.Table) -> dt.timedelta:
    """The mean time between two arrivals of a simulated log."""
    arrivals = pc.unique(table.column(ARRIVAL))
    span: dt.timedelta = pc.max(arrivals).as_py() - pc.min(arrivals).as_py()
    return span / max(len(arrivals) - 1, 1)


def _microseconds(times: pa.ChunkedArray) -> pa.ChunkedArray:
    return times.cast(pa.timestamp("us", tz="UTC")).cast(pa.int64())


def _simulate(out: Path, ref: str, cases: int, seed: int) -> tuple[list[Path], int]:
    """Up to ``cases`` closed cases of ``ref`` in steady state, ending about ``LOG_END``: a
    first run measures the lead time, a second adds the arrivals its warm-up takes and keeps
    the cases closed after it."""
    reality = Scenario.model_validate({"name": "as observed", "changes": REALITY[ref]})
    pilot = event_log(sample_canvas(), ref, cases=cases, seed=seed, start=LOG_START,
                      scenario=reality)  # fmt: skip
    _, warm_up = closed_in_period(pilot)
    gap = mean_arrival_gap(pilot)
    total = cases + math.ceil(warm_up / gap)
    start = LOG_END - total * gap
    monday = start - dt.timedelta(days=start.weekday())
    table, _ = closed_in_period(
        event_log(sample_canvas(), ref, cases=total, seed=seed, scenario=reality,
                  start=monday.replace(hour=9, minute=0, second=0, microsecond=0)),
        most=cases,
    )  # fmt: skip
    stem = safe_filename(*ref.split("/"))
    paths = [write_event_log(table, out / "logs" / f"{stem}{suffix}") for suffix in LOG_FORMATS]
    return paths, table.num_rows


def run_demo(
    out_dir: str | Path = DEFAULT_DEMO_DIR,
    *,
    samples: int = 10_000,
    seed: int = 0,
    cases: int = 400,
    start: dt.date | None = None,
    progress: Progress | None = None,
) -> DemoResult:
    """Run the demo into ``out_dir`` (created if needed; its earlier demo files are replaced).

    ``cases`` per simulated log; ``samples`` and ``seed`` for the Monte Carlo (the seed also
    drives the simulation); ``start`` is the first day of sprint 1 in the governance calendar.
    """
    tick = progress or (lambda _step: None)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    canvas_path = out / f"{slug(sample_canvas().organization, default='sample')}.yaml"
    write_atomic(canvas_path, sample_text())
    tick("copy sample canvas")
    simulated: dict[str, tuple[list[Path], int]] = {}
    for ref in DEMO_STREAMS:
        simulated[ref] = _simulate(out, ref, cases, seed)
        tick(f"simulate {ref}")
    logs: list[DemoLog] = []
    charts: dict[str, Figure] = {}
    results: dict[str, MiningResult] = {}
    for ref in DEMO_STREAMS:
        paths, events = simulated[ref]
        parquet = next(p for p in paths if p.suffix == ".parquet")
        # the simulator stamps events on the working calendar, and the canvas counts in
        # working time: measure on the same clock so estimates and logs compare like with like
        mined = mine_into_canvas(canvas_path, parquet, ref, basis="working")
        far = tuple(f"{c.step}.{c.field}" if c.step else c.field for c in mined.comparisons
                    if c.far_off)  # fmt: skip
        files = tuple(str(p.relative_to(out)) for p in paths)
        logs.append(DemoLog(ref, mined.result.stream.cases, events, files, far))
        results[ref] = mined.result
        tick(f"mine {ref}")
    canvas = load_canvas(canvas_path)
    assessment = assess(canvas, samples=samples, seed=seed)
    for ref, result in results.items():
        charts.update(event_figures(assessment, ref, result))
    tick("assess")
    report = write_report(assessment, out, start=start, progress=tick, extra_figures=charts)
    return DemoResult(out, canvas_path.name, tuple(logs), report, summarize(assessment))
