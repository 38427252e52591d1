"""One implementation, two engines: the full metric suite on Spark equals DuckDB's.

The queries are written once in Narwhals; here they run on PySpark in local mode against the
same canonical events. Results must agree exactly for counts and within 1e-12 relative for
means and quantiles (the engines add doubles in different orders).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from opcanvas.mining import MiningSettings, SparkEngine, TimeBasis, mine, read_log, spark_session

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.xdist_group("spark")]


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark session for the whole run (it takes seconds to start)."""
    session = spark_session(partitions=2)
    yield session
    session.stop()


def assert_same(a: Any, b: Any, path: str = "") -> None:
    if isinstance(a, dict):
        assert isinstance(b, dict) and sorted(a) == sorted(b), path
        for key in a:
            assert_same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list | tuple):
        assert isinstance(b, list | tuple) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9), (path, a, b)
    else:
        assert a == b, (path, a, b)


def test_spark_and_duckdb_agree_on_every_metric(spark: Any, logs_dir: Path) -> None:
    """Production has start/complete pairs (FIFO pairing), parallel instances, rework and
    handoffs; the working calendar adds the day-table join. Spark takes its quantiles the
    bounded way (the large-log way), DuckDB from aggregates: one run checks both."""
    log = read_log(logs_dir / "simod_Production.xes.gz")
    basis = TimeBasis.working(timezone="Europe/Amsterdam")
    on_duckdb = mine(log, settings=MiningSettings(basis=basis)).to_dict()
    engine = SparkEngine(spark)
    try:
        spark_settings = MiningSettings(basis=basis, engine="spark", quantiles="bounded")
        on_spark = mine(log, settings=spark_settings, engine=engine)
    finally:
        engine.close()
    result = on_spark.to_dict()
    assert result["settings"]["engine"] == "spark"
    result["settings"].update(engine="duckdb", quantiles="auto")
    assert on_duckdb["stream"]["cases"] > 0 and len(on_duckdb["steps"]) > 5
    assert_same(on_duckdb, result)
