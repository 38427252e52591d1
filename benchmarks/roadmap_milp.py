"""Benchmark: a roadmap of 200 initiatives over 4 sprints (MILP, HiGHS) against the greedy plan.

Initiatives get seeded random values, effort, cost, durations and sparse dependencies; the
sprints have room for about half of them. The reference is the greedy plan on the same input.
Usage: ``uv run python benchmarks/roadmap_milp.py``.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

INITIATIVES, SEED = 200, 7


def canvas_data() -> dict[str, Any]:
    rnd = random.Random(SEED)
    gaps = []
    for n in range(INITIATIVES):
        gap: dict[str, Any] = {
            "id": f"i{n:03d}",
            "stream": "growth/s",
            "drivers": {"annual_value": rnd.randint(20, 2000) * 1000},
            "implementation_cost": rnd.randint(5, 150) * 1000,
            "effort": rnd.randint(5, 60),
            "duration": rnd.choice([1, 1, 1, 2]),
            "scores": {k: rnd.randint(1, 5) for k in ("alignment", "feasibility", "cost", "risk")},
        }
        if n > 10 and rnd.random() < 0.3:
            gap["depends_on"] = sorted(
                {f"i{rnd.randrange(n):03d}" for _ in range(rnd.randint(1, 2))}
            )
        gaps.append(gap)
    names = ("Foundation", "Acceleration", "Optimization", "Transformation")
    sprints = [{"name": name, "capacity_days": 1200, "budget": 2_500_000} for name in names]
    return {
        "organization": "Bench",
        "engines": {"growth": {"streams": {"s": {"name": "S"}}}},
        "gaps": gaps,
        "roadmap": {"start": "2027-01-04", "sprints": sprints},
    }


def main() -> int:
    import json

    import scipy.optimize  # noqa: F401 - imported lazily by the planner; not part of the timing

    from opcanvas.canvas import Canvas
    from opcanvas.roadmap import plan_roadmap
    from opcanvas.roadmap.initiatives import build_initiatives, capacity
    from opcanvas.roadmap.solver import greedy
    from opcanvas.value import prioritize, quantify

    canvas = Canvas.model_validate(canvas_data())
    values = quantify(canvas, samples=1000)
    ranked = prioritize(canvas, values)
    started = time.perf_counter()
    roadmap = plan_roadmap(canvas, values, ranked)
    planning = time.perf_counter() - started
    items, _, _ = build_initiatives(canvas, values, ranked)
    started = time.perf_counter()
    greedy(items, capacity(canvas))
    reference = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        path.write_text(json.dumps(canvas_data()), encoding="utf-8")  # JSON is YAML
        command = [sys.executable, "-m", "opcanvas", "roadmap", str(path), "--samples", "1000",
                   "--json"]  # fmt: skip
        # a warm-up run first, with bytecode caching allowed (this sandbox sets
        # PYTHONDONTWRITEBYTECODE, which makes every start compile the libraries from source)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run(command, capture_output=True, check=False, env=env)
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, check=False, env=env)
        whole = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stderr.decode(), file=sys.stderr)
        return 1
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    placed = len(roadmap.placements())
    solver = roadmap.solver
    print(f"{INITIATIVES} initiatives x {len(roadmap.sprints)} sprints: {placed} placed; HiGHS: "
          f"{solver['status']} after {solver['seconds']:.2f} s, proven gap "
          f"{(solver['gap'] or 0):.3%}")  # fmt: skip
    print(
        f"first-year value: optimised {roadmap.value_optimised:,.0f}, greedy "
        f"{roadmap.value_greedy:,.0f} (+{roadmap.value_gained / roadmap.value_greedy:.1%})"
    )
    print(f"{'what':<46}{'seconds':>9}{'ratio':>9}")
    print(f"{'greedy plan (reference)':<46}{reference:>9.3f}{1:>9.1f}")
    print(f"{'plan_roadmap (MILP + fill + greedy + sums)':<46}{planning:>9.3f}"
          f"{planning / reference:>9.1f}")  # fmt: skip
    print(f"{'whole process: opcanvas roadmap --json':<46}{whole:>9.3f}{whole / reference:>9.1f}")
    print(f"peak memory of the whole process: {peak:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
