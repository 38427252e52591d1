"""Benchmark: the full report of the demo canvas, every format, as a whole process.

Prepares the demo once (untimed: ``opcanvas demo`` simulates and mines two event logs into
the Northwind sample), then times ``opcanvas report CANVAS --format html,pdf,xlsx,md,json``
as a fresh process, and each format on its own for the breakdown. The reference is the
aim of 10 s for everything; the ratio is measured time / aim. For the PDF, a second reference
runs in the same session: the same document printed by WeasyPrint in one pass, in one
process (how the report printed before it printed in parts), against ``--format pdf``. Wall
time and the CPU time of the child process (with its print server and printers) are both
printed (the machine may be shared: CPU time is the steadier). Last, one more fresh process
runs the same report through ``build_report`` and prints when each step ended, from the start
of the process: the PDF prints in the print server meanwhile, so its step ends last.

Usage: ``uv run python benchmarks/report_demo.py [RUNS]``
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AIM_SECONDS = 10.0
FORMATS = ("html", "pdf", "xlsx", "md", "json")


def _run(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process (CPU: user + system of that child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed: {' '.join(args)}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _opcanvas() -> list[str]:
    return [sys.executable, "-m", "opcanvas"]


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 3
    with tempfile.TemporaryDirectory(prefix="opcanvas-bench-") as tmp:
        demo = Path(tmp) / "demo"
        print("preparing the demo canvas (simulate + mine two logs; not timed) ...", flush=True)
        _run([*_opcanvas(), "demo", "-o", str(demo), "--samples", "1000", "--json"])
        canvas = demo / "northwind-services.yaml"
        rows: list[tuple[str, float, float]] = []
        walls, cpus = [], []
        for i in range(runs):
            out = Path(tmp) / f"all-{i}"
            wall, cpu = _run([*_opcanvas(), "report", str(canvas), "-o", str(out),
                              "--format", ",".join(FORMATS), "--json"])  # fmt: skip
            walls.append(wall)
            cpus.append(cpu)
        rows.append(("all formats (median)", statistics.median(walls), statistics.median(cpus)))
        for fmt in FORMATS:
            wall, cpu = _run([*_opcanvas(), "report", str(canvas), "-o", str(Path(tmp) / fmt),
                              "--format", fmt, "--json"])  # fmt: skip
            rows.append((f"{fmt} only", wall, cpu))
        wall, cpu = _run([sys.executable, "-c", ONE_PASS_CHILD, str(canvas),
                          str(Path(tmp) / "one-pass.pdf")])  # fmt: skip
        rows.append(("pdf in one pass (ref.)", wall, cpu))
        pages = _pages(Path(tmp) / "all-0")
        stages = _stages(canvas, Path(tmp) / "stages")
    print(f"\nreport of the demo canvas (Northwind Services, {pages} PDF pages), "
          f"{runs} runs, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"{'what':24} {'wall s':>8} {'cpu s':>8} {'wall / aim':>11}")
    for name, wall, cpu in rows:
        print(f"{name:24} {wall:8.2f} {cpu:8.2f} {wall / AIM_SECONDS:10.2f}x")
    print(f"aim: {AIM_SECONDS:.0f} s for all formats; min of runs: {min(walls):.2f} s wall")
    ours, reference = rows[FORMATS.index("pdf") + 1][1], rows[-1][1]
    print(f"pdf only against one WeasyPrint pass over the whole document (same run): "
          f"{reference / ours:.2f}x faster")  # fmt: skip
    print("\nsteps of one more run (s from process start, wall):")
    print("  " + ", ".join(f"{name} {at:.1f}" for name, at in stages))
    return 0


ONE_PASS_CHILD = """
import sys
from opcanvas.assess import assess
from opcanvas.canvas.io import load_canvas
from opcanvas.report.build import build_document
from opcanvas.report.figures import build_figures
from opcanvas.report.html import render_html
from opcanvas.report.pdf import render_pdf
from opcanvas.roadmap.tracking import load_tracking, tracking_path
canvas = load_canvas(sys.argv[1])
tracking = load_tracking(tracking_path(sys.argv[1]), canvas)
a = assess(canvas, samples=10_000, seed=0, tracking=tracking)
images = {}
page = render_html(build_document(a, build_figures(a), ics_file="governance.ics"), images=images)
with open(sys.argv[2], "wb") as out:
    out.write(render_pdf(page, images)[0])
"""

STAGES_CHILD = """
import json, sys, time
start = time.perf_counter()
from opcanvas.report.writer import build_report
marks = [("imports", time.perf_counter() - start)]
build_report(sys.argv[1], sys.argv[2], formats=sys.argv[3].split(","),
             progress=lambda step: marks.append((step, time.perf_counter() - start)))
print(json.dumps(marks))
"""


def _stages(canvas: Path, out: Path) -> list[tuple[str, float]]:
    """When each step of build_report ended, in one fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", STAGES_CHILD, str(canvas), str(out), ",".join(FORMATS)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return [(name, at) for name, at in json.loads(done.stdout.strip().splitlines()[-1])]


def _pages(directory: Path) -> int | str:
    pdf = next(directory.glob("*.pdf"), None)
    if pdf is None:
        return "?"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False)
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return "?"


if __name__ == "__main__":
    sys.exit(main(sys.argv))
