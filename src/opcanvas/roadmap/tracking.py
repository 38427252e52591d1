"""Tracking: dated KPI snapshots kept beside the canvas, and realised vs projected value.

The snapshots live in ``<canvas stem>.tracking.yaml`` next to the canvas file
(``northwind.yaml`` → ``northwind.tracking.yaml``), kept in git with it::

    snapshots:
      - date: 2027-02-01
        kpis:
          growth/mql-to-close/cycle: {actual: 58}
          nrr: {actual: 1.03, target: 1.10}

A KPI is named as anywhere in the canvas (bare id when unique, or a path). ``baseline`` and
``target`` in a snapshot override the canvas's from that date on. A missing file means no
snapshots yet.

Realised value per initiative comes from ``gap.realised``: each entry is the value realised in
the period that ends on its date (since the previous entry), so the realised total is their
sum. It is compared with the value projected to the same date: annual value × days since
the planned go-live (end of the finishing sprint) / 365.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from opcanvas.canvas.base import Model
from opcanvas.canvas.io import (
    dump_document,
    key_path,
    locate,
    read_document,
    update_canvas,
    write_atomic,
)
from opcanvas.canvas.model import Canvas
from opcanvas.canvas.quantities import parse_money
from opcanvas.canvas.references import kpi_index
from opcanvas.errors import CanvasError, Location
from opcanvas.roadmap.plan import Roadmap


class Reading(Model):
    actual: float | None = None
    target: float | None = None
    baseline: float | None = None


class Snapshot(Model):
    date: dt.date
    kpis: dict[str, Reading] = {}
    note: str | None = None


class Tracking(Model):
    """Every snapshot, in the order written (they are sorted by date when read)."""

    snapshots: list[Snapshot] = Field(default_factory=list)


def tracking_path(canvas_path: str | Path) -> Path:
    """``dir/name.yaml`` → ``dir/name.tracking.yaml``."""
    path = Path(canvas_path)
    return path.with_name(f"{path.stem}.tracking.yaml")


def load_tracking(path: str | Path, canvas: Canvas | None = None) -> Tracking:
    """Read a tracking file (empty when it does not exist); KPI names are checked on ``canvas``."""
    path = Path(path)
    if not path.exists():
        return Tracking()
    doc = read_document(path.read_text(encoding="utf-8"), path)
    try:
        tracking = Tracking.model_validate(doc)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CanvasError(f"{first['msg']}", where=locate(doc, list(first["loc"]), path)) from None
    if canvas is not None:
        index = kpi_index(canvas)
        for i, snap in enumerate(tracking.snapshots):
            for ref in snap.kpis:
                if ref not in index:
                    loc: list[str | int] = ["snapshots", i, "kpis", ref]
                    raise CanvasError(
                        f'no KPI "{ref}" in the canvas',
                        where=Location(path, locate(doc, loc, path).line, None, key_path(loc)),
                        hint="name KPIs by id, or engine/kpi, or engine/stream/kpi",
                    )
    return tracking


@dataclass(frozen=True)
class KpiTrack:
    kpi: str
    name: str
    unit: str | None
    baseline: float | None
    target: float | None
    series: tuple[tuple[dt.date, float], ...]  # (date, actual)
    latest: float | None
    progress: float | None  # (latest − baseline) / (target − baseline)


def kpi_tracks(canvas: Canvas, tracking: Tracking) -> tuple[KpiTrack, ...]:
    """Baseline, target and the series of actuals of every KPI that has any of them."""
    index = kpi_index(canvas)
    paths = _canonical_paths(canvas)
    tracks = []
    snaps = sorted(tracking.snapshots, key=lambda s: s.date)
    for path, kpi in paths.items():
        readings = [
            (s.date, r) for s in snaps for ref, r in s.kpis.items() if index.get(ref) is kpi
        ]
        baseline, target = kpi.baseline, kpi.target
        series = []
        for date, reading in readings:
            baseline = reading.baseline if reading.baseline is not None else baseline
            target = reading.target if reading.target is not None else target
            if reading.actual is not None:
                series.append((date, reading.actual))
        latest = series[-1][1] if series else _num(kpi.actual)
        b, t = _num(baseline), _num(target)
        progress = None
        if latest is not None and b is not None and t is not None and t != b:
            progress = (latest - b) / (t - b)
        if series or b is not None or t is not None or latest is not None:
            tracks.append(KpiTrack(path, kpi.name, kpi.unit, b, t, tuple(series), latest, progress))
    return tuple(tracks)


def _num(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    return float(value.likely)  # type: ignore[attr-defined]


def _canonical_paths(canvas: Canvas) -> dict[str, Any]:
    paths: dict[str, Any] = {k.id: k for k in canvas.kpis}
    for engine_id, engine in canvas.engines.items():
        paths.update({f"{engine_id}/{k.id}": k for k in engine.kpis})
        for stream_id, stream in engine.streams.items():
            paths.update({f"{engine_id}/{stream_id}/{k.id}": k for k in stream.metrics})
    return paths


@dataclass(frozen=True)
class RoiCheck:
    """Realised against projected value of one initiative (ROI validation)."""

    gap_id: str
    title: str
    projected_annual: float
    go_live: dt.date | None
    as_of: dt.date | None
    realised: float
    projected_to_date: float | None
    realisation: float | None  # realised / projected to date
    implementation_cost: float | None
    realised_roi: float | None  # (realised − cost) / cost

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def roi_validation(canvas: Canvas, roadmap: Roadmap) -> tuple[RoiCheck, ...]:
    """One check per planned initiative, and per gap that already reports realised value."""
    placed = {p.gap_id: p for p in roadmap.placements()}
    ends = {s.number: s.end for s in roadmap.sprints}
    checks = []
    for gap in canvas.gaps:
        p = placed.get(gap.id)
        if p is None and not gap.realised:
            continue
        entries = sorted(gap.realised, key=lambda r: r.date)
        realised = float(sum(parse_money(_num(r.value) or 0.0) for r in entries))
        as_of = dt.date.fromisoformat(entries[-1].date) if entries else None
        go_live = ends.get(p.finish_sprint) if p is not None else None
        annual = p.annual_value if p is not None else 0.0
        projected = None
        if go_live is not None and as_of is not None:
            projected = annual * max(0, (as_of - go_live).days) / 365
        cost = p.cost if p is not None else None
        checks.append(
            RoiCheck(
                gap_id=gap.id,
                title=gap.title or gap.id,
                projected_annual=annual,
                go_live=go_live,
                as_of=as_of,
                realised=realised,
                projected_to_date=projected,
                realisation=realised / projected if projected else None,
                implementation_cost=cost,
                realised_roi=(realised - cost) / cost if cost and entries else None,
            )
        )
    return tuple(checks)


def record_snapshot(
    path: str | Path,
    canvas: Canvas,
    date: dt.date,
    actuals: dict[str, float],
    note: str | None = None,
) -> Tracking:
    """Add KPI actuals for ``date`` to the tracking file (merged into that date's snapshot if
    there is one), keeping the file's comments; the file is replaced atomically.

    >>> import tempfile
    >>> from opcanvas.canvas import load_canvas
    >>> canvas = load_canvas("examples/sales-proposal.yaml")
    >>> path = Path(tempfile.mkdtemp()) / "c.tracking.yaml"
    >>> record_snapshot(path, canvas, dt.date(2027, 2, 1), {"nrr": 1.04}).snapshots[0].kpis
    {'nrr': Reading(actual=1.04, target=None, baseline=None)}
    """
    path = Path(path)
    index = kpi_index(canvas)
    for ref in actuals:
        if ref not in index:
            raise CanvasError(
                f'no KPI "{ref}" in the canvas', hint="name KPIs by id, or engine/stream/kpi"
            )
    text = path.read_text(encoding="utf-8") if path.exists() else "snapshots: []\n"
    doc = read_document(text, path)
    snapshots = doc.setdefault("snapshots", CommentedSeq())
    same = [s for s in snapshots if str(s.get("date")) == date.isoformat()]
    if same:
        snap = same[0]
    else:
        snap = CommentedMap([("date", date.isoformat()), ("kpis", CommentedMap())])
        snapshots.append(snap)
    kpis = snap.setdefault("kpis", CommentedMap())
    for ref, value in actuals.items():
        reading = kpis.setdefault(ref, CommentedMap())
        reading["actual"] = value
    if note:
        snap["note"] = note
    new_text = dump_document(doc)
    tracking = Tracking.model_validate(read_document(new_text, path))
    write_atomic(path, new_text)
    return tracking


def record_realised(
    canvas_path: str | Path, gap_id: str, date: dt.date, value: float, note: str | None = None
) -> Canvas:
    """Append a realised-value entry (the value realised in the period ending on ``date``) to
    a gap in the canvas file, keeping its comments; validated and written atomically."""

    def change(doc: CommentedMap) -> None:
        gaps = doc.get("gaps") or []
        match = [g for g in gaps if g.get("id") == gap_id]
        if not match:
            known = ", ".join(str(g.get("id")) for g in gaps) or "none"
            raise CanvasError(f'no gap "{gap_id}" in the canvas (gaps: {known})')
        entry = CommentedMap([("date", date.isoformat()), ("value", value)])
        if note:
            entry["note"] = note
        match[0].setdefault("realised", CommentedSeq()).append(entry)

    return update_canvas(canvas_path, change)
