"""Realistic event logs from a canvas: simulate a stream and write what happened, event by event.

Every visit of a step becomes two events, ``start`` and ``complete``, with the step's name as the
activity, the person who did it as the resource (named by lane and number: ``Sales 1``,
``Sales 2``; numbering runs on across the steps of one lane) and the step's role (or lane) as
the role. Timestamps sit on the working calendar (:mod:`~opcanvas.simulate.workcalendar`), in
UTC, to the millisecond. Cases carry attributes: the stream, the scenario, the outcome
(``completed`` or ``dropped``) and the arrival time (the trigger, before any waiting).

Columns follow the XES standard names, so pm4py and the opcanvas miner read them as they are:
``case:concept:name``, ``concept:name``, ``lifecycle:transition``, ``time:timestamp``,
``org:resource``, ``org:role``, plus ``step`` (the step id) and the ``case:`` attributes.
Rows are ordered by case, then time (a start before the complete of the same activity).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from opcanvas.canvas.model import Canvas
from opcanvas.canvas.quantities import format_percent
from opcanvas.canvas.scenario import Scenario
from opcanvas.errors import EventLogError, SimulationError
from opcanvas.simulate.engine import run
from opcanvas.simulate.network import Network
from opcanvas.simulate.run import build_network
from opcanvas.simulate.settings import SimulationSettings
from opcanvas.simulate.trace import COMPLETED, DROPPED, Trace
from opcanvas.simulate.workcalendar import WorkCalendar
from opcanvas.simulate.xes import write_xes

CASE = "case:concept:name"
ACTIVITY = "concept:name"
LIFECYCLE = "lifecycle:transition"
TIMESTAMP = "time:timestamp"
RESOURCE = "org:resource"
ROLE = "org:role"
STEP = "step"
FORMATS = {".csv": "CSV", ".parquet": "Parquet", ".xes": "XES", ".xes.gz": "XES, gzipped"}


def event_log(
    canvas: Canvas,
    ref: str,
    *,
    cases: int,
    seed: int = 0,
    start: datetime,
    scenario: Scenario | None = None,
    settings: SimulationSettings | None = None,
) -> pa.Table:
    """Simulate ``cases`` cases of ``ref`` from ``start`` and return their event log.

    One replication, seeded by ``seed`` (the same numbers as replication 0 of
    :func:`~opcanvas.simulate.simulate`); no warm-up is removed: a log is a history.

    >>> from datetime import datetime, timezone
    >>> from opcanvas.canvas import parse_canvas
    >>> canvas = parse_canvas('''
    ... organization: A
    ... engines: {e: {streams: {s: {name: S, demand: 4/h, steps: [
    ...   {id: a, name: Answer, lane: Desk, people: 2, process_time: 10min}]}}}}''')
    >>> log = event_log(canvas, "e/s", cases=3, start=datetime(2025, 1, 6, 9, tzinfo=timezone.utc))
    >>> log.num_rows, log.column("lifecycle:transition").to_pylist()[:2]
    (6, ['start', 'complete'])
    """
    settings = settings or SimulationSettings()
    if cases < 1:
        raise SimulationError(f"cases: expected 1 or more, got {cases}")
    net = build_network(canvas, ref, scenario, settings)
    unstable = net.unstable()
    if unstable:
        node, load = unstable[0]
        raise SimulationError(
            f'step "{node.id}" needs {format_percent(load)} of its capacity: its queue would grow '
            "without end, and so would the waits in the log",
            hint="add people to the step or lower the demand",
        )
    trace = run(net, settings, cases, [seed, 0])
    calendar = WorkCalendar(canvas.calendar, start, settings.day_start)
    return _table(net, trace, calendar, ref, scenario.name if scenario else "current")


def resource_names(net: Network, trace: Trace) -> list[list[str]]:
    """Names of each step's resources: lane and a number running on across the lane."""
    used = np.zeros(len(net.nodes), dtype=int)
    if trace.job_step.size:
        np.maximum.at(used, trace.visit_step, trace.visit_resource + 1)
    counters: dict[str, int] = {}
    names = []
    for node in net.nodes:
        lane = node.lane or node.name
        count = node.servers if node.servers is not None else int(used[node.index])
        first = counters.get(lane, 0)
        names.append([f"{lane} {first + i + 1}" for i in range(max(count, int(used[node.index])))])
        counters[lane] = first + count
    return names


def _table(net: Network, trace: Trace, calendar: WorkCalendar, ref: str, scenario: str) -> pa.Table:
    order = np.lexsort((trace.visit_end, trace.visit_start, trace.visit_case))
    case, step = trace.visit_case[order], trace.visit_step[order]
    starts, ends = trace.visit_start[order], trace.visit_end[order]
    n = order.size
    # events: (case, time, rank) with the start of a visit before its complete
    ev_case = np.repeat(case, 2)
    ev_step = np.repeat(step, 2)
    ev_time = np.empty(2 * n)
    ev_time[0::2], ev_time[1::2] = starts, ends
    rank = np.arange(2 * n)
    ev_order = np.lexsort((rank, ev_time, ev_case))
    ev_case, ev_step, ev_time = ev_case[ev_order], ev_step[ev_order], ev_time[ev_order]
    is_start = (ev_order % 2) == 0
    resources = resource_names(net, trace)
    res_index = np.repeat(trace.visit_resource[order], 2)[ev_order]
    offsets = np.concatenate([[0], np.cumsum([len(r) for r in resources])[:-1]]).astype(int)
    digits = max(6, len(str(trace.arrival.size)))
    case_ids = [f"case-{i + 1:0{digits}d}" for i in range(trace.arrival.size)]
    outcome = np.where(trace.outcome == COMPLETED, 0, np.where(trace.outcome == DROPPED, 1, 2))
    nodes = net.nodes
    ts = pa.timestamp("ms", tz="UTC")
    columns = {
        CASE: _strings(ev_case, case_ids),
        ACTIVITY: _strings(ev_step, [n.name for n in nodes]),
        LIFECYCLE: _strings(np.where(is_start, 0, 1), ["start", "complete"]),
        TIMESTAMP: _stamps(calendar, ev_time, ts),
        RESOURCE: _strings(offsets[ev_step] + res_index, [r for rs in resources for r in rs]),
        ROLE: _strings(ev_step, [n.role or n.lane or "" for n in nodes]),
        STEP: _strings(ev_step, [n.id for n in nodes]),
        "case:stream": _strings(np.zeros_like(ev_case), [ref]),
        "case:scenario": _strings(np.zeros_like(ev_case), [scenario]),
        "case:outcome": _strings(outcome[ev_case], ["completed", "dropped", "unfinished"]),
        "case:arrival": _stamps(calendar, trace.arrival[ev_case], ts),
    }
    return pa.table(columns)


# pa.array() imports pandas (2-3 s here); building arrays from buffers does not.


def _ints(values: np.ndarray, kind: pa.DataType) -> pa.Array:
    data = np.ascontiguousarray(values, dtype=kind.to_pandas_dtype())
    return pa.Array.from_buffers(kind, data.size, [None, pa.py_buffer(data)])


def _string_values(values: list[str]) -> pa.Array:
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    offsets[1:] = np.cumsum([len(e) for e in encoded])
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    return pa.Array.from_buffers(pa.string(), len(encoded), buffers)


def _strings(indices: np.ndarray, values: list[str]) -> pa.Array:
    """A string column from indices into ``values`` (built in Arrow: no Python per row)."""
    codes = _ints(indices, pa.int32())
    return pa.DictionaryArray.from_arrays(codes, _string_values(values)).cast(pa.string())


def _stamps(calendar: WorkCalendar, minutes: np.ndarray, ts: pa.DataType) -> pa.Array:
    stamps = calendar.timestamps(minutes)
    millis = (stamps.astype(np.int64) + 500) // 1000  # microseconds → nearest millisecond
    return _ints(millis, pa.int64()).cast(ts)


def write_event_log(table: pa.Table, path: str | Path) -> Path:
    """Write an event log as CSV, Parquet or XES (``.xes`` or ``.xes.gz``), chosen by suffix.

    The file is written to a temporary name and renamed, so readers never see half of it.
    """
    path = Path(path)
    suffix = ".xes.gz" if path.name.endswith(".xes.gz") else path.suffix.lower()
    stem = path.name.split(".")[0]
    writers: dict[str, Callable[[pa.Table, Path], None]] = {
        ".csv": lambda t, p: pa_csv.write_csv(t, p),
        ".parquet": lambda t, p: pq.write_table(t, p),
        ".xes": lambda t, p: write_xes(t, p, gzipped=False, name=stem),
        ".xes.gz": lambda t, p: write_xes(t, p, gzipped=True, name=stem),
    }
    writer = writers.get(suffix)
    if writer is None:
        raise EventLogError(
            f'cannot write an event log as "{suffix or path.name}"; expected one of '
            + ", ".join(FORMATS),
            hint="name the file e.g. log.csv, log.parquet or log.xes",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        writer(table, Path(tmp))
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
