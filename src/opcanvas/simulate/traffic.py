"""Traffic equations and reachability of a compiled network.

``expected_visits`` solves ``v = e + Mᵀ v`` for the expected visits per case of every node:
``M[i, j]`` is the expected number of tokens node ``i`` sends to ``j`` per visit (rework
``1 − %C&A`` back, the rest thinned by drop-off and split by branch probabilities; an AND
split sends one to each successor). A join of ``m`` parallel paths merges ``m`` tokens into one
visit. ``reachable`` lists, per node, where a token there may still go (rework included): a
join waits only for siblings that can still reach it.

>>> from opcanvas.canvas import parse_canvas
>>> from opcanvas.simulate.network import compile_network
>>> canvas = parse_canvas('''
... organization: A
... engines: {e: {streams: {s: {name: S, demand: 1/h, steps: [
...   {id: a, name: A, process_time: 1min, drop_off: 50%},
...   {id: b, name: B, process_time: 1min, complete_accurate: 50%}]}}}}''')
>>> net = compile_network(canvas, "e/s", canvas.stream("e/s"))
>>> [round(v, 3) for v in net.visits], sorted(net.reach[1])
([1.0, 1.0], [1])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from opcanvas.errors import SimulationError

if TYPE_CHECKING:
    from opcanvas.simulate.network import Node


def _transfer(nodes: tuple[Node, ...]) -> np.ndarray:
    """M[i, j]: expected tokens node i sends to node j per visit of i."""
    n = len(nodes)
    m = np.zeros((n, n))
    for node in nodes:
        i = node.index
        m[i, node.rework] += 1 - node.ok
        passed = node.ok * (1 - node.drop)
        previous = 0.0
        for target, cum in zip(node.branch_targets, node.branch_cum, strict=True):
            m[i, target] += passed * (cum - previous)
            previous = cum
        for target in node.succ:
            m[i, target] += passed
    return m


def expected_visits(ref: str, nodes: tuple[Node, ...], entries: tuple[int, ...]) -> list[float]:
    m = _transfer(nodes)
    for node in nodes:
        if node.join:
            m[:, node.index] /= _merge_count(nodes, node.index, entries)
    e = np.zeros(len(nodes))
    e[list(entries)] = 1.0
    try:
        visits = np.linalg.solve(np.eye(len(nodes)) - m.T, e)
    except np.linalg.LinAlgError:
        raise SimulationError(
            f"stream {ref}: rework loops never end (every item returns forever)",
            hint="check complete_accurate and rework_to",
        ) from None
    return [max(float(v), 0.0) for v in visits]


def _forward(nodes: tuple[Node, ...]) -> list[set[int]]:
    """Nodes reachable from each node along forward edges (no rework), itself included."""
    out: list[set[int]] = [set() for _ in nodes]
    for node in reversed(_topo(nodes)):
        out[node.index] = {node.index}
        for t in (*node.succ, *node.branch_targets):
            out[node.index] |= out[t]
    return out


def _topo(nodes: tuple[Node, ...]) -> list[Node]:
    indeg = [0] * len(nodes)
    for node in nodes:
        for t in (*node.succ, *node.branch_targets):
            indeg[t] += 1
    ready = [n.index for n in nodes if indeg[n.index] == 0]
    order: list[Node] = []
    while ready:
        i = ready.pop(0)
        order.append(nodes[i])
        for t in (*nodes[i].succ, *nodes[i].branch_targets):
            indeg[t] -= 1
            if indeg[t] == 0:
                ready.append(t)
    return order


def _merge_count(nodes: tuple[Node, ...], join: int, entries: tuple[int, ...]) -> int:
    """How many parallel tokens meet at a join: the most distinct AND exits of one fork."""
    forward = _forward(nodes)
    preds = [n.index for n in nodes if join in n.succ or join in n.branch_targets]
    forks: list[list[set[int]]] = [[forward[e] for e in entries]] if len(entries) > 1 else []
    for node in nodes:
        slots = [forward[t] for t in node.succ]
        if node.branch_targets:
            slots.append(set().union(*(forward[t] for t in node.branch_targets)))
        if len(slots) >= 2:
            forks.append(slots)
    best = 1
    for slots in forks:
        best = max(best, sum(1 for slot in slots if any(p in slot for p in preds)))
    return best


def reachable(nodes: tuple[Node, ...]) -> tuple[frozenset[int], ...]:
    """Nodes reachable in one or more moves, rework included (a join waits for these)."""
    edges = [
        {*n.succ, *n.branch_targets, n.rework} if n.ok < 1 else {*n.succ, *n.branch_targets}
        for n in nodes
    ]
    out = []
    for start in range(len(nodes)):
        seen: set[int] = set()
        todo = list(edges[start])
        while todo:
            j = todo.pop()
            if j not in seen:
                seen.add(j)
                todo.extend(edges[j])
        out.append(frozenset(seen))
    return tuple(out)
