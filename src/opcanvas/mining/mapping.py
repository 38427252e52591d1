"""The mapping file: which log feeds which stream, and which activities form each step.

```yaml
# mining.yaml — top-level keys are defaults for every stream
columns: {case: Case ID, activity: Activity, timestamp: Complete Timestamp}
timezone: Europe/Amsterdam        # for timestamps written without an offset
calendar:                         # the clock for durations; default: elapsed
  basis: working                  # elapsed | working
  hours: ["09:00", "17:00"]
  days: [mon, tue, wed, thu, fri]
  holidays: [2025-12-25, 2025-12-26]
  timezone: Europe/Amsterdam
statistic: median                 # mean | median | p85 | p95 (default: the canvas setting)
streams:
  growth/mql-to-close:
    log: exports/crm.csv          # relative to this file; the command line may give another
    steps:
      qualify: [Lead qualified]
      proposal: [Build proposal, Send proposal]   # several activities, one step
```

Without a mapping file, each canvas step is matched to the activity of the same name (case,
spaces and punctuation ignored).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from opcanvas.canvas.io import key_path, locate
from opcanvas.canvas.model import Stream
from opcanvas.errors import EventLogError, Location
from opcanvas.mining.columns import PARTS, ColumnMap, close_match
from opcanvas.mining.timebasis import DAY_NAMES, TimeBasis


class CalendarSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    basis: Literal["elapsed", "working"] = "elapsed"
    hours: tuple[str, str] = ("09:00", "17:00")
    days: list[str] = list(DAY_NAMES[:5])
    holidays: list[str] = []
    timezone: str = "UTC"

    def basis_of(self) -> TimeBasis:
        if self.basis == "elapsed":
            return TimeBasis.elapsed()
        return TimeBasis.working(self.hours, tuple(self.days), tuple(self.holidays), self.timezone)


class _Common(BaseModel):
    model_config = ConfigDict(extra="forbid")

    columns: dict[str, str] | None = None
    format: str | None = None
    timestamp_format: str | None = None
    timezone: str | None = None
    object_type: str | None = None
    calendar: CalendarSpec | None = None
    statistic: Literal["mean", "median", "p85", "p95"] | None = None


class StreamSpec(_Common):
    log: str | None = None
    steps: dict[str, list[str] | str] = {}


class MappingFile(_Common):
    streams: dict[str, StreamSpec] = {}


@dataclass(frozen=True)
class StreamMapping:
    """Everything needed to mine one stream, defaults and overrides merged."""

    stream: str
    steps: dict[str, list[str]] | None = None
    log: Path | None = None
    columns: ColumnMap = field(default_factory=ColumnMap)
    format: str | None = None
    timestamp_format: str | None = None
    timezone: str = "UTC"
    object_type: str | None = None
    basis: TimeBasis = field(default_factory=TimeBasis.elapsed)
    statistic: str | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "stream": self.stream, "steps": self.steps, "log": str(self.log) if self.log else None,
            "columns": self.columns.explicit(), "time_basis": self.basis.to_dict(),
            "statistic": self.statistic, "source": self.source,
        }  # fmt: skip


def load_mapping(path: str | Path) -> MappingFile:
    """Read and validate a mapping file; problems name their line and key.

    >>> parsed = load_mapping("mining.yaml")  # doctest: +SKIP
    >>> spec = stream_mapping(parsed, "growth/mql-to-close", None)  # doctest: +SKIP
    >>> spec.steps  # doctest: +SKIP
    {'qualify': ['Lead qualified'], 'proposal': ['Build proposal', 'Send proposal']}
    """
    path = Path(path)
    try:
        doc = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EventLogError("no such mapping file", where=Location(path)) from None
    except YAMLError as exc:
        raise EventLogError(f"malformed YAML: {exc}", where=Location(path)) from None
    if not isinstance(doc, dict):
        raise EventLogError("expected a mapping with a `streams:` key", where=Location(path))
    try:
        parsed = MappingFile.model_validate(doc)
    except ValidationError as exc:
        lines = []
        for error in exc.errors()[:10]:
            where = locate(doc, [p for p in error["loc"] if isinstance(p, str | int)], path)
            lines.append(f"  {where}: {error['msg']}")
        raise EventLogError("invalid mapping file:\n" + "\n".join(lines)) from None
    for name in [*(parsed.columns or {}), *(c for s in parsed.streams.values()
                                            for c in (s.columns or {}))]:  # fmt: skip
        if name not in PARTS:
            raise EventLogError(
                f'unknown column part "{name}" in the mapping; expected some of {", ".join(PARTS)}',
                where=Location(path, key=key_path(["columns"])),
            )
    return parsed


def stream_mapping(parsed: MappingFile | None, stream: str, base: Path | None) -> StreamMapping:
    """The mapping for ``stream`` (``engine/stream``); with no file, name matching."""
    if parsed is None:
        return StreamMapping(stream)
    spec = parsed.streams.get(stream)
    if spec is None and parsed.streams:
        known = ", ".join(sorted(parsed.streams))
        raise EventLogError(f'the mapping file has no stream "{stream}"; it has: {known}')
    spec = spec or StreamSpec()

    def pick(name: str) -> Any:
        own = getattr(spec, name)
        return own if own is not None else getattr(parsed, name)

    columns = {**(parsed.columns or {}), **(spec.columns or {})}
    calendar = pick("calendar")
    log = Path(spec.log) if spec.log else None
    if log is not None and base is not None and not log.is_absolute():
        log = base / log
    steps = {k: [v] if isinstance(v, str) else list(v) for k, v in spec.steps.items()} or None
    return StreamMapping(
        stream=stream, steps=steps, log=log, columns=ColumnMap.from_dict(columns),
        format=pick("format"), timestamp_format=pick("timestamp_format"),
        timezone=pick("timezone") or "UTC", object_type=pick("object_type"),
        basis=calendar.basis_of() if calendar else TimeBasis.elapsed(),
        statistic=pick("statistic"), source=str(base) if base else None,
    )  # fmt: skip


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def match_steps(stream: Stream, activities: list[str]) -> dict[str, list[str]]:
    """Canvas step → activities with the same name or id (case and punctuation ignored)."""
    by_name: dict[str, list[str]] = {}
    for activity in activities:
        by_name.setdefault(_norm(activity), []).append(activity)
    found = {}
    for step in stream.steps:
        names = by_name.get(_norm(step.name)) or by_name.get(_norm(step.id))
        if names:
            found[step.id] = sorted(names)
    return found


def check_steps(stream_ref: str, stream: Stream, steps: dict[str, list[str]]) -> None:
    """Every mapped step must exist in the canvas stream."""
    ids = [s.id for s in stream.steps]
    for step in steps:
        if step not in ids:
            guess = close_match(step, ids)
            extra = f'; did you mean "{guess}"?' if guess else ""
            raise EventLogError(
                f'the mapping names step "{step}", which stream {stream_ref} does not have'
                f"{extra} Its steps: {', '.join(ids) or 'none'}",
                hint="map activities to the step ids of the canvas",
            )
