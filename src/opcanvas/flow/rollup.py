"""Engine and canvas roll-ups of stream flow figures, and the completeness of each.

An engine's totals are plain sums over its streams' known figures (each stream counted once,
not weighted by volume); its flow efficiency is Σ process time ÷ Σ elapsed time over the
streams where both are known.
"""

from __future__ import annotations

from collections.abc import Iterable

from opcanvas.canvas.model import Canvas
from opcanvas.errors import UnknownReferenceError
from opcanvas.flow.conventions import conventions
from opcanvas.flow.results import CanvasFlow, Completeness, EngineFlow, StreamFlow, severity_counts
from opcanvas.flow.stream import analyze_stream


def _total(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def engine_flow(engine_id: str, name: str, streams: dict[str, StreamFlow]) -> EngineFlow:
    """Roll one engine's streams up (``streams`` keyed by ``engine/stream``)."""
    flows = list(streams.values())
    pairs = [
        (f.process_time, f.elapsed_time)
        for f in flows
        if f.process_time is not None and f.elapsed_time
    ]
    elapsed = sum(e for _, e in pairs)
    rolled = [(f.rolled_cta, f.ref) for f in flows if f.rolled_cta is not None]
    lowest = min(rolled, key=lambda pair: pair[0]) if rolled else (None, None)
    return EngineFlow(
        id=engine_id,
        name=name,
        streams=tuple(streams),
        lead_time_total=_total([f.lead_time for f in flows]),
        process_time_total=_total([f.process_time for f in flows]),
        wait_time_total=_total([f.wait_time for f in flows]),
        flow_efficiency=sum(p for p, _ in pairs) / elapsed if elapsed else None,
        lowest_rolled_cta=lowest[0],
        lowest_rolled_cta_stream=lowest[1],
        handoffs=sum(f.handoffs for f in flows),
        flag_counts=severity_counts([flag for f in flows for flag in f.flags]),
        completeness=Completeness.combine(
            {ref.partition("/")[2]: f.completeness for ref, f in streams.items()}
        ),
    )


def analyze_canvas(canvas: Canvas, *, engines: Iterable[str] | None = None) -> CanvasFlow:
    """Flow metrics of every stream, rolled up per engine and for the canvas.

    ``engines`` limits the analysis to those engine ids (an unknown id is an error that lists
    the engines the canvas has).

    >>> from opcanvas.canvas import parse_canvas
    >>> flow = analyze_canvas(parse_canvas("organization: Acme"))
    >>> flow.completeness.fraction, flow.streams
    (1.0, {})
    """
    wanted = list(canvas.engines) if engines is None else list(engines)
    for engine_id in wanted:
        if engine_id not in canvas.engines:
            known = ", ".join(canvas.engines) or "none"
            raise UnknownReferenceError(
                f'no engine "{engine_id}"; the canvas has: {known}',
                hint="name an engine by its id, e.g. growth",
            )
    streams: dict[str, StreamFlow] = {}
    rollups: dict[str, EngineFlow] = {}
    for engine_id in wanted:
        engine = canvas.engines[engine_id]
        own = {
            f"{engine_id}/{stream_id}": analyze_stream(canvas, f"{engine_id}/{stream_id}")
            for stream_id in engine.streams
        }
        streams.update(own)
        rollups[engine_id] = engine_flow(engine_id, engine.name or engine_id.title(), own)
    return CanvasFlow(
        streams=streams,
        engines=rollups,
        completeness=Completeness.combine({e: r.completeness for e, r in rollups.items()}),
        conventions=conventions(canvas.settings, canvas.calendar),
        flag_counts=severity_counts([flag for s in streams.values() for flag in s.flags]),
    )
