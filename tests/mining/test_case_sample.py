"""The per-case sample (for the cycle-time scatter) and cumulative arrivals and departures.

Lead times are checked against pandas on the raw events, the pick against :mod:`hashlib`'s
MD5 of the case ids, and the cumulative flow against the case count and the WIP series.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from opcanvas.errors import EventLogError
from opcanvas.mining import MiningSettings, SparkEngine, TimeBasis, mine, read_log, spark_session
from opcanvas.mining.engines import make_engine
from opcanvas.mining.eventlog import iso
from opcanvas.mining.stream import case_sample, cumulative_flow
from opcanvas.mining.timebasis import DAY_US

RECEIPT = "pm4py_receipt.parquet"  # 8,577 events, 1,434 cases, complete timestamps only


def _leads(path: Path) -> pd.DataFrame:
    """Per case, independently of opcanvas: first and last event, lead in minutes."""
    events = pd.read_parquet(path, columns=["case:concept:name", "time:timestamp"])
    stamps = pd.to_datetime(events["time:timestamp"], utc=True)
    grouped = stamps.groupby(events["case:concept:name"])
    frame = pd.DataFrame({"first": grouped.min(), "last": grouped.max()})
    frame["lead"] = (frame["last"] - frame["first"]).dt.total_seconds() / 60
    return frame


def _md5(case: str) -> str:
    return hashlib.md5(case.encode()).hexdigest()  # a stable pick, not security


@pytest.fixture(scope="module")
def receipt(logs_dir: Path) -> tuple[Path, Any]:
    path = logs_dir / RECEIPT
    return path, read_log(path)


def test_sample_is_the_smallest_digests_with_the_true_lead_times(
    receipt: tuple[Path, Any],
) -> None:
    path, log = receipt
    truth = _leads(path)
    result = mine(log, settings=MiningSettings(case_sample=100))
    sample = result.stream.sample
    assert (sample.limit, sample.of, sample.complete) == (100, 1434, False)
    picked = [c.case for c in sample.cases]
    expected = sorted(truth.index, key=lambda c: (_md5(c), c))[:100]
    assert sorted(picked) == sorted(expected)
    for case in sample.cases:
        assert case.lead == pytest.approx(truth.loc[case.case, "lead"], abs=1e-6)
        assert case.finish == iso(int(truth.loc[case.case, "last"].value // 1000))
    # ordered by finish, then case id
    assert [(c.finish, c.case) for c in sample.cases] == sorted(
        (c.finish, c.case) for c in sample.cases
    )


def test_sample_is_the_same_on_every_run(receipt: tuple[Path, Any]) -> None:
    _, log = receipt
    settings = MiningSettings(case_sample=50)
    first = mine(log, settings=settings).stream.sample.to_dict()
    again = mine(log, settings=settings).stream.sample.to_dict()
    assert first == again and len(first["cases"]) == 50


def test_every_case_when_the_limit_covers_the_log(logs_dir: Path) -> None:
    path = logs_dir / "pm4py_running-example.xes"
    result = mine(read_log(path), settings=MiningSettings(case_sample=6))
    sample = result.stream.sample
    assert sample.complete and sorted(c.case for c in sample.cases) == list("123456")
    # case 1 of the textbook example runs 2010-12-30 11:02+01:00 to 2011-01-07 14:24+01:00:
    # 8 days 3 h 22 min, ending 13:24 UTC
    one = next(c for c in sample.cases if c.case == "1")
    assert one.lead == 8 * 1440 + 3 * 60 + 22
    assert one.finish == "2011-01-07T13:24:00Z"
    assert result.to_dict()["settings"]["case_sample"] == 6
    assert result.to_dict()["stream"]["sample"]["of"] == 6


def test_sample_leads_are_on_the_chosen_basis(receipt: tuple[Path, Any]) -> None:
    """With every case sampled, the sample's median is the stream's median lead time."""
    _, log = receipt
    basis = TimeBasis.working()
    result = mine(log, settings=MiningSettings(basis=basis, case_sample=5000))
    leads = [c.lead for c in result.stream.sample.cases]
    assert len(leads) == 1434
    assert float(np.median(leads)) == pytest.approx(result.stream.lead.median, rel=1e-12)
    assert float(np.mean(leads)) == pytest.approx(result.stream.lead.mean, rel=1e-9)
    elapsed = {c.case: c.lead for c in mine(log).stream.sample.cases}
    # working time never exceeds elapsed time, and is shorter for some case
    assert all(c.lead <= elapsed[c.case] + 1e-9 for c in result.stream.sample.cases)
    assert any(c.lead < elapsed[c.case] for c in result.stream.sample.cases)


def test_cumulative_flow_ends_at_the_case_count(receipt: tuple[Path, Any]) -> None:
    path, log = receipt
    stream = mine(log, settings=MiningSettings(case_sample=0)).stream
    flow = stream.cumulative
    assert stream.sample.cases == [] and flow[-1].arrivals == flow[-1].departures == 1434
    assert [(d.date, d.arrivals - d.departures) for d in flow] == stream.wip
    arrivals = [d.arrivals for d in flow]
    assert arrivals == sorted(arrivals) and all(d.departures <= d.arrivals for d in flow)
    # arrived by midnight starting day D: cases whose first event is before or at that midnight
    truth = _leads(path)
    middle = flow[len(flow) // 2]
    midnight = pd.Timestamp(middle.date, tz="UTC")
    assert middle.arrivals == int((truth["first"] <= midnight).sum())
    assert middle.departures == int((truth["last"] <= midnight).sum())
    entry = stream.to_dict()["cumulative"][len(flow) // 2]
    assert entry == {"date": middle.date, "arrivals": middle.arrivals,
                     "departures": middle.departures}  # fmt: skip


def test_a_negative_sample_size_is_refused() -> None:
    with pytest.raises(EventLogError, match="case sample size of 0 or more, got -1"):
        MiningSettings(case_sample=-1)


def _case_table(n: int) -> pa.Table:
    """A per-case table as :func:`per_case` makes it (times in µs), seeded."""
    rng = np.random.default_rng(11)
    first = rng.integers(0, 60 * DAY_US, n)
    lead = rng.integers(0, 9 * DAY_US, n)
    return pa.table({"case": [f"order-{i}" for i in range(n)], "real_first": first,
                     "real_last": first + lead, "lead": lead})  # fmt: skip


def test_sample_and_flow_from_a_case_table() -> None:
    table = _case_table(500)
    engine = make_engine("duckdb")
    try:
        sample = case_sample(engine, engine.table(table), 20, 500)
        flow = cumulative_flow(engine, engine.table(table))
    finally:
        engine.close()
    cases = table.column("case").to_pylist()
    assert sorted(c.case for c in sample.cases) == sorted(sorted(cases, key=_md5)[:20])
    leads = dict(zip(cases, table.column("lead").to_pylist(), strict=True))
    assert all(c.lead == leads[c.case] / 60e6 for c in sample.cases)
    assert flow[-1].arrivals == flow[-1].departures == 500


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    yield spark_session(partitions=2)  # shared with test_spark.py, which stops it


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.xdist_group("spark")
def test_spark_picks_the_same_sample_and_flow(spark: Any) -> None:
    """The pick of 20 of 500 cases and the daily flow on both engines (test_spark.py compares
    the whole mining result, sample and flow included, on the production log)."""
    table = _case_table(500)
    results = []
    for engine in (make_engine("duckdb"), SparkEngine(spark)):
        try:
            sample = case_sample(engine, engine.table(table), 20, 500)
            results.append((sample.to_dict(), cumulative_flow(engine, engine.table(table))))
        finally:
            engine.close()
    assert len(results[0][0]["cases"]) == 20 and results[0] == results[1]
