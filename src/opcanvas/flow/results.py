"""The results of flow analysis: frozen dataclasses with a ``to_dict()`` for JSON.

Times are **minutes**, rates **per minute**, shares **fractions**; ``None`` means unknown (a
blank in the canvas that nothing could be derived from). Every result carries the conventions
it was computed under (see :mod:`opcanvas.flow.conventions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal

Severity = Literal["info", "warning", "error"]
Source = Literal["measured", "estimate", "derived", "missing"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


def plain(value: Any) -> Any:
    """A result as JSON-ready data: dataclasses → dicts, tuples → lists, keys as strings."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return value


class _ToDict:
    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data (minutes, per-minute rates, fractions)."""
        data: dict[str, Any] = plain(self)
        return data


@dataclass(frozen=True)
class Flag(_ToDict):
    """Something the analysis found that deserves attention; ``code`` is listed in ``FLAGS``."""

    code: str
    severity: Severity
    message: str
    step: str | None = None
    stream: str | None = None


def at_least(flags: tuple[Flag, ...] | list[Flag], severity: Severity) -> list[Flag]:
    """The flags of ``severity`` or worse (info < warning < error)."""
    floor = SEVERITY_RANK[severity]
    return [flag for flag in flags if SEVERITY_RANK[flag.severity] >= floor]


def severity_counts(flags: tuple[Flag, ...] | list[Flag]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITY_RANK, 0)
    for flag in flags:
        counts[flag.severity] += 1
    return counts


@dataclass(frozen=True)
class Completeness(_ToDict):
    """How many key figures are filled in, and which are blank (``step.figure`` or ``figure``)."""

    filled: int
    total: int
    fraction: float
    missing: tuple[str, ...]

    @staticmethod
    def of(filled: int, total: int, missing: tuple[str, ...]) -> Completeness:
        return Completeness(filled, total, filled / total if total else 1.0, missing)

    @staticmethod
    def combine(parts: dict[str, Completeness]) -> Completeness:
        """Roll parts up; each missing item is prefixed with its part's name (``ref/item``)."""
        missing = tuple(f"{name}/{item}" for name, part in parts.items() for item in part.missing)
        filled = sum(part.filled for part in parts.values())
        total = sum(part.total for part in parts.values())
        return Completeness.of(filled, total, missing)


@dataclass(frozen=True)
class LittleResult(_ToDict):
    """Little's law, WIP = throughput × lead time, on the figures given (Little 1961).

    ``derived`` names the figure computed from the other two; with all three given,
    ``deviation`` is |WIP − throughput × LT| / max(WIP, throughput × LT) and ``consistent``
    says whether it is within ``tolerance``.
    """

    wip: float | None
    throughput: float | None
    lead_time: float | None
    derived: Literal["wip", "throughput", "lead_time"] | None
    consistent: bool | None
    deviation: float | None
    tolerance: float
    note: str | None = None


@dataclass(frozen=True)
class StepFlow(_ToDict):
    """The flow figures of one step. Manufacturing figures are ``None`` in office mode.

    ``lead_time`` is wait + PT, or the wait alone when ``lead_time_includes_process_time`` is
    off; ``elapsed_time`` is always wait + PT (``None`` unless both are known or LT is given).
    In manufacturing mode ``process_time`` is the C/T and ``wait_time`` the inventory before
    the step divided by demand. ``wait_share`` is the step's wait (times ``reach`` under the
    expected decision rule) over the stream's elapsed time. ``reach`` is the share of items that
    visit the step (decision points send items down one branch). ``utilisation`` = reach ×
    demand per day × effective C/T ÷ (people × available time per day). ``sources`` says per
    figure whether it was measured, estimated, derived or is missing. ``predecessors`` and
    ``branches`` (exit → probability) are the routing edges into and out of the step.
    """

    id: str
    name: str
    lane: str | None
    role: str | None
    systems: tuple[str, ...]
    process_time: float | None
    wait_time: float | None
    lead_time: float | None
    complete_accurate: float | None
    sources: dict[str, Source]
    on_critical_path: bool
    handoff_in: bool
    wait_share: float | None
    # manufacturing (Rother & Shook)
    cycle_time: float | None
    changeover: float | None
    uptime: float | None
    effective_cycle_time: float | None
    inventory_days: float | None
    capacity_per_day: float | None
    utilisation: float | None
    flags: tuple[Flag, ...]
    # routing and extras
    predecessors: tuple[str, ...] = ()
    branches: dict[str, float] = field(default_factory=dict)
    reach: float = 1.0
    elapsed_time: float | None = None
    people: float | None = None
    first_pass_yield: float | None = None


@dataclass(frozen=True)
class StreamFlow(_ToDict):
    """The flow figures of one value stream (``ref`` is ``engine/stream``).

    ``lead_time``, ``process_time`` and ``wait_time`` add up along ``critical_path`` (the
    longest path; probability-weighted over decision points under the expected rule, whose
    named path is the most likely one, with ``path_probability``). ``elapsed_time`` is wait +
    PT on that path whatever the LT convention; ``flow_efficiency`` = process time ÷ elapsed
    time. ``work_content`` = Σ reach × PT (or C/T) over every step; ``operators_needed`` =
    work content ÷ takt. ``inventory_days`` is the top of the lead-time ladder (manufacturing).
    A total is ``None`` when no step has the figure.
    """

    ref: str
    name: str
    mode: Literal["office", "manufacturing"]
    steps: tuple[StepFlow, ...]
    lead_time: float | None
    process_time: float | None
    wait_time: float | None
    flow_efficiency: float | None
    rolled_cta: float | None
    first_pass_yield: float | None
    takt_time: float | None
    available_time_per_day: float | None
    operators_needed: float | None
    critical_path: tuple[str, ...]
    handoffs: int
    bottleneck: str | None
    flags: tuple[Flag, ...]
    completeness: Completeness
    little: LittleResult | None
    conventions: dict[str, str]
    # extras
    elapsed_time: float | None = None
    work_content: float | None = None
    demand_per_day: float | None = None
    inventory_days: float | None = None
    bottleneck_rule: str | None = None
    path_probability: float = 1.0
    scenarios: int = 1
    sources: dict[str, Source] = field(default_factory=dict)

    def step(self, step_id: str) -> StepFlow:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)


@dataclass(frozen=True)
class EngineFlow(_ToDict):
    """An engine's streams rolled up: totals are plain sums over its streams' known figures."""

    id: str
    name: str
    streams: tuple[str, ...]
    lead_time_total: float | None
    process_time_total: float | None
    wait_time_total: float | None
    flow_efficiency: float | None
    lowest_rolled_cta: float | None
    lowest_rolled_cta_stream: str | None
    handoffs: int
    flag_counts: dict[str, int]
    completeness: Completeness


@dataclass(frozen=True)
class CanvasFlow(_ToDict):
    """Every stream and engine of a canvas, the canvas completeness and the conventions."""

    streams: dict[str, StreamFlow]
    engines: dict[str, EngineFlow]
    completeness: Completeness
    conventions: dict[str, str]
    flag_counts: dict[str, int] = field(default_factory=dict)

    def flags(self) -> tuple[Flag, ...]:
        """Every flag of every stream, in canvas order."""
        return tuple(flag for stream in self.streams.values() for flag in stream.flags)
