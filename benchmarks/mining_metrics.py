"""The full metric set, opcanvas against pm4py's nearest chain, at growing sizes.

Datasets (made here, seeded, cached in ``--data``):

- ``bpic``: BPI Challenge 2012 as published (XES.gz, 262,200 events, start/complete/schedule)
- ``bpic5``: BPIC 2012 five times with renamed cases (Parquet, 1,311,000 events)
- ``10m``, ``100m``: synthetic interval logs (Parquet; 10 events a case; see
  ``mining_common.synthetic``)

opcanvas: ``read_log`` + ``mine`` (DuckDB), every per-step and per-stream metric. pm4py: read
+ ``format_dataframe`` + variants, case durations, DFG with durations, service times, rework,
arrival rate, handover network, activity counts (``mining_worker.py``) — a subset of what
opcanvas computes. pm4py runs only up to ``--pm4py-max`` events. Every measurement is a fresh
process; ``--memory-limit`` bounds DuckDB (it spills to disk beyond it) from 10M events up.

    uv run python benchmarks/mining_metrics.py --sizes bpic,bpic5,10m --repeat 2
    uv run python benchmarks/mining_metrics.py --sizes 100m --repeat 1
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mining_common import BPIC, Run, measure, ratio, replicated_bpic, synthetic, table

EVENTS = {"bpic": 262_200, "bpic5": 1_311_000, "10m": 10_000_000, "100m": 100_000_000}


def dataset(name: str, data: Path) -> Path:
    if name == "bpic":
        return BPIC
    if name == "bpic5":
        return replicated_bpic(data / "bpic2012_x5.parquet", 5)
    return synthetic(data / f"synthetic_{name}.parquet", EVENTS[name])


def best(runs: list[Run]) -> Run:
    done = [r for r in runs if r.ok]
    return min(done, key=lambda r: r.seconds) if done else runs[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="bpic,bpic5,10m")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--pm4py-max", type=int, default=10_000_000)
    parser.add_argument("--memory-limit", default="1500MB", help="DuckDB limit from 10M events")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--data", type=Path, default=Path("/tmp/opcanvas-bench"))
    args = parser.parse_args()
    rows = []
    for name in args.sizes.split(","):
        path = dataset(name, args.data)
        limit = [args.memory_limit] if EVENTS[name] >= 10_000_000 else []
        ours: list[Run] = []
        theirs: list[Run] = []
        repeat = args.repeat if EVENTS[name] < 100_000_000 else 1  # about 10 minutes at 100M
        for _ in range(repeat):
            ours.append(measure("opcanvas", "mine-opcanvas", str(path), *limit,
                                timeout=args.timeout))  # fmt: skip
            sys.stderr.write(f"{name} opcanvas: {ours[-1].cell()} {ours[-1].detail}\n")
            if EVENTS[name] <= args.pm4py_max:
                theirs.append(measure("pm4py", "mine-pm4py", str(path), timeout=args.timeout))
                sys.stderr.write(f"{name} pm4py: {theirs[-1].cell()} {theirs[-1].detail}\n")
        a = best(ours)
        b = best(theirs) if theirs else None
        rows.append([
            name, f"{EVENTS[name]:,}", a.cell() + (f" (limit {limit[0]})" if limit else ""),
            b.cell() if b else "not run", ratio(b, a, "time") if b else "—",
            ratio(b, a, "memory") if b else "—",
        ])  # fmt: skip
    print(table("Full metric set, whole process (best of runs)",
                ["log", "events", "opcanvas", "pm4py", "speed-up", "pm4py memory / ours"],
                rows))  # fmt: skip


if __name__ == "__main__":
    main()
