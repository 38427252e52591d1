"""Layout invariants over random streams: boxes never overlap, everything stays on the page,
every step follows its predecessors, and all three renderers accept the stream."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from opcanvas.canvas import parse_canvas
from opcanvas.render.drawio import to_drawio
from opcanvas.render.layout import Box, layout
from opcanvas.render.mapmodel import build_map
from opcanvas.render.mermaid import to_mermaid
from opcanvas.render.vsm import render_vsm_svg

LANES = ["Sales", "Operations", "Finance", None]
# what people type into names (YAML refuses raw control characters, and so would the editor)
PRINTABLE = st.characters(categories=("L", "M", "N", "P", "S", "Zs"))


@st.composite
def streams(draw: st.DrawFn) -> dict[str, Any]:
    """A random acyclic stream: each step waits for a subset of earlier ones; maybe a decision."""
    n = draw(st.integers(min_value=1, max_value=7))
    steps: list[dict[str, Any]] = []
    for i in range(n):
        step: dict[str, Any] = {
            "id": f"s{i}",
            "name": draw(st.text(PRINTABLE, min_size=1, max_size=40).filter(str.strip)),
            "process_time": f"{draw(st.integers(1, 90))}min",
            "wait_time": f"{draw(st.integers(0, 30))}h",
        }
        lane = draw(st.sampled_from(LANES))
        if lane:
            step["lane"] = lane
        if i and draw(st.booleans()):
            earlier = draw(st.sets(st.integers(0, i - 1), min_size=1, max_size=min(i, 3)))
            step["after"] = [f"s{j}" for j in sorted(earlier)]
        steps.append(step)
    if n >= 3 and draw(st.booleans()):  # the first step decides between the next two
        steps[0]["branches"] = [
            {"to": "s1", "probability": "60%"},
            {"to": "s2", "probability": "40%"},
        ]
        for later in steps[1:3]:
            later.pop("after", None)
        for later in steps[3:]:
            later["after"] = [a for a in later.get("after", ["s1"]) if a != "s0"] or ["s1"]
    return {"name": "Random", "steps": steps}


def _overlap(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


@settings(max_examples=30, deadline=None)
@given(streams())
def test_random_streams_lay_out_cleanly(stream: dict[str, Any]) -> None:
    canvas = parse_canvas(
        json.dumps(
            {"organization": "R", "engines": {"growth": {"streams": {"s": stream}}}},
            ensure_ascii=False,  # YAML has no surrogate-pair escapes
        )
    )
    view = build_map(canvas, "growth/s")
    plan = layout(view)
    blocks = {
        i: Box(p.box.x, p.box.y, p.box.w, p.note_y + p.note_h - p.box.y)
        for i, p in plan.places.items()
    }
    ids = sorted(blocks)
    for index, first in enumerate(ids):
        block = blocks[first]
        assert block.x >= 0 and block.right <= plan.width
        assert plan.lanes_top <= block.y and block.bottom <= plan.ladder_y
        for second in ids[index + 1 :]:
            assert not _overlap(block, blocks[second]), (first, second)
    for step in view.steps:  # flow runs left to right
        for pred in step.after:
            assert plan.places[pred].column < plan.places[step.id].column
    svg = render_vsm_svg(canvas, "growth/s")
    root = etree.fromstring(svg.encode("utf-8"))
    assert len(root.findall(".//{http://www.w3.org/2000/svg}g[@id]")) > len(view.steps)
    etree.fromstring(to_drawio(canvas, "growth/s").encode("utf-8"))
    assert to_mermaid(canvas, "growth/s").startswith("flowchart LR\n")
