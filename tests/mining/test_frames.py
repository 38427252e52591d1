"""Event logs handed over as data frames: pandas, Polars (eager and lazy) and pyarrow give the
same result as the file they came from."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from opcanvas.errors import EventLogError
from opcanvas.mining import mine, read_log

COLUMNS = {"case": "case:concept:name", "activity": "concept:name", "timestamp": "time:timestamp",
           "resource": "org:resource"}  # fmt: skip


@pytest.fixture(scope="module")
def receipt(logs_dir: Path) -> tuple[Path, dict[str, object]]:
    path = logs_dir / "pm4py_receipt.parquet"
    return path, mine(read_log(path, columns=COLUMNS)).to_dict()


def _without_source(result: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in result.items() if k != "log"}


@pytest.mark.parametrize("kind", ["polars", "polars-lazy", "pandas", "arrow"])
def test_a_frame_mines_like_its_file(receipt: tuple[Path, dict[str, object]], kind: str) -> None:
    path, expected = receipt
    table = pq.read_table(path)
    frames = {
        "polars": lambda: pl.from_arrow(table),
        "polars-lazy": lambda: pl.from_arrow(table).lazy(),  # type: ignore[union-attr]
        "pandas": lambda: table.to_pandas(),
        "arrow": lambda: table,
    }
    log = read_log(frames[kind](), columns=COLUMNS)
    assert log.source.name.startswith(f"<{kind.split('-')[0].replace('arrow', 'pyarrow')} ")
    result = mine(log).to_dict()
    assert _without_source(result) == _without_source(expected)
    assert result["stream"]["cases"] == 1434  # type: ignore[index]


def test_a_polars_frame_with_a_misspelt_column_names_the_ones_it_has() -> None:
    frame = pl.DataFrame({"case": ["a"], "activity": ["X"], "when": ["2024-01-01 10:00"]})
    with pytest.raises(EventLogError, match="when"):
        read_log(frame, columns={"timestamp": "time"})


def test_something_that_is_not_a_frame_is_refused() -> None:
    with pytest.raises(EventLogError, match="cannot read a dict as an event log"):
        read_log({"case": [1]})  # type: ignore[arg-type]


def test_pandas_and_polars_frames_agree_on_a_small_log() -> None:
    data = {
        "case:concept:name": ["a", "a", "b"],
        "concept:name": ["X", "Y", "X"],
        "time:timestamp": pd.to_datetime(
            ["2024-01-01 10:00", "2024-01-01 11:30", "2024-01-02 09:00"], utc=True
        ),
    }
    results = [mine(read_log(f)).stream.lead.mean for f in (pd.DataFrame(data), pl.DataFrame(data))]
    assert results == [45.0, 45.0]  # a: 90 min, b: one event, 0 min
