"""The report's maps: each stream's current-state (and future-state) value stream map as SVG,
with its draw.io and Mermaid exports.

Apart from :mod:`opcanvas.report.figures` (the charts) because the maps print first, while
the charts are drawn: the report imports Altair only once the maps are on their way.
"""

from __future__ import annotations

from opcanvas.assess import Assessment
from opcanvas.render.drawio import to_drawio
from opcanvas.render.mermaid import to_mermaid
from opcanvas.render.vsm import render_vsm_svg
from opcanvas.report.deliverables.common import FigureSet, stream_label
from opcanvas.report.document import Figure
from opcanvas.report.safety import safe_filename


def map_name(ref: str, state: str) -> str:
    engine_id, _, stream_id = ref.partition("/")
    return safe_filename(engine_id, stream_id) + ("-future" if state == "future" else "")


def add_maps(a: Assessment, figures: FigureSet) -> None:
    """Current-state (and future-state) maps of every stream, with draw.io and Mermaid files."""
    for ref, stream in a.canvas.streams():
        states = ["current", "future"] if stream.future_state is not None else ["current"]
        for state in states:
            name = map_name(ref, state)
            label = stream_label(a.canvas, ref)
            caption = (
                f"{label}: future state ({stream.future_state.name})"
                if state == "future" and stream.future_state
                else f"{label}: current state"
            )
            mermaid = to_mermaid(a.canvas, ref, state=state)  # type: ignore[arg-type]
            figures.add(
                f"map:{ref}:{state}",
                Figure(
                    render_vsm_svg(a.canvas, ref, state=state),  # type: ignore[arg-type]
                    caption,
                    wide=True,
                    file=f"maps/{name}.svg",
                    mermaid=mermaid,
                ),
            )
            figures.files[f"maps/{name}.drawio"] = to_drawio(
                a.canvas,
                ref,
                state=state,  # type: ignore[arg-type]
            )
            figures.files[f"maps/{name}.mmd"] = mermaid
