"""Every bad input named in the issue gets a clear message (what, where, how to fix)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest
from mining_helpers import at

from opcanvas.errors import EventLogError
from opcanvas.mining import ReadOptions, mine, read_log

HEADER = "case:concept:name,concept:name,time:timestamp\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_unparsable_timestamp_names_row_and_value(tmp_path: Path) -> None:
    rows = [f"c{i},A,2024-01-0{i}T10:00:00Z" for i in range(1, 6)]
    rows[3] = "c4,A,yesterday afternoon"
    path = write(tmp_path / "log.csv", HEADER + "\n".join(rows) + "\n")
    with pytest.raises(EventLogError) as caught:
        read_log(path)
    message = str(caught.value)
    assert 'row 4: "yesterday afternoon"' in message
    assert 'column "time:timestamp"' in message and "--timestamp-format" in message


def test_misspelt_column_lists_what_exists_and_the_closest(tmp_path: Path) -> None:
    path = write(tmp_path / "log.csv", "Case ID,Activity,Timestamp\nc,A,2024-01-01T10:00Z\n")
    with pytest.raises(EventLogError) as caught:
        read_log(path, columns={"case": "Case ID", "activity": "Activty", "timestamp": "Timestamp"})
    message = str(caught.value)
    assert 'activity column "Activty" not found; did you mean "Activity"?' in message
    assert '"Case ID", "Activity", "Timestamp"' in message
    assert str(path) in message


def test_default_columns_missing_say_no_column_was_named(tmp_path: Path) -> None:
    path = write(tmp_path / "log.csv", "Case ID,Activity,Timestamp\nc,A,2024-01-01T10:00Z\n")
    with pytest.raises(EventLogError, match='case column "case:concept:name" not found') as caught:
        read_log(path)
    assert "--case" in str(caught.value) and "XES default" in str(caught.value)


def test_mixed_time_zones_are_normalised_to_utc_and_reported(tmp_path: Path) -> None:
    text = (
        HEADER
        + "c,A,2024-03-30T10:00:00+01:00\nc,B,2024-03-31T12:00:00+02:00\nc,C,2024-03-31 11:00:00\n"
    )
    log = read_log(write(tmp_path / "log.csv", text))
    times = log.to_arrow().column("time").to_pylist()
    assert [t - times[0] for t in times] == [0, 25 * 3600 * 10**6, 26 * 3600 * 10**6]
    summary = log.quality.timestamps
    assert summary["mixed"] and summary["offsets"] == ["+01:00", "+02:00"]
    assert summary["without_offset"] == 1
    assert any("mixed time zones" in note for note in log.quality.notes())


def test_naive_timestamps_read_in_the_given_zone(tmp_path: Path) -> None:
    text = HEADER + "c,A,2024-07-01 10:00:00\n"
    utc = read_log(write(tmp_path / "log.csv", text)).to_arrow().column("time")[0].as_py()
    local = read_log(tmp_path / "log.csv", timezone="Europe/Amsterdam").to_arrow()
    assert utc - local.column("time")[0].as_py() == 2 * 3600 * 10**6


def test_events_out_of_order_are_counted_and_sorted() -> None:
    frame = pd.DataFrame(
        {
            "case:concept:name": ["c", "c", "c"],
            "concept:name": ["C", "A", "B"],
            "time:timestamp": [at(120), at(0), at(60)],
        }
    )
    log = read_log(frame)
    assert log.quality.out_of_order == 1
    result = mine(log)
    assert result.variants.top[0].steps == ("A", "B", "C")
    assert any("out of time order" in note for note in result.notes)


def test_duplicate_events_are_counted_and_dropped() -> None:
    frame = pd.DataFrame(
        {
            "case:concept:name": ["c"] * 3,
            "concept:name": ["A", "A", "B"],
            "time:timestamp": [at(0), at(0), at(30)],
        }
    )
    log = read_log(frame)
    assert (log.quality.duplicates, log.events, log.quality.events_read) == (1, 2, 3)
    assert "1 duplicate event(s) dropped" in " ".join(log.quality.notes())
    kept = read_log(frame, options=ReadOptions(drop_duplicates=False))
    assert kept.events == 3


def test_negative_durations_from_clock_skew_are_counted() -> None:
    frame = pd.DataFrame(
        {
            "case:concept:name": ["c", "c"],
            "concept:name": ["A", "B"],
            "start_timestamp": [at(0), at(90)],
            "time:timestamp": [at(30), at(60)],
        }
    )
    log = read_log(frame)
    assert log.quality.negative_durations == 1
    assert "1 start timestamp(s) after the end" in " ".join(log.quality.notes())
    b = mine(log).step("B")
    assert b.service is not None and b.service.count == 0  # unknown, not negative


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("log.csv", HEADER),
        ("log.xes", "<?xml version='1.0'?><log xmlns='http://www.xes-standard.org/'></log>"),
    ],
)
def test_empty_log_is_an_error(tmp_path: Path, name: str, text: str) -> None:
    path = write(tmp_path / name, text)
    with pytest.raises(EventLogError, match=r"no events|not found") as caught:
        read_log(path)
    assert str(path) in str(caught.value)


def test_empty_frame_is_an_error() -> None:
    frame = pd.DataFrame({"case:concept:name": [], "concept:name": [], "time:timestamp": []})
    with pytest.raises(EventLogError, match="the log has no events"):
        read_log(frame)


XES_EVENT = (
    "<trace><string key='concept:name' value='c'/><event><string key='concept:name' "
    "value='&x;'/><date key='time:timestamp' value='2024-01-01T00:00:00Z'/></event></trace>"
)


@pytest.mark.parametrize(
    "prolog",
    [
        "<!DOCTYPE log [<!ENTITY x 'boom'>]>",
        "<!DOCTYPE log SYSTEM 'http://example.invalid/x.dtd'>",
        "<!DOCTYPE log [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>",
    ],
)
def test_xes_with_doctype_or_entity_is_refused(tmp_path: Path, prolog: str) -> None:
    path = write(tmp_path / "evil.xes", f"<?xml version='1.0'?>{prolog}<log>{XES_EVENT}</log>")
    with pytest.raises(EventLogError, match="declares a DOCTYPE or ENTITY; refused") as caught:
        read_log(path)
    assert str(path) in str(caught.value)


def test_compressed_file_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.csv.gz"
    with gzip.open(path, "wt") as handle:
        handle.write(HEADER)
        handle.write("c,A,2024-01-01T00:00:00Z\n" * 200_000)  # ~5 MB from ~20 KB
    assert path.stat().st_size < 100_000
    with pytest.raises(
        EventLogError, match="expands beyond the limit of 1,000,000 bytes"
    ) as caught:
        read_log(path, options=ReadOptions(max_decompressed_bytes=1_000_000))
    assert "--max-decompressed-bytes" in str(caught.value)


def test_malformed_xes_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.xes", "<?xml version='1.0'?>\n<log>\n<trace>\n</log>\n")
    with pytest.raises(EventLogError, match="malformed XES") as caught:
        read_log(path)
    assert f"{path}:4" in str(caught.value)


def test_ambiguous_day_month_dates_ask_for_a_format(tmp_path: Path) -> None:
    path = write(tmp_path / "log.csv", HEADER + "c,A,03/04/2024 10:00\nc,B,05/06/2024 11:00\n")
    with pytest.raises(EventLogError, match="day-first and month-first"):
        read_log(path)
    log = read_log(path, timestamp_format="%d/%m/%Y %H:%M")
    assert log.quality.timestamps["format"] == "%d/%m/%Y %H:%M"


def test_unknown_suffix_missing_file_and_ocel_without_type(tmp_path: Path, logs_dir: Path) -> None:
    with pytest.raises(EventLogError, match="cannot tell the format"):
        read_log(write(tmp_path / "log.dat", "x"))
    with pytest.raises(EventLogError, match="no such event log file"):
        read_log(tmp_path / "missing.csv")
    with pytest.raises(EventLogError, match=r'"Invoice" \(3 objects\)'):
        read_log(logs_dir / "ocel" / "pm4py_ocel20_example.jsonocel")


def test_mapping_an_activity_to_two_steps_is_an_error(tmp_path: Path) -> None:
    log = read_log(write(tmp_path / "log.csv", HEADER + "c,A,2024-01-01T00:00:00Z\n"))
    with pytest.raises(EventLogError, match='"A" is mapped to two steps'):
        mine(log, {"s1": ["A"], "s2": ["A"]})
    with pytest.raises(EventLogError, match="none of the mapped activities"):
        mine(log, {"s1": ["Nope"]})
