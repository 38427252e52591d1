"""The canvas: an organisation's engines, value streams, steps, KPIs and bottlenecks.

Everything the Operational Canvas and the SAFe operational value stream describe has a field
here. Nearly every field is optional: a canvas is filled in during workshops, and every analysis
works on what is known and reports what is missing. Quantities are canonical numbers (minutes,
per-minute rates, fractions, currency units) or :class:`~opcanvas.canvas.quantities.Range`.

Gaps, handoffs, the roadmap and governance live in :mod:`opcanvas.canvas.plan`.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from opcanvas.canvas.base import Id, Model
from opcanvas.canvas.fields import (
    Count,
    Duration,
    Measure,
    Money,
    Number,
    Percent,
    Rate,
    using_calendar,
)
from opcanvas.canvas.gaps import Gap
from opcanvas.canvas.plan import Governance, Handoff, RoadmapSettings, Workshop
from opcanvas.canvas.quantities import Calendar
from opcanvas.canvas.scenario import Scenario

Waste = Literal[
    "transport", "inventory", "motion", "waiting", "overproduction", "overprocessing",
    "defects", "skills",
]  # fmt: skip
"""TIMWOODS: the eight wastes of lean."""

STANDARD_ENGINES = ("growth", "retention", "efficiency", "innovation")


class Branch(Model):
    """One exit of a decision point: where work goes next, and how often."""

    to: Id
    probability: Percent
    label: str | None = None


class StepMeasured(Model):
    """Per-step figures mined from an event log (see the stream's ``measured`` provenance)."""

    process_time: Duration | None = None
    wait_time: Duration | None = None
    lead_time: Duration | None = None
    executions: Count | None = None
    cases: Count | None = None
    reach: Percent | None = Field(None, description="share of cases that reach this step")
    rework_rate: Percent | None = None
    first_pass_yield: Percent | None = None
    throughput: Rate | None = None
    handoffs: Count | None = None
    service_time_available: bool = True
    arrival_rate: Rate | None = Field(None, description="cases reaching the step, per period")
    handoff_delay: Duration | None = Field(None, description="time from a handoff to the work")


class Step(Model):
    """A process box: one activity of the stream, in its swim lane."""

    id: Id
    name: str
    description: str | None = None
    # people and roles
    lane: str | None = Field(None, description="swim lane: the function that performs the step")
    role: str | None = None
    people: Count | None = Field(None, description="people available to do this step")
    skills: list[str] = []
    decision_authority: str | None = None
    # systems and data
    systems: list[str] = []
    data_in: list[str] = []
    data_out: list[str] = []
    # routing
    after: list[Id] | None = Field(
        None, description="steps that must all finish first (default: the previous step)"
    )
    branches: list[Branch] = Field([], description="a decision point: exclusive exits")
    rework_to: Id | None = Field(None, description="where rejected work goes back to")
    drop_off: Percent | None = Field(None, description="share of work that leaves here")
    handoff: bool | None = Field(None, description="override: is entering this step a handoff?")
    # time (office / knowledge work: Martin & Osterling)
    process_time: Duration | None = Field(None, description="PT: hands-on work time")
    wait_time: Duration | None = Field(None, description="queue time before the step starts")
    lead_time: Duration | None = Field(None, description="LT: from available to done (PT+wait)")
    # quality
    complete_accurate: Percent | None = Field(None, description="%C&A as received downstream")
    error_rate: Percent | None = None
    rework_rate: Percent | None = None
    throughput: Rate | None = None
    cost_rate: Money | None = Field(None, description="cost of one hour of work at this step")
    # manufacturing (Rother & Shook)
    cycle_time: Duration | None = Field(None, description="C/T: time between units off the step")
    changeover: Duration | None = Field(None, description="C/O: time to switch products")
    uptime: Percent | None = None
    inventory_before: Count | None = Field(None, description="units waiting before the step")
    operators: Count | None = None
    batch_size: Count | None = None
    # lean classification
    value: Literal["value_adding", "necessary", "non_value_adding"] | None = None
    waste: list[Waste] = []
    notes: str | None = None
    measured: StepMeasured | None = None


class Trigger(Model):
    event: str
    source: Literal["internal", "external"] | None = None
    volume: Rate | None = None


class Production(Model):
    """Available production time per day (Learning to See): shifts × length − breaks."""

    shifts: Count = 1
    shift_length: Duration = Field(480.0, description="length of one shift")
    breaks: Duration = Field(0.0, description="planned breaks per shift")


class KPI(Model):
    """A measure with a target: leading or lagging, owned, traceable to the work that drives it."""

    id: Id
    name: str
    unit: str | None = None
    # Readings are in the KPI's own unit, as read off a dashboard: for unit "%", 104 (or
    # "104%") is 104 %. Unlike %C&A and drivers, a % KPI is not a fraction.
    actual: Measure | None = None
    target: Measure | None = None
    baseline: Measure | None = None
    direction: Literal["higher", "lower"] | None = Field(None, description="which way is better")
    indicator: Literal["leading", "lagging"] | None = None
    owner: str | None = None
    definition: str | None = None
    parent: str | None = Field(
        None, description="the KPI this one rolls up into (KPI tree): an id or engine/stream/id"
    )
    steps: list[str] = Field([], description="steps that drive it: 'engine/stream/step'")


class Bottleneck(Model):
    id: Id
    text: str
    checked: bool = False
    evidence: str | None = None
    step: Id | None = None
    measure: Number | None = Field(None, description="the blank in the checklist item")
    unit: str | None = None


class Opportunity(Model):
    text: str | None = None
    amount: Number | None = None
    unit: str | None = Field(None, description="currency, %, or another unit")


class Touchpoint(Model):
    """A customer-journey moment: frontstage (the customer sees it) or backstage."""

    name: str
    stage: Literal["frontstage", "backstage"]
    step: Id | None = None
    channel: str | None = None


class Maturity(Model):
    current: int | None = Field(None, ge=1, le=5)
    target: int | None = Field(None, ge=1, le=5)


class StreamMeasured(Model):
    """Provenance of mined figures: which log, which period, which statistic."""

    source: str
    sha256: str
    period_start: str | None = None
    period_end: str | None = None
    cases: int
    events: int
    statistic: str
    engine: str = "duckdb"
    time_basis: str | None = None
    lead_time: Duration | None = None
    active_time: Duration | None = None
    flow_efficiency: Percent | None = None
    wip: Count | None = None
    throughput: Rate | None = None
    variants: int | None = None
    mapping: dict[str, list[str]] = {}
    arrival_rate: Rate | None = Field(None, description="cases started, per period")
    service_time_available: bool | None = Field(
        None, description="false: one timestamp per event, no service/wait split"
    )


class Stream(Model):
    """A value stream: from a trigger to the outcome a customer values."""

    name: str
    description: str | None = None
    kind: Literal["operational", "development"] = "operational"
    safe_type: Literal["fulfillment", "manufacturing", "software", "supporting"] | None = None
    mode: Literal["office", "manufacturing"] = Field(
        "office", description="office: PT/LT/%C&A; manufacturing: C/T, C/O, inventory, takt"
    )
    owner: str | None = None
    customer: str | None = None
    trigger: Trigger | None = None
    outcome: str | None = None
    systems: list[str] = Field(
        [], description="technology the stream runs on (each step names the ones it uses)"
    )
    demand: Rate | None = Field(None, description="customer demand, for takt time")
    production: Production | None = None
    wip: Count | None = Field(None, description="work in process (Little's law)")
    wip_limit: Count | None = Field(
        None, description="cap on work in process (CONWIP): new work waits at the entry"
    )
    throughput: Rate | None = None
    lead_time: Duration | None = Field(None, description="observed end-to-end lead time")
    steps: list[Step] = []
    metrics: list[KPI] = []
    bottlenecks: list[Bottleneck] = []
    opportunity: Opportunity | None = None
    touchpoints: list[Touchpoint] = []
    maturity: Maturity | None = None
    future_state: Scenario | None = None
    measured: StreamMeasured | None = None

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)


class Engine(Model):
    name: str | None = None
    purpose: str | None = None
    value_flow: list[str] = []
    owners: list[str] = []
    streams: dict[Id, Stream] = {}
    kpis: list[KPI] = []


class Settings(Model):
    """Conventions that change numbers. Every result prints the ones it used."""

    point_estimate: Literal["likely", "mean"] = Field(
        "likely", description="the number a range stands for in point arithmetic"
    )
    statistic: Literal["mean", "median", "p85", "p95"] = Field(
        "median", description="which statistic of mined durations goes into the map"
    )
    prefer_measured: bool = Field(True, description="use mined values over workshop estimates")
    demand: Literal["pooled", "per_variant"] = "pooled"
    lead_time_includes_process_time: bool = Field(
        True, description="step LT = wait + PT (Martin & Osterling); false: LT = wait only"
    )
    parallel: Literal["critical_path", "sum"] = Field(
        "critical_path", description="how parallel branches add into the stream's lead time"
    )
    min_complete_accurate: Percent = Field(0.8, description="flag steps with lower %C&A")
    max_wait_share: Percent = Field(0.5, description="flag streams whose wait share is higher")
    decision: Literal["expected", "longest"] = Field(
        "expected",
        description="decision points: expected = lead time weighted by branch probabilities; "
        "longest = assume every decision takes its longest branch",
    )
    little_tolerance: Percent = Field(
        0.1, description="flag WIP, throughput and lead time that miss Little's law by more"
    )
    value_tiers: list[Money] = Field(
        [100_000.0, 500_000.0, 1_000_000.0, 5_000_000.0],
        description="annual-value thresholds of value scores 2, 3, 4 and 5",
    )


class Canvas(Model):
    """A whole canvas: the workshop's memory, one YAML file."""

    opcanvas: Literal[1] = Field(1, description="format version")
    organization: str
    description: str | None = None
    currency: str = Field("USD", pattern=r"^[A-Z]{3}$")
    calendar: Calendar = Field(default_factory=Calendar)
    settings: Settings = Field(default_factory=Settings)
    priorities: list[str] = Field([], description="the top strategic priorities")
    engines: dict[Id, Engine] = {}
    kpis: list[KPI] = Field([], description="CEO-level KPIs at the top of the KPI tree")
    gaps: list[Gap] = []
    handoffs: list[Handoff] = []
    roadmap: RoadmapSettings = Field(default_factory=RoadmapSettings)
    governance: Governance = Field(default_factory=Governance)
    workshop: Workshop | None = None

    @model_validator(mode="wrap")
    @classmethod
    def _on_own_calendar(cls, data: Any, handler: Any) -> Canvas:
        """Validate the calendar first, so every duration resolves on it."""
        cal = Calendar()
        if isinstance(data, dict) and data.get("calendar") is not None:
            raw = data["calendar"]
            # a bad calendar is validated again below, where its errors carry "calendar." keys
            with suppress(ValidationError):
                cal = raw if isinstance(raw, Calendar) else Calendar.model_validate(raw)
        with using_calendar(cal):
            result: Canvas = handler(data)
        return result

    # navigation ---------------------------------------------------------------------------

    def streams(self) -> list[tuple[str, Stream]]:
        """Every stream as (``engine/stream`` reference, stream), in file order."""
        return [
            (f"{engine_id}/{stream_id}", stream)
            for engine_id, engine in self.engines.items()
            for stream_id, stream in engine.streams.items()
        ]

    def stream(self, ref: str) -> Stream:
        """The stream named ``engine/stream``; a UnknownReferenceError lists the ones that exist."""
        from opcanvas.errors import UnknownReferenceError

        engine_id, _, stream_id = ref.partition("/")
        try:
            return self.engines[engine_id].streams[stream_id]
        except KeyError:
            known = ", ".join(r for r, _ in self.streams()) or "none"
            raise UnknownReferenceError(
                f'no stream "{ref}"; the canvas has: {known}',
                hint="refer to a stream as engine/stream, e.g. growth/mql-to-close",
            ) from None

    def counts(self) -> dict[str, int]:
        """How much the canvas holds: engines, streams, steps, KPIs, bottlenecks, gaps, handoffs.

        >>> Canvas(organization="Acme").counts()["streams"]
        0
        """
        streams = [stream for _, stream in self.streams()]
        engine_kpis = sum(len(engine.kpis) for engine in self.engines.values())
        return {
            "engines": len(self.engines),
            "streams": len(streams),
            "steps": sum(len(s.steps) for s in streams),
            "kpis": len(self.kpis) + engine_kpis + sum(len(s.metrics) for s in streams),
            "bottlenecks": sum(len(s.bottlenecks) for s in streams),
            "gaps": len(self.gaps),
            "handoffs": len(self.handoffs),
        }

    def gap(self, gap_id: str) -> Gap:
        for gap in self.gaps:
            if gap.id == gap_id:
                return gap
        raise KeyError(gap_id)
