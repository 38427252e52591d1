"""Readers: every format lands as the same canonical events."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from opcanvas.mining import ReadOptions, mine, read_log
from opcanvas.mining.readers import xes

SEPSIS_CSV_COLUMNS = {
    "case": "Case ID",
    "activity": "Activity",
    "timestamp": "Complete Timestamp",
    "role": "org:group",
}


@pytest.mark.parametrize(
    ("name", "events", "cases", "model"),
    [
        ("pm4py_running-example.xes", 42, 6, "single"),
        ("pm4py_08_receipt.xes.gz", 8577, 1434, "single"),
        ("simod_Production.xes.gz", 9906, 225, "lifecycle"),
        ("pm4py_interval_event_log.xes.gz", 8109, 1266, "intervals"),
        ("pm4py_helpdesk.xes.gz", 21348, 4580, "single"),
    ],
)
def test_real_logs_read_with_xes_defaults(
    logs_dir: Path, name: str, events: int, cases: int, model: str
) -> None:
    log = read_log(logs_dir / name)
    assert (log.quality.events_read, log.cases, log.time_model) == (events, cases, model)
    assert len(log.source.sha256 or "") == 64


def test_sepsis_csv_and_xes_hold_the_same_events(logs_dir: Path) -> None:
    from_csv = read_log(
        logs_dir / "eventdataR_sepsis.csv.gz",
        columns=SEPSIS_CSV_COLUMNS,
        timezone="Europe/Amsterdam",
    )
    from_xes = read_log(logs_dir / "rust4pm_Sepsis_Cases_-_Event_Log.xes.gz")
    assert from_csv.source.details["delimiter"] == ";"
    assert from_csv.quality.timestamps["format"] == "%Y/%m/%d %H:%M:%S.%f"
    assert (from_csv.events, from_csv.cases) == (from_xes.events, from_xes.cases) == (15207, 1050)

    def key(log: object) -> pa.Table:
        table = log.to_arrow()  # type: ignore[attr-defined]
        return table.select(["case", "activity", "time"]).sort_by(
            [("case", "ascending"), ("time", "ascending"), ("activity", "ascending")]
        )

    assert key(from_csv).equals(key(from_xes))


def test_ocel_formats_flatten_to_the_same_cases(logs_dir: Path) -> None:
    shapes = []
    for suffix in ("jsonocel", "xmlocel", "sqlite"):
        log = read_log(
            logs_dir / "ocel" / f"pm4py_ocel20_example.{suffix}", object_type="Purchase Order"
        )
        table = log.to_arrow()
        shapes.append(
            sorted(zip(table["case"].to_pylist(), table["activity"].to_pylist(), strict=True))
        )
        assert log.source.details["object_type"] == "Purchase Order"
    assert shapes[0] == shapes[1] == shapes[2]
    assert shapes[0] == [
        ("PO1", "Change PO Quantity"),
        ("PO1", "Create Purchase Order"),
        ("PO1", "Insert Invoice"),
        ("PO1", "Insert Invoice"),
        ("PO2", "Create Purchase Order"),
    ]


def test_ocel_event_attributes_can_be_mapped_to_resource(logs_dir: Path) -> None:
    log = read_log(
        logs_dir / "ocel" / "pm4py_ocel20_example.jsonocel",
        object_type="Purchase Requisition",
        columns={"resource": "pr_creator"},
    )
    resources = set(log.to_arrow()["resource"].to_pylist()) - {None}
    assert resources == {"Mike"}


def test_frames_from_pandas_and_arrow() -> None:
    data = {
        "case:concept:name": ["a", "a"],
        "concept:name": ["X", "Y"],
        "time:timestamp": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 11:30"], utc=True),
    }
    frame = pd.DataFrame(data)
    for source in (frame, pa.Table.from_pandas(frame)):
        result = mine(read_log(source))
        assert result.stream.lead.mean == 90.0


def test_csv_sniffs_semicolons_quotes_and_a_legacy_encoding(tmp_path: Path) -> None:
    text = (
        'Case;Activité;When\n"c;1";"Prüfen; schnell";2024-01-01 10:00\n'
        '"c;1";Ende;2024-01-01 12:00\n'
    )
    path = tmp_path / "log.csv"
    path.write_bytes(text.encode("cp1252"))
    log = read_log(path, columns={"case": "Case", "activity": "Activité", "timestamp": "When"})
    assert log.source.details == {"encoding": "cp1252", "delimiter": ";", "quote": '"'}
    table = log.to_arrow()
    assert table["case"].to_pylist() == ["c;1", "c;1"]
    assert table["activity"].to_pylist() == ["Prüfen; schnell", "Ende"]


def test_streamed_xes_chunks_and_parquet_spill_change_nothing(
    logs_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = logs_dir / "pm4py_08_receipt.xes.gz"
    whole = read_log(path)
    monkeypatch.setattr(xes, "CHUNK_EVENTS", 500)
    spilled = read_log(path, options=ReadOptions(spill_rows=1000))
    assert isinstance(spilled.data, Path) and not isinstance(whole.data, Path)
    assert spilled.to_arrow().equals(whole.to_arrow())
    assert mine(spilled).to_dict()["stream"] == mine(whole).to_dict()["stream"]


def test_epoch_timestamps_need_their_unit() -> None:
    frame = pd.DataFrame(
        {
            "case:concept:name": ["a", "a"],
            "concept:name": ["X", "Y"],
            "time:timestamp": [1_700_000_000, 1_700_003_600],
        }
    )
    log = read_log(frame, timestamp_format="epoch_s")
    assert mine(log).stream.lead.mean == 60.0
