"""Benchmark: 100 gaps × 100,000 Monte Carlo samples, in-process and as a whole `opcanvas gaps`.

Each gap has six drivers (four of them ranged: triangular, PERT, uniform, lognormal) and five
formulas. The reference is plain NumPy drawing the same variates and multiplying them, the
floor any Monte Carlo of this size pays. Usage: ``uv run python benchmarks/value_montecarlo.py``.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

GAPS, SAMPLES = 100, 100_000
GAP = """\
  - id: gap-{n}
    stream: growth/s
    drivers:
      days: [2, 3, {hi}]
      volume: {{dist: pert, low: 20, likely: 40, high: 60}}
      win_rate: [20%, 40%]
      deal_size: {{dist: lognormal, mean: 50k, sd: 15k}}
      cost_per_day: 500
      improvement: 80%
    formulas:
      lost_days: days * volume * 12
      lost_deals: lost_days / working_days_per_month * win_rate * deal_size
      wasted: lost_days * cost_per_day
      gross: lost_deals + wasted
      annual_value: improvement * gross
    implementation_cost: [40k, 50k, 80k]
    scores: {{alignment: 4, feasibility: 3, cost: 2, risk: 2}}
"""


def canvas_text() -> str:
    head = "organization: Bench\nengines: {growth: {streams: {s: {name: S}}}}\ngaps:\n"
    return head + "".join(GAP.format(n=n, hi=4 + n % 5) for n in range(GAPS))


def reference() -> float:
    rng = np.random.default_rng(0)
    started = time.perf_counter()
    for _ in range(GAPS):
        a = rng.triangular(2, 3, 5, SAMPLES)
        b = 20 + 40 * rng.beta(3, 3, SAMPLES)
        c = rng.uniform(0.2, 0.4, SAMPLES)
        d = rng.lognormal(10.8, 0.3, SAMPLES)
        cost = rng.triangular(40e3, 50e3, 80e3, SAMPLES)
        value = 0.8 * (a * b * 12 / 20 * c * d + a * b * 12 * 500)
        np.percentile(value, [10, 50, 90])
        np.percentile((value - cost) / cost, [10, 50, 90])
    return time.perf_counter() - started


def main() -> int:
    from opcanvas.canvas import parse_canvas
    from opcanvas.value import quantify

    text = canvas_text()
    quantify(parse_canvas(text.split("  - id: gap-1\n")[0]), samples=10)  # warm the imports
    started = time.perf_counter()
    canvas = parse_canvas(text)
    values = quantify(canvas, samples=SAMPLES, seed=0)
    in_process = time.perf_counter() - started
    assert len(values) == GAPS and all(v.p10 < v.p50 < v.p90 for v in values)
    floor = reference()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        path.write_text(text, encoding="utf-8")
        command = [sys.executable, "-m", "opcanvas", "gaps", str(path),
                   "--samples", str(SAMPLES), "--json"]  # fmt: skip
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
    print(f"{GAPS} gaps x {SAMPLES:,} samples")
    print(f"{'what':<44}{'seconds':>9}{'ratio':>8}")
    print(f"{'plain NumPy reference (draws + percentiles)':<44}{floor:>9.2f}{1:>8.2f}")
    print(f"{'opcanvas quantify (parse + MC + tornado)':<44}{in_process:>9.2f}"
          f"{in_process / floor:>8.2f}")  # fmt: skip
    print(f"{'whole process: opcanvas gaps --json':<44}{whole:>9.2f}{whole / floor:>8.2f}")
    print(f"peak memory of the whole process: {peak:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
