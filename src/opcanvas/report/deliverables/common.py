"""Helpers every deliverable builder shares: names of engines and streams, conventions, figures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from opcanvas.canvas.model import Canvas
from opcanvas.report.document import Figure

Conventions = tuple[tuple[str, str], ...]


def engine_name(canvas: Canvas, engine_id: str) -> str:
    engine = canvas.engines.get(engine_id)
    return (engine.name if engine and engine.name else engine_id.replace("-", " ").title()) or "?"


def stream_label(canvas: Canvas, ref: str) -> str:
    """``growth/mql-to-close`` → ``Growth · MQL → Closed-Won`` (the id when it is unknown)."""
    engine_id, _, stream_id = ref.partition("/")
    engine = canvas.engines.get(engine_id)
    stream = engine.streams.get(stream_id) if engine else None
    return f"{engine_name(canvas, engine_id)} · {stream.name if stream else stream_id or ref}"


def pick(conventions: Mapping[str, str], *keys: str, prefix: str = "") -> Conventions:
    """The named conventions (those present), labelled ``prefix + key`` with _ as spaces."""
    return tuple(
        (prefix + key.replace("_", " "), conventions[key]) for key in keys if key in conventions
    )


def merge(*parts: Iterable[tuple[str, str]]) -> Conventions:
    """Conventions from several sources, the first occurrence of a label winning."""
    seen: dict[str, str] = {}
    for part in parts:
        for key, value in part:
            seen.setdefault(key, value)
    return tuple(seen.items())


@dataclass
class FigureSet:
    """The figures of a report by key (``map:<ref>:current``, ``chart:pareto``, …).

    Deliverable builders ask for a figure by key and show it when it exists; the writer puts
    each figure's SVG beside the report under its ``file`` path.
    """

    figures: dict[str, Figure] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # other exports: draw.io, Mermaid

    def get(self, key: str) -> Figure | None:
        return self.figures.get(key)

    def add(self, key: str, figure: Figure) -> None:
        self.figures[key] = figure

    def all(self, prefix: str = "") -> list[Figure]:
        return [f for k, f in self.figures.items() if k.startswith(prefix)]
