"""Gaps: where value is lost, what it costs, and the initiative that closes it.

A gap's annual value comes from its value drivers. Without ``formulas`` the seed's formula is
used: ``annual_value = current_loss * improvement * volume * frequency``. With ``formulas`` the
gap is a small value-driver tree; one formula must be named ``annual_value``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from opcanvas.canvas.base import Id, Model
from opcanvas.canvas.fields import Count, Driver, Money, Percent

SolutionType = Literal["process_fix", "integration", "automation", "ai_agent"]


class Scores(Model):
    """The prioritisation matrix's 1–5 scores. Cost and risk divide: 1 = low, 5 = high."""

    alignment: int | None = Field(None, ge=1, le=5, description="fit with the top priorities")
    feasibility: int | None = Field(
        None, ge=1, le=5, description="technical and organisational ease"
    )
    cost: int | None = Field(None, ge=1, le=5, description="$ and time investment (5 = highest)")
    risk: int | None = Field(None, ge=1, le=5, description="execution/adoption risk (5 = highest)")
    value: int | None = Field(
        None, ge=1, le=5, description="override the value tier derived from annual value"
    )


class Wsjf(Model):
    """SAFe's weighted shortest job first inputs (relative, usually Fibonacci 1–20)."""

    business_value: float = Field(gt=0)
    time_criticality: float = Field(gt=0)
    risk_reduction: float = Field(gt=0, description="risk reduction / opportunity enablement")
    job_size: float = Field(gt=0)


class Readiness(Model):
    """What the solution needs from data and systems (the AI-readiness link)."""

    data: list[str] = []
    systems: list[str] = []
    level: int | None = Field(None, ge=1, le=5, description="1 = not ready, 5 = ready")


class Evidence(Model):
    """Where a gap's improvement range came from: a simulated scenario of its stream."""

    scenario: str
    metric: str = "lead_time"
    current: float | None = None
    future: float | None = None
    recorded: str | None = Field(None, description="ISO date of the simulation run")
    improvement: Percent | None = Field(
        None, description="relative improvement of the metric: a range from the simulation's CI"
    )


class RealisedValue(Model):
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    value: Money
    note: str | None = None


class Gap(Model):
    """A quantified bottleneck, and the initiative that would close it."""

    id: Id
    title: str | None = None
    stream: str = Field(description="the stream it belongs to: engine/stream")
    step: Id | None = None
    bottleneck: Id | None = None
    handoff: Id | None = Field(None, description="the cross-engine handoff it stems from")
    root_cause: str | None = None
    solution: str | None = None
    solution_type: SolutionType | None = None
    readiness: Readiness | None = None
    drivers: dict[str, Driver] = {}
    formulas: dict[str, str] = {}
    implementation_cost: Money | None = None
    running_cost: Money | None = Field(None, description="cost per year once live")
    scores: Scores = Field(default_factory=Scores)
    wsjf: Wsjf | None = None
    effort: Count | None = Field(None, description="person-days to implement")
    duration: int = Field(1, ge=1, le=4, description="sprints the initiative takes")
    depends_on: list[Id] = []
    earliest_sprint: int | None = Field(None, ge=1, le=4)
    latest_sprint: int | None = Field(None, ge=1, le=4)
    kpis: list[str] = Field([], description="KPIs this gap's initiative moves (id or path)")
    evidence: Evidence | None = None
    status: Literal["proposed", "planned", "in_progress", "done", "dropped"] = "proposed"
    realised: list[RealisedValue] = []
    owner: str | None = None
