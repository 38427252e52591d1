"""Value stream maps as Mermaid flowcharts, for docs and wikis (GitHub, GitLab, Notion).

A left-to-right flowchart: a subgraph per swim lane, a node per step with its data line, the
wait before a step on the edge into it, decision points as rhombus nodes with the branch
shares on their exits, rework as dotted edges, and a totals node. Node ids are ``s1``, ``s2``,
… in the stream's step order (step ids may contain ``-``, which Mermaid reads as an arrow).
Every label is quoted and every character that could mean something to Mermaid or HTML is
written as an entity code (``#60;``), so user text stays text.

>>> from opcanvas.canvas import parse_canvas
>>> canvas = parse_canvas('''
... organization: Acme
... engines: {growth: {streams: {s: {name: S, steps: [
...   {id: a, name: "A <b>", lane: Ops, wait_time: 1h}, {id: b, name: B, wait_time: 2h}]}}}}
... ''')
>>> print(to_mermaid(canvas, "growth/s").splitlines()[0])
flowchart LR
"""

from __future__ import annotations

import re

from opcanvas.canvas.model import Canvas
from opcanvas.render.mapmodel import MapView, State, StepView, build_map
from opcanvas.render.text import clean

_SAFE = re.compile(r"[A-Za-z0-9 .,:%/()+\-–—→·≈=?!'*_~@$€£]")


def label(text: str) -> str:
    """Text for inside a quoted Mermaid label: anything not plainly safe becomes ``#NNN;``.

    >>> label('say "hi" <script>')
    'say #34;hi#34; #60;script#62;'
    """
    return "".join(c if _SAFE.fullmatch(c) else f"#{ord(c)};" for c in clean(text))


def _lines(*parts: str) -> str:
    return '"' + "<br/>".join(label(p) for p in parts if p) + '"'


def _data_line(step: StepView) -> str:
    return " · ".join(
        f"{f.label} {'≈ ' if f.source == 'estimate' else ''}{f.text}" for f in step.data
    )


def _node(step: StepView, node: str) -> str:
    systems = ", ".join(step.systems)
    people = " · ".join(x for x in (step.role, step.people and f"{step.people} people") if x)
    return f"{node}[{_lines(step.name, _data_line(step), people, systems)}]"


def _wait(step: StepView) -> str:
    if step.queue.source == "missing":
        return ""
    text = step.queue.text
    return f"{step.queue.label.lower()} {'≈ ' if step.queue.source == 'estimate' else ''}{text}"


def _edge_label(parts: list[str]) -> str:
    text = " · ".join(p for p in parts if p)
    return f'|"{label(text)}"|' if text else ""


def _body(view: MapView, ids: dict[str, str]) -> list[str]:
    out: list[str] = []
    lanes: list[str] = []
    for step in view.steps:
        if step.lane not in lanes:
            lanes.append(step.lane)
    for index, lane in enumerate(lanes):
        members = [s for s in view.steps if s.lane == lane]
        if lane:
            out.append(f"  subgraph lane{index + 1} [{_lines(lane)}]")
            out.append("    direction LR")
        for step in members:
            out.append(("    " if lane else "  ") + _node(step, ids[step.id]))
            if step.branches:
                out.append(f"{'    ' if lane else '  '}{ids[step.id]}_d{{{_lines('decision')}}}")
        if lane:
            out.append("  end")
    return out


def _edges(view: MapView, ids: dict[str, str]) -> list[str]:
    out: list[str] = []
    branch_pairs = {(s.id, b.to) for s in view.steps for b in s.branches}
    has_successor = {p for s in view.steps for p in s.after} | {s.id for s in view.steps
                                                                if s.rework_to}  # fmt: skip
    for step in view.steps:
        node = ids[step.id]
        handoff = "handoff" if step.handoff else ""
        if not [p for p in step.after if p in ids]:
            out.append(f"  trigger -->{_edge_label([_wait(step), handoff])} {node}")
        for pred in step.after:
            if pred in ids and (pred, step.id) not in branch_pairs:
                out.append(f"  {ids[pred]} -->{_edge_label([_wait(step), handoff])} {node}")
        if step.branches:
            out.append(f"  {node} --> {node}_d")
            for branch in step.branches:
                if branch.to in ids:
                    target = view.step(branch.to)
                    parts = [f"{branch.probability} {branch.label or ''}".strip(), _wait(target),
                             "handoff" if target.handoff else ""]  # fmt: skip
                    out.append(f"  {node}_d -->{_edge_label(parts)} {ids[branch.to]}")
        if step.rework_to and step.rework_to in ids:
            out.append(f'  {node} -.->|"rework"| {ids[step.rework_to]}')
        if step.id not in has_successor and not step.branches:
            out.append(f"  {node} --> customer")
    return out


def draw_mermaid(view: MapView) -> str:
    """The Mermaid flowchart of a map."""
    ids = {step.id: f"s{index + 1}" for index, step in enumerate(view.steps)}
    state = f"future state: {view.scenario}" if view.state == "future" else "current state"
    out = ["flowchart LR", f"  %% {label(view.title)} ({label(view.ref)}, {label(state)})"]
    out += [f"  %% {ids[s.id]} = {s.id}" for s in view.steps]
    trigger = f"Trigger: {view.trigger}" if view.trigger else "Trigger"
    out.append(f"  trigger([{_lines(trigger, view.trigger_detail or '')}])")
    demand = " · ".join(x for x in (view.demand and f"demand {view.demand}",
                                    view.takt and f"takt {view.takt}") if x)  # fmt: skip
    out.append(f"  customer([{_lines(view.customer, demand)}])")
    out += _body(view, ids)
    out += _edges(view, ids)
    totals = [f"{t.label}: {t.text}" + (f" (now {t.before})" if t.before else "")
              for t in view.totals]  # fmt: skip
    out.append(f"  totals[{_lines(*totals)}]")
    out.append("  classDef bottleneck stroke:#c81e1e,stroke-width:3px")
    out.append("  classDef changed stroke:#0f7b3f,stroke-width:3px")
    out.append("  classDef decision fill:#fef3c7")
    marked = [ids[s.id] for s in view.steps if s.bottleneck]
    if marked:
        out.append(f"  class {','.join(marked)} bottleneck")
    changed = [ids[s.id] for s in view.steps if view.state == "future" and s.changes]
    if changed:
        out.append(f"  class {','.join(changed)} changed")
    decisions = [f"{ids[s.id]}_d" for s in view.steps if s.branches]
    if decisions:
        out.append(f"  class {','.join(decisions)} decision")
    return "\n".join(out) + "\n"


def to_mermaid(canvas: Canvas, ref: str, *, state: State = "current") -> str:
    """The value stream map of ``ref`` as a Mermaid flowchart (``flowchart LR``)."""
    return draw_mermaid(build_map(canvas, ref, state=state))
