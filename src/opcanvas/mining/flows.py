"""Paths through the stream: variants with coverage, directly-follows edges, handoff pairs.

- A *variant* is the sequence of steps of a case, instances ordered by (start, end, source
  row). ``coverage[k]`` is the share of cases covered by the k most frequent variants.
- A *directly-follows edge* a → b counts consecutive instances of a case; its duration is
  from the end of a to the start of b, floored at zero (with one timestamp per event: from
  completion to completion) — the definition of pm4py's performance DFG.
- A *handoff pair* is an edge where the resource changes; its delay is the edge's duration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import narwhals as nw

from opcanvas.mining.engines import Engine
from opcanvas.mining.summary import Summaries, Summary

SEPARATOR = "\x1f"  # the unit separator: never part of an activity name in practice
COVERAGE_AT = (1, 5, 10, 20, 50)


@dataclass(frozen=True)
class Variant:
    steps: tuple[str, ...]
    cases: int
    share: float

    def to_dict(self) -> dict[str, Any]:
        return {"steps": list(self.steps), "cases": self.cases, "share": self.share}


@dataclass(frozen=True)
class Variants:
    count: int
    top: list[Variant]
    coverage: dict[int, float]

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "top": [v.to_dict() for v in self.top],
                "coverage": {str(k): v for k, v in self.coverage.items()}}  # fmt: skip


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    count: int
    duration: Summary

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.source, "to": self.target, "count": self.count,
                "duration": self.duration.to_dict()}  # fmt: skip


def variants(
    engine: Engine, instances: nw.LazyFrame[Any], top: int = 20, bounded: bool = False
) -> Variants:
    """Variants by frequency (ties by sequence), the first ``top`` with their steps."""
    keyed, exact = engine.sequence_keys(instances, "case", "pos", "step", SEPARATOR, bounded)
    counted = engine.rows(
        keyed.group_by("key").agg(nw.len().alias("cases"), nw.col("case").min().alias("case"))
    )
    counts = sorted((int(r["cases"]) for r in counted), reverse=True)
    cutoff = counts[min(top, len(counts)) - 1] if counts else 0
    candidates = [r for r in counted if int(r["cases"]) >= cutoff]
    if exact:
        sequences = {str(r["key"]): tuple(str(r["key"]).split(SEPARATOR)) for r in candidates}
    else:
        sequences = _sequences(engine, instances, candidates)
    ranked = sorted(((int(r["cases"]), sequences[str(r["key"])]) for r in candidates),
                    key=lambda cv: (-cv[0], SEPARATOR.join(cv[1])))  # fmt: skip
    total = sum(counts)
    listed = [Variant(steps, c, c / total) for c, steps in ranked[:top]]
    coverage, running = {}, 0
    for rank, cases in enumerate(counts, start=1):
        running += cases
        if rank in COVERAGE_AT:
            coverage[rank] = running / total
    for k in COVERAGE_AT:
        coverage.setdefault(k, 1.0 if total else 0.0)
    return Variants(len(counts), listed, coverage)


def _sequences(
    engine: Engine, instances: nw.LazyFrame[Any], keyed: list[dict[str, Any]]
) -> dict[str, tuple[str, ...]]:
    """The step sequence of each variant key, read from one example case of it."""
    example = {str(r["case"]): str(r["key"]) for r in keyed}
    rows = engine.rows(
        instances.filter(nw.col("case").is_in(sorted(example))).select("case", "pos", "step")
    )
    steps: dict[str, list[tuple[int, str]]] = {}
    for row in rows:
        steps.setdefault(str(row["case"]), []).append((int(row["pos"]), str(row["step"])))
    return {example[c]: tuple(s for _, s in sorted(found)) for c, found in steps.items()}


def edges(
    summaries: Summaries, instances: nw.LazyFrame[Any], only_handoffs: bool = False
) -> list[Edge]:
    """Directly-follows edges between steps (activities when no mapping merges them)."""
    frame = instances.filter(~nw.col("prev_step").is_null())
    if only_handoffs:
        frame = frame.filter(nw.col("handoff"))
    grouped = frame.group_by("prev_step", "step").agg(
        nw.len().alias("n"), *summaries.exprs("df_time", "d")
    )
    rows = {(r["prev_step"], r["step"]): r for r in summaries.engine.rows(grouped)}
    summaries.complete(rows, frame, ["prev_step", "step"], "df_time", "d")
    found = [
        Edge(str(r["prev_step"]), str(r["step"]), int(r["n"]), Summary.from_row(r, "d"))
        for r in rows.values()
    ]
    return sorted(found, key=lambda e: (-e.count, e.source, e.target))
