"""Small directed-graph helpers: one cycle (for errors) and all elementary cycles (for loops).

>>> find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]})
['a', 'b', 'c', 'a']
>>> simple_cycles({"g": ["r"], "r": ["g"], "e": ["i"]})
[['g', 'r', 'g']]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def find_cycle(edges: Mapping[str, Sequence[str]]) -> list[str] | None:
    """A cycle as ``[a, b, …, a]``, found by depth-first search in key order; None if acyclic."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in edges.get(node, ()):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in edges:
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def simple_cycles(edges: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Every elementary cycle, each starting at its smallest node, sorted. For small graphs
    (engines: four nodes), so a plain search from each start node is enough."""
    nodes = sorted(set(edges) | {n for targets in edges.values() for n in targets})
    cycles: list[list[str]] = []
    for start in nodes:
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(set(edges.get(node, ()))):
                if nxt == start:
                    cycles.append([*path, start])
                elif nxt > start and nxt not in path:
                    stack.append((nxt, [*path, nxt]))
    return sorted(cycles, key=lambda c: (len(c), c))
