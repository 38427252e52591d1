"""Cross-checks against pm4py, the field's reference library (a dev dependency, AGPL: never
imported by ``src/``). Every figure must agree within 1e-9 relative, or the difference is
explained and removed on the pm4py side before comparing.

Explained differences:
- Duplicate events (same case, activity, timestamp, resource) in single-timestamp logs: opcanvas
  drops them and reports the count; pm4py keeps them. Sepsis has 7; pm4py is run on the log
  without them.
- pm4py pairs start/complete events in file order; opcanvas pairs in time order (ties: start
  first, then file order). pm4py gives a complete without a start a zero service time;
  opcanvas leaves its service time unknown. pm4py is run on time-sorted traces with those
  instances removed.
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from opcanvas.mining import MiningResult, MiningSettings, mine, read_log

CASE, ACT, TIME, START = "case:concept:name", "concept:name", "time:timestamp", "start_timestamp"
REL = 1e-9


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """pm4py prints a banner and warns about optional accelerators."""
    with (
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        yield


@pytest.fixture(scope="module")
def pm4py() -> Any:
    with quiet():
        import pm4py as module
    return module


def pm_frame(pm4py: Any, path: Path) -> pd.DataFrame:
    with quiet():
        if path.name.endswith((".xes", ".xes.gz")):
            frame = pm4py.read_xes(str(path), show_progress_bar=False)
        elif path.suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path)
            frame[TIME] = pd.to_datetime(frame[TIME], format="ISO8601", utc=True)
        return pm4py.format_dataframe(frame, case_id=CASE, activity_key=ACT, timestamp_key=TIME)


def mined(path: Path) -> MiningResult:
    return mine(read_log(path), settings=MiningSettings(top_variants=100_000))


def close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=REL, abs_tol=1e-12)


def assert_same_log(pm4py: Any, frame: pd.DataFrame, result: MiningResult) -> None:
    """Cases, variants with counts, case durations, directly-follows edges."""
    with quiet():
        variants = pm4py.get_variants(frame)
        durations = np.asarray(pm4py.get_all_case_durations(frame)) / 60
        counts, _, _ = pm4py.discover_dfg(frame)
        performance, _, _ = pm4py.discover_performance_dfg(frame)
    assert result.stream.cases == frame[CASE].nunique()
    assert result.variants.count == len(variants)
    assert {v.steps: v.cases for v in result.variants.top} == {
        tuple(k): int(n) for k, n in variants.items()
    }
    lead = result.stream.lead
    expected = (
        durations.mean(),
        np.median(durations),
        np.percentile(durations, 85),
        np.percentile(durations, 95),
        durations.min(),
        durations.max(),
    )
    got = (lead.mean, lead.median, lead.p85, lead.p95, lead.min, lead.max)
    assert all(close(g, e) for g, e in zip(got, expected, strict=True)), (got, expected)
    edges = {(e.source, e.target): e for e in result.edges}
    assert set(edges) == set(counts)
    for key, count in counts.items():
        edge = edges[key]
        assert edge.count == count, key
        assert close(edge.duration.mean, performance[key]["mean"] / 60), key
        assert close(edge.duration.median, performance[key]["median"] / 60), key


@pytest.mark.parametrize(
    "name",
    [
        "pm4py_running-example.xes",
        "pm4py_08_receipt.xes.gz",
        "pm4py_receipt.csv.gz",
        "pm4py_receipt.parquet",
    ],
)
def test_single_timestamp_logs_match_pm4py(pm4py: Any, logs_dir: Path, name: str) -> None:
    result = mined(logs_dir / name)
    assert not result.service_time_available
    assert_same_log(pm4py, pm_frame(pm4py, logs_dir / name), result)


def test_receipt_reads_the_same_from_xes_csv_and_parquet(logs_dir: Path) -> None:
    """The Parquet copy holds naive wall-clock times of the Netherlands (offsets dropped)."""
    zones = {
        "pm4py_08_receipt.xes.gz": "UTC",
        "pm4py_receipt.csv.gz": "UTC",
        "pm4py_receipt.parquet": "Europe/Amsterdam",
    }
    tables = [
        read_log(logs_dir / name, timezone=zone)
        .to_arrow()
        .drop_columns(["row"])
        .sort_by([("case", "ascending"), ("time", "ascending"), ("activity", "ascending")])
        for name, zone in zones.items()
    ]
    assert tables[0].num_rows == 8577
    assert tables[0].equals(tables[1]) and tables[0].equals(tables[2])


def test_sepsis_matches_pm4py_without_its_duplicates(pm4py: Any, logs_dir: Path) -> None:
    path = logs_dir / "rust4pm_Sepsis_Cases_-_Event_Log.xes.gz"
    result = mined(path)
    assert result.log["quality"]["duplicates"] == 7
    frame = pm_frame(pm4py, path)
    keys = [CASE, ACT, TIME, "org:group"]  # the log has no org:resource
    deduplicated = frame.drop_duplicates(subset=keys).reset_index(drop=True)
    assert len(frame) - len(deduplicated) == 7
    with quiet():
        deduplicated = pm4py.format_dataframe(
            deduplicated.drop(columns=["@@index", "@@case_index"]),
            case_id=CASE,
            activity_key=ACT,
            timestamp_key=TIME,
        )
    assert_same_log(pm4py, deduplicated, result)


def production_intervals(pm4py: Any, path: Path) -> pd.DataFrame:
    """pm4py's interval log, paired on time-sorted traces, complete-only instances removed."""
    with quiet():
        from pm4py.objects.log.util import interval_lifecycle

        log = pm4py.read_xes(str(path), show_progress_bar=False, return_legacy_log_object=True)
        for trace in log:
            order = sorted(
                enumerate(trace),
                key=lambda ie: (
                    ie[1][TIME],
                    ie[1]["lifecycle:transition"].lower() != "start",
                    ie[0],
                ),
            )
            trace._list = [event for _, event in order]
        frame = pm4py.convert_to_dataframe(interval_lifecycle.to_interval(log))
        frame = frame[frame["@@startevent_concept:name"].notna()]
        return pm4py.format_dataframe(
            frame, case_id=CASE, activity_key=ACT, timestamp_key=TIME, start_timestamp_key=START
        )


def test_production_service_times_match_pm4py(pm4py: Any, logs_dir: Path) -> None:
    path = logs_dir / "simod_Production.xes.gz"
    result = mined(path)
    assert result.counts.time_model == "lifecycle"
    assert (result.counts.unmatched_completes, result.counts.unmatched_starts) == (0, 0)
    assert result.log["quality"]["duplicates"] == 120  # parallel executions, kept and paired
    frame = production_intervals(pm4py, path)
    with quiet():
        means = pm4py.get_service_time(
            frame, aggregation_measure="mean", start_timestamp_key=START, timestamp_key=TIME
        )
        medians = pm4py.get_service_time(
            frame, aggregation_measure="median", start_timestamp_key=START, timestamp_key=TIME
        )
    assert {s.step for s in result.steps} == set(means)
    for step in result.steps:
        assert step.service is not None
        assert close(step.service.mean, means[step.step] / 60), step.step
        assert close(step.service.median, medians[step.step] / 60), step.step


def test_production_edges_with_start_times_match_pm4py(pm4py: Any, logs_dir: Path) -> None:
    path = logs_dir / "simod_Production.xes.gz"
    result = mined(path)
    frame = production_intervals(pm4py, path)
    with quiet():
        from pm4py.algo.discovery.dfg.adapters.pandas import df_statistics

        counts, performance = df_statistics.get_dfg_graph(
            frame,
            measure="both",
            activity_key=ACT,
            case_id_glue=CASE,
            timestamp_key=TIME,
            start_timestamp_key=START,
            perf_aggregation_key="all",
        )
        variants = pm4py.get_variants(frame)
    edges = {(e.source, e.target): e for e in result.edges}
    assert set(edges) == set(counts)
    for key, count in counts.items():
        assert edges[key].count == count
        assert close(edges[key].duration.mean, performance[key]["mean"] / 60), key
        assert close(edges[key].duration.median, performance[key]["median"] / 60), key
    assert result.variants.count == len(variants) == 217


def test_production_case_durations_match_pm4py_on_lifecycle_events(
    pm4py: Any, logs_dir: Path
) -> None:
    """Every start and complete pairs here, so first event → last event is the lead time."""
    path = logs_dir / "simod_Production.xes.gz"
    lead = mined(path).stream.lead
    with quiet():
        durations = np.asarray(pm4py.get_all_case_durations(pm_frame(pm4py, path))) / 60
    assert lead.count == len(durations) == 225
    assert close(lead.mean, durations.mean()) and close(lead.median, np.median(durations))
    assert close(lead.max, durations.max()) and close(lead.min, durations.min())
