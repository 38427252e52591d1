"""Activity instances, the unit every metric counts: one execution of one activity in a case.

How instances are formed depends on the log's time model:

* ``intervals``: every event is an instance (a start column and an end column).
* ``lifecycle``: ``start`` and ``complete`` events of the same case and activity are paired
  first-in first-out. A complete with no open start is an instance without a start (service
  time unknown); a start never completed is left out (counted). The k-th matched complete
  takes start number ``j + min(0, min_{i≤j}(s_i − i))``, where ``s_i`` is the number of
  starts before complete ``i`` — a running minimum, so pairing is a window query that runs on
  any engine, not a Python loop.
* ``single``: one timestamp per event; every event is an instance without a start. Service
  and waiting time cannot be told apart, and results say so.

Then, per case, instances are ordered by (start, end, source row) and each gets: its position,
the gap before it (``wait``: the time since every earlier instance had finished, zero when it
starts while another still runs), the new time it adds to the union of intervals (``active``,
so overlapping instances never count twice and waits are never negative), the
directly-follows time from the previous instance's end, and the previous step, resource and
lane (handoffs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import narwhals as nw
import pyarrow as pa

from opcanvas.mining.engines import Engine
from opcanvas.mining.eventlog import EventLog
from opcanvas.mining.quality import COMPLETE_WORDS, START_WORDS
from opcanvas.mining.timebasis import TimeBasis

CASE = "case"
ORDER = ["start_eff", "end", "row"]
PAIR_ORDER = ["time", "is_complete", "row"]


@dataclass(frozen=True)
class InstanceCounts:
    """How events became instances."""

    time_model: str
    instances: int
    with_start: int
    unmatched_completes: int
    unmatched_starts: int
    ignored_events: int

    @property
    def service_time_available(self) -> bool:
        return self.with_start > 0

    def notes(self) -> list[str]:
        notes = []
        if self.time_model == "single":
            notes.append(
                "one timestamp per event: service time and waiting time cannot be separated; "
                "the time between steps is reported as directly-follows time (waiting plus "
                "the next step's service)"
            )
        if self.unmatched_completes:
            notes.append(
                f"{self.unmatched_completes:,} complete event(s) without a start: "
                "instances with unknown service time"
            )
        if self.unmatched_starts:
            notes.append(f"{self.unmatched_starts:,} start event(s) never completed: left out")
        if self.ignored_events:
            notes.append(
                f"{self.ignored_events:,} event(s) with other lifecycle transitions "
                "(schedule, suspend, …) not used"
            )
        return notes

    def to_dict(self) -> dict[str, Any]:
        return {
            "time_model": self.time_model, "instances": self.instances,
            "with_start": self.with_start, "unmatched_completes": self.unmatched_completes,
            "unmatched_starts": self.unmatched_starts, "ignored_events": self.ignored_events,
            "service_time_available": self.service_time_available,
        }  # fmt: skip


def build_instances(
    engine: Engine,
    log: EventLog,
    steps: dict[str, str] | None,
    basis: TimeBasis,
) -> tuple[nw.LazyFrame[Any], InstanceCounts]:
    """Materialised instances with per-case context, and how they were formed.

    ``steps`` maps activity → step; activities it does not name are left out. ``None``
    makes every activity its own step.
    """
    events = engine.events(log)
    total = log.events
    if steps is not None:
        lookup = pa.table({"activity": list(steps), "step": list(steps.values())})
        events = events.join(engine.table(lookup), on="activity", how="inner")
        total = _count(engine, events)
    else:
        events = events.with_columns(step=nw.col("activity"))
    kinds = _kinds(log)
    starts = 0
    if log.time_model == "lifecycle":
        raw, starts = _paired(engine, events)
    else:
        used = events if kinds is None else events.filter(_is_in("lifecycle", kinds, nulls=True))
        raw = _single(used, log.time_model)
    timed, begin, finish = _on_basis(engine, raw, basis, log)
    lanes = log.columns.role is not None
    stored = engine.materialize(with_context(engine, timed, begin, finish, lanes))
    instances = derived(stored, elapsed=basis.kind == "elapsed")
    counts = engine.rows(
        instances.select(nw.len().alias("n"), nw.col("service").count().alias("with_start"))
    )[0]
    n, with_start = int(counts["n"]), int(counts["with_start"])
    unmatched_completes = n - with_start if log.time_model == "lifecycle" else 0
    unmatched_starts = starts - with_start if log.time_model == "lifecycle" else 0
    ignored = total - n - starts
    return instances, InstanceCounts(
        log.time_model, n, with_start, unmatched_completes, unmatched_starts, max(ignored, 0)
    )


def _kinds(log: EventLog) -> list[str] | None:
    """In a single-timestamp log with complete transitions, only those count as events."""
    values = set(log.quality.lifecycle)
    if values & COMPLETE_WORDS:
        return sorted(values & COMPLETE_WORDS)
    return None


def _is_in(column: str, values: list[str], *, nulls: bool) -> nw.Expr:
    test = nw.col(column).is_in(values)
    return (test | nw.col(column).is_null()) if nulls else test


def _count(engine: Engine, frame: nw.LazyFrame[Any]) -> int:
    return int(engine.rows(frame.select(nw.len().alias("n")))[0]["n"])


def _single(events: nw.LazyFrame[Any], model: str) -> nw.LazyFrame[Any]:
    start = nw.col("start") if model == "intervals" else nw.lit(None, nw.Int64())
    return events.select(
        CASE, "step", start.alias("start"), nw.col("time").alias("end"), "resource", "role",
        "row", "month",
    )  # fmt: skip


def _paired(engine: Engine, events: nw.LazyFrame[Any]) -> tuple[nw.LazyFrame[Any], int]:
    """Instances and the number of start events."""
    group = [CASE, "activity"]
    marked = events.filter(
        _is_in("lifecycle", sorted(START_WORDS | COMPLETE_WORDS), nulls=True)
    ).with_columns(
        is_start=nw.col("lifecycle").is_in(sorted(START_WORDS)).fill_null(False).cast(nw.Int64),
    ).with_columns(is_complete=1 - nw.col("is_start")).select(
        CASE, "activity", "step", "time", "resource", "role", "row", "month", "is_start",
        "is_complete",
    )  # fmt: skip
    # (only what pairing and the instances read: the materialised table stays narrow)
    marked = marked.with_columns(
        starts_before=nw.col("is_start").cum_sum().over(*group, order_by=PAIR_ORDER),
        number=nw.col("is_complete").cum_sum().over(*group, order_by=PAIR_ORDER),
    )
    marked = engine.materialize(marked)
    starts = marked.filter(nw.col("is_start") == 1).select(
        CASE, "activity", nw.col("starts_before").alias("k"), nw.col("time").alias("start"),
        nw.col("resource").alias("start_resource"), nw.col("role").alias("start_role"),
    )  # fmt: skip
    done = marked.filter(nw.col("is_start") == 0).with_columns(
        x=nw.col("starts_before") - nw.col("number")
    )
    # c = min(running min of x, 0); the previous complete's c is the same over the rows
    # before this one (0 for the first complete)
    done = engine.windows(done, group, PAIR_ORDER,
                          {"low": ("cum_min", "x"), "low_before": ("min_before", "x")})  # fmt: skip
    done = done.with_columns(
        c=nw.min_horizontal(nw.col("low"), nw.lit(0)),
        c_prev=nw.min_horizontal(nw.col("low_before").fill_null(0), nw.lit(0)),
    )
    matched = nw.col("c") == nw.col("c_prev")
    done = done.with_columns(
        k=nw.when(matched).then(nw.col("number") + nw.col("c")).otherwise(nw.lit(-1)),
    )
    joined = done.join(starts, on=[CASE, "activity", "k"], how="left")
    instances = joined.select(
        CASE, "step", "start", nw.col("time").alias("end"),
        nw.coalesce(nw.col("resource"), nw.col("start_resource")).alias("resource"),
        nw.coalesce(nw.col("role"), nw.col("start_role")).alias("role"),
        "row", "month",
    )  # fmt: skip
    # matched completes are the instances with a start: counted once they are built
    sums = engine.rows(marked.select(nw.col("is_start").sum().alias("s")))[0]
    return instances, int(sums["s"] or 0)


def _on_basis(
    engine: Engine, frame: nw.LazyFrame[Any], basis: TimeBasis, log: EventLog
) -> tuple[nw.LazyFrame[Any], str, str]:
    """The instance's times on the chosen clock: the columns holding begin and finish.

    On elapsed time they are the real times themselves (no copies: the window that follows
    sorts every column it carries).
    """
    frame = frame.with_columns(start_eff=nw.coalesce(nw.col("start"), nw.col("end")))
    if basis.kind == "elapsed":
        return frame, "start_eff", "end"
    days = engine.table(basis.day_table(log.period_start, log.period_end))
    offset = basis.offset_us()
    day = 86_400_000_000
    for column, out in (("start_eff", "bstart"), ("end", "bend")):
        keyed = frame.with_columns(_day=(nw.col(column) + offset) // day)
        joined = keyed.join(days, left_on="_day", right_on="day", how="left")
        span = nw.col("close") - nw.col("open")
        inside = nw.min_horizontal(nw.col(column) - nw.col("open"), span)
        frame = joined.with_columns(
            (nw.col("before") + nw.max_horizontal(inside, nw.lit(0))).alias(out)
        ).drop("_day", "open", "close", "before")
    return frame, "bstart", "bend"


def with_context(
    engine: Engine,
    raw: nw.LazyFrame[Any],
    begin: str = "bstart",
    finish: str = "bend",
    lanes: bool = True,
) -> nw.LazyFrame[Any]:
    """Per-case position, the previous instance's step and finish, the running finish before
    the instance, and handoff and lane flags: what is stored (see :func:`derived`).

    ``begin``/``finish`` hold the instance's times on the chosen clock. Only what the metrics
    read is kept (previous values become flags), so the materialised table stays narrow; on
    elapsed time (``begin`` is ``start_eff``) the basis columns are not stored at all.
    """
    previous = {
        "pos": ("cum_count", "end"),
        "prev_running_end": ("max_before", finish),
        "prev_bend": ("lag", finish),
        "prev_step": ("lag", "step"),
        "prev_resource": ("lag", "resource"),
    }
    if lanes:
        previous["prev_role"] = ("lag", "role")
    frame = engine.windows(raw, [CASE], ORDER, previous)
    lane = _changed("role", "prev_role") if lanes else nw.lit(False)
    basis = [] if begin == "start_eff" else [nw.col(begin).alias("bstart"),
                                             nw.col(finish).alias("bend")]  # fmt: skip
    return frame.select(
        CASE, "step", "resource", "start_eff", "end", *basis, "month", "pos", "prev_step",
        "prev_running_end", "prev_bend", (~nw.col("start").is_null()).alias("has_start"),
        _changed("resource", "prev_resource").alias("handoff"),
        lane.alias("lane_change"),
    )  # fmt: skip


def derived(stored: nw.LazyFrame[Any], elapsed: bool) -> nw.LazyFrame[Any]:
    """The durations every metric reads, computed on read from the stored table (cheaper
    than storing them: the instance table is the largest thing kept).

    ``wait``: the gap since every earlier instance of the case had finished (null for the
    first); ``active``: the new time the instance adds to the union of the case's intervals;
    ``df_time``: from the previous instance's finish (floored at zero); ``service``: finish −
    begin where there is a start.
    """
    if elapsed:  # the basis times are the real ones: not stored twice
        stored = stored.with_columns(bstart=nw.col("start_eff"), bend=nw.col("end"))
    b, f, running = nw.col("bstart"), nw.col("bend"), nw.col("prev_running_end")
    first = running.is_null()
    null = nw.lit(None, nw.Int64())
    return stored.with_columns(
        nw.when(first).then(null).otherwise(nw.max_horizontal(b - running, nw.lit(0))).alias(
            "wait"
        ),
        nw.when(first).then(f - b).otherwise(
            nw.max_horizontal(f - nw.max_horizontal(b, running), nw.lit(0))
        ).alias("active"),
        nw.when(nw.col("prev_bend").is_null()).then(null).otherwise(
            nw.max_horizontal(b - nw.col("prev_bend"), nw.lit(0))
        ).alias("df_time"),
        nw.when(nw.col("has_start")).then(f - b).otherwise(null).alias("service"),
    )  # fmt: skip


def _changed(column: str, previous: str) -> nw.Expr:
    """Both known and different: a handoff (resource) or a lane change (role)."""
    known = ~nw.col(column).is_null() & ~nw.col(previous).is_null()
    return (known & (nw.col(column) != nw.col(previous))).fill_null(False)
