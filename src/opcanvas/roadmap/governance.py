"""The governance pack: review rhythms with agendas drawn from the canvas, a steering charter,
dashboard requirements, KPI tracking and ROI validation.

Which KPIs each review looks at:

- **weekly** (value stream health): the stream metrics that are leading indicators (or not
  classified) on streams with initiatives on the roadmap, and every KPI a planned initiative
  names; with no initiatives planned, every leading stream metric;
- **monthly** (steering committee): engine KPIs and the lagging stream metrics of those streams,
  plus the ROI validation of initiatives (realised vs projected value);
- **quarterly** (business review): CEO KPIs and engine KPIs.

Dashboard refresh follows the same split: leading stream metrics weekly, other stream metrics
and engine KPIs monthly, CEO KPIs quarterly.

>>> from opcanvas.canvas import load_canvas
>>> from opcanvas.value import quantify
>>> from opcanvas.value.prioritize import prioritize
>>> from opcanvas.roadmap import plan_roadmap
>>> canvas = load_canvas("examples/sales-proposal.yaml")
>>> values = quantify(canvas, samples=100)
>>> pack = governance_pack(canvas, plan_roadmap(canvas, values, prioritize(canvas, values)))
>>> [r.cadence for r in pack.reviews]
['weekly', 'monthly', 'quarterly']
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from opcanvas.canvas.model import KPI, Canvas
from opcanvas.canvas.quantities import format_money, point
from opcanvas.canvas.references import kpi_index
from opcanvas.roadmap.plan import Roadmap
from opcanvas.roadmap.tracking import (
    KpiTrack,
    RoiCheck,
    Tracking,
    _canonical_paths,
    kpi_tracks,
    roi_validation,
)

REFRESH = {"ceo": "quarterly", "engine": "monthly"}


@dataclass(frozen=True)
class KpiRef:
    path: str
    name: str
    level: str  # ceo | engine | stream
    unit: str | None
    actual: float | None
    target: float | None
    indicator: str | None
    owner: str | None


@dataclass(frozen=True)
class Review:
    cadence: str
    name: str
    agenda: tuple[str, ...]
    kpis: tuple[KpiRef, ...]
    attendees: tuple[str, ...]
    duration_minutes: float


@dataclass(frozen=True)
class SprintAgenda:
    number: int
    name: str
    start: dt.date | None
    end: dt.date | None
    focus: tuple[str, ...]
    in_flight: tuple[str, ...]
    finishing: tuple[str, ...]
    kpis: tuple[str, ...]


@dataclass(frozen=True)
class Charter:
    purpose: str
    sponsor: str | None
    members: tuple[str, ...]
    priorities: tuple[str, ...]
    decision_rights: tuple[str, ...]
    cadence: tuple[str, ...]
    scope: tuple[str, ...]
    budget: float
    change_management: str


@dataclass(frozen=True)
class DashboardItem:
    kpi: str
    name: str
    level: str
    unit: str | None
    indicator: str | None
    owner: str | None
    baseline: float | None
    target: float | None
    actual: float | None
    refresh: str
    reviewed_in: tuple[str, ...]
    steps: tuple[str, ...]


@dataclass(frozen=True)
class GovernancePack:
    organization: str
    currency: str
    weekday: str
    time: str
    sprint_days: int
    start: dt.date | None
    reviews: tuple[Review, ...]
    sprints: tuple[SprintAgenda, ...]
    charter: Charter
    dashboard: tuple[DashboardItem, ...]
    kpi_tracking: tuple[KpiTrack, ...]
    roi_validation: tuple[RoiCheck, ...]
    conventions: dict[str, str]

    @property
    def rhythms(self) -> tuple[Review, ...]:
        """The review rhythms (the same as ``reviews``)."""
        return self.reviews

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _level(path: str) -> str:
    return {0: "ceo", 1: "engine"}.get(path.count("/"), "stream")


def _ref(path: str, kpi: KPI) -> KpiRef:
    return KpiRef(path, kpi.name, _level(path), kpi.unit, point(kpi.actual), point(kpi.target),
                  kpi.indicator, kpi.owner)  # fmt: skip


def _selections(canvas: Canvas, roadmap: Roadmap) -> dict[str, list[str]]:
    paths = _canonical_paths(canvas)
    index = kpi_index(canvas)
    by_id = {id(k): p for p, k in paths.items()}
    placed = roadmap.placements()
    streams = {p.stream for p in placed}
    gaps = {g.id: g for g in canvas.gaps}
    named = {by_id[id(index[r])] for p in placed for r in gaps[p.gap_id].kpis if r in index}
    stream_kpis = [p for p in paths if _level(p) == "stream"]
    weekly = [
        p for p in stream_kpis
        if (p.rsplit("/", 1)[0] in streams or not streams)
        and paths[p].indicator in ("leading", None)
    ] + sorted(named)  # fmt: skip
    monthly = [p for p in paths if _level(p) == "engine"] + [
        p for p in stream_kpis
        if p.rsplit("/", 1)[0] in streams and paths[p].indicator == "lagging"
    ]  # fmt: skip
    quarterly = [p for p in paths if _level(p) in ("ceo", "engine")]
    return {
        "weekly": list(dict.fromkeys(weekly)),
        "monthly": list(dict.fromkeys(monthly)),
        "quarterly": quarterly,
    }


def _agenda(cadence: str, base: list[str], roadmap: Roadmap, kpis: list[KpiRef]) -> list[str]:
    agenda = list(base)
    names = ", ".join(k.name for k in kpis) or "none named yet"
    if cadence == "weekly":
        agenda.append(f"Key metrics: {names}")
        for sprint in roadmap.sprints:
            if sprint.running:
                flight = ", ".join(p.title for p in sprint.running)
                agenda.append(f"In flight in sprint {sprint.number} ({sprint.name}): {flight}")
    elif cadence == "monthly":
        agenda.append(f"KPIs: {names}")
        agenda.append("ROI validation: realised vs projected value of live initiatives")
    else:
        agenda.append(f"KPIs: {names}")
        agenda.append("Sprint review and next sprint: initiatives finishing and starting")
    return agenda


def governance_pack(
    canvas: Canvas, roadmap: Roadmap, *, tracking: Tracking | None = None
) -> GovernancePack:
    """Everything the transformation office needs to run the roadmap."""
    paths = _canonical_paths(canvas)
    selections = _selections(canvas, roadmap)
    gov = canvas.governance
    reviews = []
    for rhythm in gov.rhythms:
        kpis = [_ref(p, paths[p]) for p in selections[rhythm.cadence]]
        attendees = rhythm.attendees or (
            list(gov.steering_committee) if rhythm.cadence != "weekly" else []
        )
        reviews.append(
            Review(
                cadence=rhythm.cadence,
                name=rhythm.name,
                agenda=tuple(_agenda(rhythm.cadence, rhythm.agenda, roadmap, kpis)),
                kpis=tuple(kpis),
                attendees=tuple(attendees),
                duration_minutes=float(point(rhythm.duration) or 60.0),
            )
        )
    reviewed: dict[str, list[str]] = {}
    for cadence, chosen in selections.items():
        for p in chosen:
            reviewed.setdefault(p, []).append(cadence)
    return GovernancePack(
        organization=canvas.organization,
        currency=canvas.currency,
        weekday=gov.weekday,
        time=gov.time.strftime("%H:%M"),
        sprint_days=canvas.roadmap.sprint_days,
        start=canvas.roadmap.start,
        reviews=tuple(reviews),
        sprints=_sprint_agendas(canvas, roadmap),
        charter=_charter(canvas, roadmap),
        dashboard=tuple(_dashboard(p, k, reviewed.get(p, [])) for p, k in paths.items()),
        kpi_tracking=kpi_tracks(canvas, tracking or Tracking()),
        roi_validation=roi_validation(canvas, roadmap),
        conventions={
            "rhythms": f"weekly, monthly and quarterly reviews on {gov.weekday}s at "
            f"{gov.time.strftime('%H:%M')} (local time)",
            "KPI selection": "weekly: leading stream metrics of roadmap streams and KPIs the "
            "initiatives name; monthly: engine KPIs and lagging stream metrics; quarterly: "
            "CEO and engine KPIs",
            "realised value": "gap.realised entries are period amounts; projected to date = "
            "annual value × days since go-live / 365",
            "tracking file": "<canvas>.tracking.yaml beside the canvas: dated snapshots of "
            "baseline, target and actual per KPI",
        },
    )


def _sprint_agendas(canvas: Canvas, roadmap: Roadmap) -> tuple[SprintAgenda, ...]:
    gaps = {g.id: g for g in canvas.gaps}
    agendas = []
    for sprint in roadmap.sprints:
        kpis = sorted({k for p in sprint.running for k in gaps[p.gap_id].kpis})
        agendas.append(
            SprintAgenda(
                number=sprint.number,
                name=sprint.name,
                start=sprint.start,
                end=sprint.end,
                focus=sprint.focus,
                in_flight=tuple(p.gap_id for p in sprint.running),
                finishing=tuple(p.gap_id for p in sprint.finishing),
                kpis=tuple(kpis),
            )
        )
    return tuple(agendas)


def _charter(canvas: Canvas, roadmap: Roadmap) -> Charter:
    gov = canvas.governance
    budget = sum(p.cost for p in roadmap.placements())
    purpose = (
        f"Steer the operational transformation of {canvas.organization}: deliver the "
        f"{len(roadmap.placements())} planned initiatives worth "
        f"{format_money(sum(p.annual_value for p in roadmap.placements()), canvas.currency)} "
        "a year, and prove the value they realise"
    )
    return Charter(
        purpose=purpose,
        sponsor=gov.sponsor,
        members=tuple(gov.steering_committee),
        priorities=tuple(canvas.priorities),
        decision_rights=(
            "Approve the roadmap and each sprint's scope",
            "Release each sprint's budget and people-days",
            "Accept or reject ROI validation; re-plan when realised value lags",
            "Resolve blockers that cross engines and handoffs",
        ),
        cadence=tuple(f"{r.cadence}: {r.name}" for r in gov.rhythms),
        scope=tuple(sorted({p.stream for p in roadmap.placements()})),
        budget=budget,
        change_management=gov.change_management
        or "Change management playbook and training automation for every rollout "
        "(the seed's Innovation → all engines handoff)",
    )


def _dashboard(path: str, kpi: KPI, reviewed: list[str]) -> DashboardItem:
    level = _level(path)
    refresh = REFRESH.get(level) or ("weekly" if kpi.indicator == "leading" else "monthly")
    return DashboardItem(
        kpi=path,
        name=kpi.name,
        level=level,
        unit=kpi.unit,
        indicator=kpi.indicator,
        owner=kpi.owner,
        baseline=point(kpi.baseline),
        target=point(kpi.target),
        actual=point(kpi.actual),
        refresh=refresh,
        reviewed_in=tuple(reviewed),
        steps=tuple(kpi.steps),
    )
