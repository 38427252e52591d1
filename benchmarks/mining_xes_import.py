"""XES import of BPIC 2012 (262,200 events): opcanvas ``read_log`` against pm4py ``read_xes``.

Each measurement is a fresh process (interpreter start, imports, parse, checks), run
alternately ``--repeat`` times; the table shows the best and the median, and the ratio of the
best times and of the peak memory (pm4py / opcanvas).

    uv run python benchmarks/mining_xes_import.py --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import sys

from mining_common import BPIC, Run, measure, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs: dict[str, list[Run]] = {"opcanvas": [], "pm4py": []}
    for _ in range(args.repeat):
        for tool in runs:
            run = measure(tool, f"xes-{tool}", str(BPIC), timeout=600)
            runs[tool].append(run)
            sys.stderr.write(f"{tool}: {run.cell()} {run.detail}\n")
    rows = []
    best = {tool: min(rs, key=lambda r: r.seconds) for tool, rs in runs.items()}
    for tool, rs in runs.items():
        median = statistics.median(r.seconds for r in rs)
        rows.append([tool, f"{best[tool].seconds:.2f} s", f"{median:.2f} s",
                     f"{max(r.peak_mb for r in rs):,.0f} MB"])  # fmt: skip
    speed = best["pm4py"].seconds / best["opcanvas"].seconds
    memory = max(r.peak_mb for r in runs["pm4py"]) / max(r.peak_mb for r in runs["opcanvas"])
    print(table(f"XES import, BPIC 2012 ({best['opcanvas'].detail.get('events', '?'):,} events)",
                ["reader", "best", "median", "peak memory"], rows))  # fmt: skip
    print(f"\nopcanvas is {speed:.1f}× faster than pm4py's default reader; pm4py needs "
          f"{memory:.1f}× the memory ({args.repeat} runs each, whole process).")  # fmt: skip


if __name__ == "__main__":
    main()
