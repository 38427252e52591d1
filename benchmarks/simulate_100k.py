"""Simulate 100,000 cases through a 10-step stream with rework; whole-process times.

Each task runs as its own process (Python start-up and imports included) and reports its peak
memory. The reference is the same network written directly in SimPy 4 (one process per case,
``Resource`` requests), the library DESIGN.md names, measured in the same run; the ratio says
how much faster the opcanvas engine is for the same semantics. Both report the mean lead time,
which must agree within sampling error.

    uv run python benchmarks/simulate_100k.py          # aim: simulate < 30 s
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

CASES = 100_000
# id, people, mean process time (min), %C&A, rework_to
STEPS: list[tuple[str, int, float, float, str | None]] = [
    ("s01", 2, 7.0, 1.00, None),
    ("s02", 1, 3.5, 0.90, None),
    ("s03", 3, 11.0, 1.00, None),
    ("s04", 1, 3.5, 0.95, "s03"),
    ("s05", 2, 8.0, 1.00, None),
    ("s06", 1, 3.0, 0.85, None),
    ("s07", 2, 7.0, 1.00, None),
    ("s08", 1, 3.0, 0.90, "s06"),
    ("s09", 4, 15.0, 1.00, None),
    ("s10", 1, 3.5, 0.92, None),
]
RATE = 0.2  # cases per minute: loads 0.67–0.8 with rework
HERE = Path(__file__).resolve()


def canvas_yaml() -> str:
    lines = ["organization: Bench", "calendar: {basis: calendar}", "engines:", "  e:",
             "    streams:", "      s:", "        name: Ten steps",
             f"        demand: {RATE * 60:g}/h", "        steps:"]  # fmt: skip
    for step_id, people, minutes, ok, back in STEPS:
        extra = f", complete_accurate: {ok * 100:g}%" if ok < 1 else ""
        extra += f", rework_to: {back}" if back else ""
        lines.append(f"          - {{id: {step_id}, name: {step_id.upper()}, lane: L{step_id}, "
                     f"people: {people}, process_time: {minutes:g}min{extra}}}")  # fmt: skip
    return "\n".join(lines) + "\n"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def task_simulate() -> dict[str, Any]:
    from opcanvas.canvas import parse_canvas
    from opcanvas.simulate import SimulationSettings, simulate

    canvas = parse_canvas(canvas_yaml())
    result = simulate(canvas, "e/s", cases=CASES, replications=1,
                      settings=SimulationSettings(service="exponential"))  # fmt: skip
    assert result.lead_time is not None
    loads = [s.load for s in result.steps if s.load is not None]
    return {"lead_time": result.lead_time.mean.mean, "max_load": max(loads)}


def task_event_log() -> dict[str, Any]:
    from datetime import UTC, datetime

    from opcanvas.canvas import parse_canvas
    from opcanvas.simulate import SimulationSettings, event_log, write_event_log

    canvas = parse_canvas(canvas_yaml())
    log = event_log(canvas, "e/s", cases=CASES, start=datetime(2025, 1, 6, 9, tzinfo=UTC),
                    settings=SimulationSettings(service="exponential"))  # fmt: skip
    out = Path("/tmp/opcanvas-bench-simulate.parquet")
    write_event_log(log, out)
    events = log.num_rows
    out.unlink()
    return {"events": events}


def task_simpy() -> dict[str, Any]:
    import numpy as np
    import simpy

    rng = np.random.default_rng(0)
    env = simpy.Environment()
    index = {s[0]: i for i, s in enumerate(STEPS)}
    people = [simpy.Resource(env, s[1]) for s in STEPS]
    lead = np.full(CASES, np.nan)

    def case(i: int) -> Any:
        arrived, k = env.now, 0
        while k < len(STEPS):
            with people[k].request() as turn:
                yield turn
                yield env.timeout(rng.exponential(STEPS[k][2]))
            ok, back = STEPS[k][3], STEPS[k][4]
            if ok < 1 and rng.random() >= ok:
                k = index[back] if back else k
            else:
                k += 1
        lead[i] = env.now - arrived

    def arrivals() -> Any:
        for i in range(CASES):
            yield env.timeout(rng.exponential(1 / RATE))
            env.process(case(i))

    env.process(arrivals())
    env.run()
    return {"lead_time": float(np.mean(lead[CASES // 10 :]))}


TASKS = {"simulate": task_simulate, "event_log": task_event_log, "simpy": task_simpy}


def child(name: str) -> None:
    started = time.perf_counter()
    out = TASKS[name]()
    out.update(inner=time.perf_counter() - started, peak_mb=peak_mb())
    print(json.dumps(out))


def measure(name: str) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(HERE), name], capture_output=True, text=True,
                          check=True)  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    return result


def main() -> None:
    rows = {name: measure(name) for name in ("simulate", "event_log", "simpy")}
    print(f"{CASES:,} cases, 10 steps with rework (loads up to "
          f"{rows['simulate']['max_load']:.0%}), one process per task")  # fmt: skip
    print(f"{'task':<34}{'wall s':>8}{'in-task s':>11}{'peak MB':>9}  result")
    labels = {
        "simulate": "opcanvas simulate (stats)",
        "event_log": "opcanvas event_log + Parquet",
        "simpy": "SimPy reference (same model)",
    }
    for name, row in rows.items():
        detail = (f"mean lead time {row['lead_time']:.1f} min" if "lead_time" in row
                  else f"{row['events']:,} events")  # fmt: skip
        print(f"{labels[name]:<34}{row['wall']:>8.1f}{row['inner']:>11.1f}{row['peak_mb']:>9.0f}"
              f"  {detail}")  # fmt: skip
    ratio = rows["simpy"]["inner"] / rows["simulate"]["inner"]
    print(f"ratio SimPy / opcanvas (in-task): {ratio:.1f}x; aim: simulate < 30 s whole process "
          f"({'met' if rows['simulate']['wall'] < 30 else 'MISSED'})")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) > 1:
        child(sys.argv[1])
    else:
        main()
