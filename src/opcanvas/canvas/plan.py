"""Cross-engine handoffs, the roadmap's sprints, governance rhythms and the workshop."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from opcanvas.canvas.base import Id, Model
from opcanvas.canvas.fields import Count, Duration, Money, Percent


class Handoff(Model):
    """A critical handoff between engines (the seed's Part 4)."""

    id: Id
    name: str
    from_engine: Id
    to_engine: Id | Literal["all"]
    from_stream: str | None = Field(None, description="engine/stream where the handoff starts")
    to_stream: str | None = Field(None, description="engine/stream that receives it")
    description: str | None = None
    incomplete_share: Percent | None = Field(None, description="share of incomplete handoffs")
    signals_detected: Percent | None = Field(None, description="share of signals detected")
    feedback_reaching: Percent | None = Field(None, description="share of feedback that arrives")
    delay: Duration | None = Field(None, description="time the handoff adds")
    impact: str | None = None
    solution: str | None = None
    gaps: list[Id] = []
    integration_requirements: list[str] = []
    shared_metrics: list[str] = []
    protocol: str | None = Field(None, description="collaboration protocol")


class Sprint(Model):
    name: str
    theme: str | None = None
    focus: list[str] = []
    capacity_days: Count | None = Field(None, description="people-days available")
    budget: Money | None = None


def _seed_sprints() -> list[Sprint]:
    return [
        Sprint(
            name="Foundation",
            focus=[
                "Fix 2-3 highest-impact bottlenecks",
                "Establish baseline metrics for all value streams",
                "Implement critical integrations",
                "Quick wins for momentum",
            ],
        ),
        Sprint(
            name="Acceleration",
            focus=[
                "Address next tier of gaps",
                "Scale successful pilot solutions",
                "Implement automation for repeatable workflows",
                "Build cross-functional alignment",
            ],
        ),
        Sprint(
            name="Optimization",
            focus=[
                "Advanced analytics and intelligence",
                "Predictive capabilities deployment",
                "Process refinement based on data",
                "Maturity advancement across engines",
            ],
        ),
        Sprint(
            name="Transformation",
            focus=[
                "AI agent deployment",
                "Autonomous workflow implementation",
                "Complete value stream optimization",
                "Prepare for next maturity level",
            ],
        ),
    ]


class RoadmapSettings(Model):
    start: dt.date | None = Field(None, description="first day of sprint 1")
    sprint_days: int = Field(90, gt=0)
    sprints: list[Sprint] = Field(default_factory=_seed_sprints, min_length=1)
    discount_rate: Percent = Field(0.10, description="annual rate for NPV")
    horizon_years: int = Field(3, ge=1, le=10, description="years of value counted in NPV")


class Rhythm(Model):
    cadence: Literal["weekly", "monthly", "quarterly"]
    name: str
    agenda: list[str] = []
    attendees: list[str] = []
    duration: Duration | None = None


def _seed_rhythms() -> list[Rhythm]:
    return [
        Rhythm(
            cadence="weekly",
            name="Value stream health check",
            agenda=[
                "Value stream health check (key metrics review)",
                "Blocker identification and resolution",
                "Sprint progress tracking",
            ],
            duration="1h",
        ),
        Rhythm(
            cadence="monthly",
            name="Transformation steering committee",
            agenda=[
                "Transformation steering committee",
                "ROI validation and reporting",
                "Roadmap adjustment based on learnings",
            ],
            duration="2h",
        ),
        Rhythm(
            cadence="quarterly",
            name="Business review with exec leadership",
            agenda=[
                "Business review with exec leadership",
                "Strategic alignment verification",
                "Next quarter sprint planning",
            ],
            duration="4h",
        ),
    ]


class Governance(Model):
    rhythms: list[Rhythm] = Field(default_factory=_seed_rhythms)
    steering_committee: list[str] = []
    sponsor: str | None = None
    weekday: Literal["monday", "tuesday", "wednesday", "thursday", "friday"] = "tuesday"
    time: dt.time = dt.time(10, 0)
    change_management: str | None = None


class Participant(Model):
    name: str
    role: str | None = None
    engine: Id | None = None


class Workshop(Model):
    format: Literal["full_day", "two_day"] = "full_day"
    date: dt.date | None = None
    facilitator: str | None = None
    participants: list[Participant] = []
    prework: list[str] = []
