"""One measurement in a fresh process; prints a JSON line with a summary and its peak RSS.

    python benchmarks/mining_worker.py xes-opcanvas  LOG.xes.gz
    python benchmarks/mining_worker.py xes-pm4py     LOG.xes.gz
    python benchmarks/mining_worker.py mine-opcanvas LOG [memory limit, e.g. 2GB]
    python benchmarks/mining_worker.py mine-pm4py    LOG      (LOG: .xes(.gz) or .parquet)

``mine-pm4py`` is pm4py's nearest chain to opcanvas's metric set: variants, case durations,
directly-follows counts and durations, service time per activity, rework per activity, case
arrival rate, the handover-of-work network and activity counts. A log with start and complete
events is first paired by pm4py's ``interval_lifecycle.to_interval`` (its way to service
times, on EventLog objects), as opcanvas pairs them too. opcanvas
computes more (FIFO pairing, union active time, waits, WIP, Little's law, trend, first-pass
yield, funnel), so the comparison favours pm4py.
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import sys
import warnings
from typing import Any


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def xes_opcanvas(path: str) -> dict[str, Any]:
    from opcanvas.mining import read_log

    log = read_log(path)
    return {"events": log.events, "cases": log.cases}


@contextlib.contextmanager
def quiet_pm4py() -> Any:
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pm4py

        yield pm4py


def xes_pm4py(path: str) -> dict[str, Any]:
    with quiet_pm4py() as pm4py:
        frame = pm4py.read_xes(path, show_progress_bar=False)
    return {"events": len(frame), "cases": int(frame["case:concept:name"].nunique())}


def mine_opcanvas(path: str, memory_limit: str | None = None) -> dict[str, Any]:
    """read_log + mine: every per-step and per-stream metric (DuckDB engine)."""
    from opcanvas.mining import MiningSettings, ReadOptions, mine, read_log

    log = read_log(path, options=ReadOptions(memory_limit=memory_limit))
    result = mine(log, settings=MiningSettings(memory_limit=memory_limit))
    return {
        "events": log.events, "cases": result.stream.cases, "variants": result.variants.count,
        "steps": len(result.steps), "lead_median_min": result.stream.lead.median,
        "time_model": log.time_model,
    }  # fmt: skip


def mine_pm4py(path: str) -> dict[str, Any]:
    import pandas as pd

    case, act, time, start = (
        "case:concept:name",
        "concept:name",
        "time:timestamp",
        "start_timestamp",
    )
    with quiet_pm4py() as pm4py:
        if path.endswith((".xes", ".xes.gz")):
            frame = pm4py.read_xes(path, show_progress_bar=False)
        else:
            frame = pd.read_parquet(path)
    intervals = start in frame.columns
    lifecycle = (
        "lifecycle:transition" in frame.columns
        and frame["lifecycle:transition"].astype(str).str.lower().eq("start").any()
    )
    if lifecycle:  # service times need pm4py's own start/complete pairing (EventLog objects)
        with quiet_pm4py() as pm4py:
            from pm4py.objects.log.util import interval_lifecycle

            log = pm4py.convert_to_event_log(frame)
            frame = pm4py.convert_to_dataframe(interval_lifecycle.to_interval(log))
            del log
        intervals = True
    with quiet_pm4py() as pm4py:
        from pm4py.algo.discovery.dfg.adapters.pandas import df_statistics

        frame = pm4py.format_dataframe(frame, case_id=case, activity_key=act, timestamp_key=time)
        variants = pm4py.get_variants(frame)
        # pm4py 2.7.23 records start_timestamp in frame.attrs, and get_all_case_durations then
        # fails with a KeyError: the case durations run on a view without that attribute
        plain = frame[[case, act, time]]
        plain.attrs = {k: v for k, v in frame.attrs.items() if "start_timestamp" not in k}
        durations = pm4py.get_all_case_durations(plain)
        counts, performance = df_statistics.get_dfg_graph(
            frame, measure="both", activity_key=act, case_id_glue=case, timestamp_key=time,
            start_timestamp_key=start if intervals else None, perf_aggregation_key="all",
        )  # fmt: skip
        service = (
            pm4py.get_service_time(frame, start_timestamp_key=start, timestamp_key=time)
            if intervals else {}
        )  # fmt: skip
        rework = pm4py.get_rework_cases_per_activity(frame)
        arrival = pm4py.get_case_arrival_average(frame)
        frame["org:resource"] = frame["org:resource"].fillna("unknown")
        handover = pm4py.discover_handover_of_work_network(frame)
        activities = pm4py.get_event_attribute_values(frame, act)
    return {
        "events": len(frame), "cases": len(durations), "variants": len(variants),
        "edges": len(counts), "service": len(service), "rework": len(rework),
        "arrival": arrival, "handover": len(handover.connections), "activities": len(activities),
        "performance": len(performance),
    }  # fmt: skip


MODES = {"xes-opcanvas": xes_opcanvas, "xes-pm4py": xes_pm4py, "mine-opcanvas": mine_opcanvas,
         "mine-pm4py": mine_pm4py}  # fmt: skip

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in MODES:  # run_all.py runs every script bare
        sys.stdout.write(__doc__ or "")
        sys.exit(0)
    mode, *rest = sys.argv[1:]
    try:
        summary = MODES[mode](*rest)
    except Exception as exc:  # report, do not hide: the table shows it did not finish
        summary = {"error": f"{type(exc).__name__}: {exc}"}
    summary["peak_mb"] = peak_mb()
    sys.stdout.write(json.dumps(summary, default=str) + "\n")
    sys.exit(0 if "error" not in summary else 1)
