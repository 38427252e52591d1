"""Shared parts of the mining benchmarks: data, whole-process measurement, tables.

Every measurement runs in a fresh subprocess (``mining_worker.py``); wall time is measured
around the process and peak memory is the child's maximum resident set size from
``os.wait4`` — so import time and everything a user would wait for is included.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
LOGS = Path(os.environ.get("OPCANVAS_LOGS", HERE.parent.parent / "shared" / "data" / "logs"))
BPIC = LOGS / "pm4py_bpic2012.xes.gz"
WORKER = HERE / "mining_worker.py"


@dataclass(frozen=True)
class Run:
    """One whole-process measurement."""

    label: str
    seconds: float
    peak_mb: float
    ok: bool
    detail: dict[str, Any]

    def cell(self) -> str:
        return f"{self.seconds:.1f} s / {self.peak_mb:,.0f} MB" if self.ok else "did not finish"


def measure(label: str, *args: str, timeout: float | None = None) -> Run:
    """Run the worker with ``args`` in a fresh Python; time, peak RSS and its JSON summary."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        return Run(label, time.perf_counter() - start, 0.0, False, {"error": "timeout"})
    seconds = time.perf_counter() - start
    # communicate() reaped the child; its rusage is folded into RUSAGE_CHILDREN, so the worker
    # reports its own peak (ru_maxrss of RUSAGE_SELF at exit) in its JSON line
    try:
        detail = json.loads(out.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        detail = {"error": err.strip().splitlines()[-3:] if err else "no output"}
    ok = child.returncode == 0 and "error" not in detail
    return Run(label, seconds, float(detail.get("peak_mb", 0.0)), ok, detail)


def table(title: str, header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    return "\n".join([f"### {title}", "", line, rule, *body])


def ratio(reference: Run, ours: Run, field: str) -> str:
    if not (reference.ok and ours.ok):
        return "—"
    a = reference.seconds if field == "time" else reference.peak_mb
    b = ours.seconds if field == "time" else ours.peak_mb
    return f"{a / b:.1f}×" if b else "—"


# ---- data ------------------------------------------------------------------------------------

ACTIVITIES = [
    "Receive request", "Register", "Check completeness", "Assess risk", "Request documents",
    "Review documents", "Prepare offer", "Approve offer", "Send offer", "Negotiate",
    "Sign contract", "Archive",
]  # fmt: skip


def synthetic(path: Path, events: int, seed: int = 7, chunk_cases: int = 200_000) -> Path:
    """An interval log of ``events`` events (10 per case), written to Parquet in chunks.

    Each case walks ten positions of a twelve-activity process; at each position it does the
    main activity (85 %), a rework of the previous one (10 %) or an alternative (5 %). Cases
    arrive over two years; waits are exponential (mean 4 h), service exponential (mean 40
    min); 60 resources. Seeded, so every run sees the same log.
    """
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    per_case = 10
    cases = events // per_case
    tmp = path.with_suffix(".tmp")
    schema = pa.schema([
        ("case:concept:name", pa.string()), ("concept:name", pa.string()),
        ("org:resource", pa.string()), ("start_timestamp", pa.timestamp("us", "UTC")),
        ("time:timestamp", pa.timestamp("us", "UTC")),
    ])  # fmt: skip
    names = np.array(ACTIVITIES, dtype=object)
    resources = np.array([f"R{i:02d}" for i in range(60)], dtype=object)
    start_us = 1_640_995_200_000_000  # 2022-01-01
    span_us = 2 * 365 * 86_400_000_000
    with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        for first in range(0, cases, chunk_cases):
            n = min(chunk_cases, cases - first)
            main = np.tile(np.arange(per_case), (n, 1))
            roll = rng.random((n, per_case))
            act = np.where(roll < 0.85, main, np.where(roll < 0.95, np.maximum(main - 1, 0),
                                                       main + 2))  # fmt: skip
            act[:, 0] = 0
            arrival = np.sort(rng.integers(0, span_us, n)) + start_us
            wait = rng.exponential(4 * 3600e6, (n, per_case)).astype(np.int64)
            service = rng.exponential(40 * 60e6, (n, per_case)).astype(np.int64)
            ends = arrival[:, None] + np.cumsum(wait + service, axis=1)
            starts = ends - service
            ids = np.repeat(np.arange(first, first + n), per_case)
            table = pa.table(
                {
                    "case:concept:name": pa.array(np.char.add("c", ids.astype(str)).astype(object)),
                    "concept:name": pa.array(names[act.ravel()]),
                    "org:resource": pa.array(resources[rng.integers(0, 60, n * per_case)]),
                    "start_timestamp": pa.array(starts.ravel(), pa.timestamp("us", "UTC")),
                    "time:timestamp": pa.array(ends.ravel(), pa.timestamp("us", "UTC")),
                },
                schema=schema,
            )
            writer.write_table(table)
    tmp.rename(path)
    return path


def replicated_bpic(path: Path, copies: int = 5) -> Path:
    """BPIC 2012 ``copies`` times with renamed case ids, as Parquet (XES keys as columns)."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    import pandas as pd

    sys.path.insert(0, str(HERE.parent / "src"))
    from opcanvas.mining.readers.xes import XesReader

    raw = pa.concat_tables(list(XesReader(BPIC, 10**11).batches()))
    frame = raw.select(["case:concept:name", "concept:name", "lifecycle:transition",
                        "org:resource", "time:timestamp"]).to_pandas()  # fmt: skip
    frame["time:timestamp"] = pd.to_datetime(frame["time:timestamp"], format="ISO8601", utc=True)
    parts = []
    for copy in range(copies):
        part = frame.copy()
        part["case:concept:name"] = part["case:concept:name"] + f"-{copy}"
        parts.append(part)
    pq.write_table(pa.Table.from_pandas(pd.concat(parts, ignore_index=True),
                                        preserve_index=False), path)  # fmt: skip
    return path


if __name__ == "__main__":
    sys.stdout.write("helpers for mining_xes_import.py and mining_metrics.py; nothing to run\n")
