"""Mining one stream: a log and a step mapping in, every per-step and per-stream metric out.

>>> from opcanvas.mining import read_log, mine
>>> log = read_log("../shared/data/logs/pm4py_running-example.xes")  # doctest: +SKIP
>>> result = mine(log)  # doctest: +SKIP
>>> result.stream.cases, result.variants.count  # doctest: +SKIP
(6, 6)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import narwhals as nw

from opcanvas.errors import EventLogError
from opcanvas.mining.columns import close_match
from opcanvas.mining.engines import Engine, make_engine
from opcanvas.mining.eventlog import EventLog, Progress, iso
from opcanvas.mining.flows import Edge, Variants, edges, variants
from opcanvas.mining.instances import InstanceCounts, build_instances
from opcanvas.mining.steps import StepStats, step_stats
from opcanvas.mining.stream import StreamStats, per_case, stream_stats
from opcanvas.mining.summary import STATISTICS, Summaries
from opcanvas.mining.timebasis import WEEK_US, TimeBasis

STAGES = ("instances", "steps", "stream", "variants", "edges")
BOUNDED_ABOVE = 20_000_000
"""Instances above which quantiles and variants are computed in bounded memory (see
``MiningSettings.quantiles``) rather than by aggregates that hold a group's values."""


@dataclass(frozen=True)
class MiningSettings:
    """Conventions that change the numbers; all printed with the result."""

    basis: TimeBasis = field(default_factory=TimeBasis.elapsed)
    statistic: str = "median"
    engine: str = "duckdb"
    top_variants: int = 20
    memory_limit: str | None = None
    temp_dir: str | None = None
    quantiles: Literal["auto", "aggregate", "bounded"] = "auto"
    """``aggregate``: quantile aggregates (fast, a group's values in memory); ``bounded``:
    narrowed down by bucket counts (:func:`~opcanvas.mining.summary.refined_quantiles`),
    with variants from a running window; ``auto``: bounded above ``BOUNDED_ABOVE`` instances.
    Same numbers either way."""
    case_sample: int = 2000
    """Cases kept with their lead time for a cycle-time scatter (stable pick by case id)."""

    def __post_init__(self) -> None:
        if self.statistic not in STATISTICS:
            raise EventLogError(
                f'unknown statistic "{self.statistic}"; expected one of {", ".join(STATISTICS)}'
            )
        if self.quantiles not in ("auto", "aggregate", "bounded"):
            raise EventLogError(
                f'unknown way to compute quantiles "{self.quantiles}"; '
                "expected auto, aggregate or bounded"
            )
        if self.case_sample < 0:
            raise EventLogError(
                f"expected a case sample size of 0 or more, got {self.case_sample}",
                hint="case_sample=0 keeps no per-case points",
            )

    def to_dict(self) -> dict[str, Any]:
        return {"time_basis": self.basis.to_dict(), "statistic": self.statistic,
                "engine": self.engine, "top_variants": self.top_variants,
                "quantiles": self.quantiles, "case_sample": self.case_sample}  # fmt: skip


@dataclass(frozen=True)
class MiningResult:
    """Per-step and per-stream measurements of one log under one mapping."""

    log: dict[str, Any]
    mapping: dict[str, tuple[str, ...]]
    settings: MiningSettings
    counts: InstanceCounts
    window: tuple[str | None, str | None]
    steps: list[StepStats]
    stream: StreamStats
    variants: Variants
    edges: list[Edge]
    handoffs: list[Edge]
    notes: list[str]

    @property
    def service_time_available(self) -> bool:
        return self.counts.service_time_available

    def step(self, step_id: str) -> StepStats:
        for step in self.steps:
            if step.step == step_id:
                return step
        raise KeyError(step_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "log": self.log,
            "mapping": {k: list(v) for k, v in self.mapping.items()},
            "settings": self.settings.to_dict(),
            "instances": self.counts.to_dict(),
            "service_time_available": self.service_time_available,
            "window": {"start": self.window[0], "end": self.window[1]},
            "steps": [s.to_dict() for s in self.steps],
            "stream": self.stream.to_dict(),
            "variants": self.variants.to_dict(),
            "edges": [e.to_dict() for e in self.edges],
            "handoffs": [e.to_dict() for e in self.handoffs],
            "notes": self.notes,
        }


def mine(
    log: EventLog,
    steps: dict[str, list[str]] | None = None,
    settings: MiningSettings | None = None,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> MiningResult:
    """Measure ``log``. ``steps`` maps step id → activities (None: each activity a step).

    Pass an ``engine`` to reuse one (a Spark session is slow to start); otherwise one is
    made from ``settings.engine`` and closed afterwards.

    >>> result = mine(log, {"intake": ["Register", "Check"]},
    ...               MiningSettings(basis=TimeBasis.working(), statistic="p85"))  # doctest: +SKIP
    >>> result.step("intake").service.p85  # minutes  # doctest: +SKIP
    42.5
    """
    settings = settings or MiningSettings()
    own = engine is None
    runner = engine or make_engine(
        settings.engine, memory_limit=settings.memory_limit, temp_dir=settings.temp_dir
    )
    try:
        return _mine(runner, log, steps, settings, progress)
    finally:
        if own:
            runner.close()


def _mine(
    engine: Engine,
    log: EventLog,
    steps: dict[str, list[str]] | None,
    settings: MiningSettings,
    progress: Progress | None,
) -> MiningResult:
    def stage(index: int) -> None:
        if progress:
            progress(f"mining: {STAGES[index]}", index / len(STAGES))

    lookup, notes = _lookup(steps, log, engine)
    stage(0)
    instances, counts = build_instances(engine, log, lookup, settings.basis)
    if not counts.instances:
        raise EventLogError(_nothing_mapped(steps, log))
    case_table = engine.materialize(per_case(instances))
    window = engine.rows(
        case_table.select(
            nw.col("real_first").min().alias("first"),
            nw.col("real_last").max().alias("last"),
            nw.len().alias("cases"),
        )
    )[0]
    first, last, cases = int(window["first"]), int(window["last"]), int(window["cases"])
    weeks = (last - first) / WEEK_US
    mapping = {step: tuple(names) for step, names in (steps or {}).items()}
    available = counts.service_time_available
    bounded = settings.quantiles == "bounded" or (
        settings.quantiles == "auto" and counts.instances > BOUNDED_ABOVE
    )
    summaries = Summaries(engine, bounded)
    stage(1)
    per_step = step_stats(summaries, instances, mapping, cases, weeks, available)
    if steps is None:  # every activity its own step
        mapping = {s.step: s.activities for s in per_step}
    stage(2)
    stream = stream_stats(summaries, case_table, available, settings.case_sample)
    stage(3)
    found = variants(engine, instances, settings.top_variants, bounded=bounded)
    stage(4)
    flow = edges(summaries, instances)
    passes = edges(summaries, instances, only_handoffs=True)
    if progress:
        progress("mining: done", 1.0)
    notes = notes + counts.notes() + log.quality.notes()
    notes.append(f"time basis: {settings.basis.describe()}")
    return MiningResult(
        log.summary(), mapping, settings, counts, (iso(first), iso(last)), per_step, stream,
        found, flow, passes, notes,
    )  # fmt: skip


def _lookup(
    steps: dict[str, list[str]] | None, log: EventLog, engine: Engine
) -> tuple[dict[str, str] | None, list[str]]:
    """activity → step, checked: an activity in two steps is an error, unknown ones a note."""
    if steps is None:
        return None, []
    lookup: dict[str, str] = {}
    for step, names in steps.items():
        for name in names:
            if name in lookup and lookup[name] != step:
                raise EventLogError(
                    f'activity "{name}" is mapped to two steps, "{lookup[name]}" and "{step}"',
                    hint="each activity belongs to one step",
                )
            lookup[name] = step
    known = _activities(engine, log)
    notes = []
    for name in sorted(set(lookup) - set(known)):
        guess = close_match(name, known)
        extra = f' (did you mean "{guess}"?)' if guess else ""
        notes.append(f'activity "{name}" of step "{lookup[name]}" does not occur in the log{extra}')
    return lookup, notes


def _activities(engine: Engine, log: EventLog) -> list[str]:
    rows = engine.rows(engine.events(log).select("activity").unique())
    return sorted(str(r["activity"]) for r in rows)


def _nothing_mapped(steps: dict[str, list[str]] | None, log: EventLog) -> str:
    if steps is None:
        return f"no activity instances could be formed from {log.source.name}"
    wanted = sorted({a for names in steps.values() for a in names})[:10]
    return (
        f"none of the mapped activities ({', '.join(wanted)}) occur in {log.source.name}; "
        "run `opcanvas mine --discover LOG` to see the activities it has"
    )
