"""Event logs from a canvas: structure, the working calendar, file formats, and mining them
back recovers the configured service times, waits, rework and routing."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from math import sqrt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from lxml import etree
from simkit import REF, build

from opcanvas.canvas.templates import sample_canvas
from opcanvas.errors import EventLogError
from opcanvas.simulate import SimulationSettings, event_log, write_event_log

MONDAY = datetime(2025, 1, 6, 9, tzinfo=UTC)
STEPS = [
    {"id": "intake", "name": "Intake", "lane": "Desk", "people": 2, "process_time": "30min"},
    {"id": "review", "name": "Review", "lane": "Review", "role": "Reviewer", "people": 1,
     "process_time": "15min", "complete_accurate": "80%"},
    {"id": "decide", "name": "Decide", "lane": "Review", "people": 1, "process_time": "10min",
     "branches": [{"to": "approve", "probability": "70%"},
                  {"to": "escalate", "probability": "30%"}]},
    {"id": "approve", "name": "Approve", "lane": "Desk", "people": 1, "process_time": "15min"},
    {"id": "escalate", "name": "Escalate", "lane": "Managers", "people": 2,
     "process_time": "1h"},
]  # fmt: skip
MEANS = {"Intake": 30.0, "Review": 15.0, "Decide": 10.0, "Approve": 15.0, "Escalate": 60.0}
CASES = 3000


@cache
def sample_log() -> pa.Table:
    canvas = build(STEPS, demand="2/h", calendar={"basis": "working"})
    return event_log(canvas, REF, cases=CASES, start=MONDAY,
                     settings=SimulationSettings(service="exponential"))  # fmt: skip


def working_minutes(stamps: pa.ChunkedArray) -> np.ndarray:
    """Minutes of work since Monday 6 January 2025 09:00 on 09:00–17:00, Monday–Friday,
    computed here independently of the simulator's calendar."""
    ms = stamps.cast(pa.int64()).to_numpy() - int(MONDAY.timestamp() * 1000) + 9 * 3_600_000
    days, within = np.divmod(ms, 86_400_000)  # since Monday 00:00
    weeks, weekday = np.divmod(days, 7)
    assert np.all(weekday < 5), "an event on a weekend"
    minute = within / 60_000 - 9 * 60
    assert np.all((minute >= 0) & (minute <= 480)), "an event outside working hours"
    return (weeks * 5 + weekday) * 480 + minute


def activities() -> dict[str, np.ndarray]:
    """Columns of activity instances, pairing each start with the next complete."""
    log = sample_log()
    lifecycle = np.array(log.column("lifecycle:transition").to_pylist())
    assert np.all(lifecycle[0::2] == "start") and np.all(lifecycle[1::2] == "complete")
    t = working_minutes(log.column("time:timestamp"))
    names = np.array(log.column("concept:name").to_pylist())
    cases = np.array(log.column("case:concept:name").to_pylist())
    assert np.array_equal(names[0::2], names[1::2]) and np.array_equal(cases[0::2], cases[1::2])
    arrival = working_minutes(log.column("case:arrival"))[0::2]
    case, start, end = cases[0::2], t[0::2], t[1::2]
    first = np.r_[True, case[1:] != case[:-1]]
    before = np.where(first, arrival, np.r_[0.0, end[:-1]])  # previous complete, or arrival
    return {"case": case, "name": names[0::2], "start": start, "end": end, "wait": start - before}


def test_columns_types_and_order() -> None:
    log = sample_log()
    assert log.column_names == [
        "case:concept:name", "concept:name", "lifecycle:transition", "time:timestamp",
        "org:resource", "org:role", "step", "case:stream", "case:scenario", "case:outcome",
        "case:arrival",
    ]  # fmt: skip
    assert log.schema.field("time:timestamp").type == pa.timestamp("ms", tz="UTC")
    inst = activities()
    assert np.all(inst["end"] >= inst["start"]) and np.all(inst["wait"] >= -1e-3)
    assert len(set(inst["case"].tolist())) == CASES
    assert set(log.column("case:outcome").to_pylist()) == {"completed"}


def test_resources_are_named_by_lane_and_number_across_the_lane() -> None:
    log = sample_log()
    names = np.array(log.column("concept:name").to_pylist())
    resources = np.array(log.column("org:resource").to_pylist())
    roles = np.array(log.column("org:role").to_pylist())
    expected = {"Intake": {"Desk 1", "Desk 2"}, "Approve": {"Desk 3"}, "Review": {"Review 1"},
                "Decide": {"Review 2"}, "Escalate": {"Managers 1", "Managers 2"}}  # fmt: skip
    for name, people in expected.items():
        assert set(resources[names == name].tolist()) == people
    assert set(roles[names == "Review"].tolist()) == {"Reviewer"}  # the role, else the lane
    assert set(roles[names == "Intake"].tolist()) == {"Desk"}


def test_mined_service_times_match_the_canvas() -> None:
    inst = activities()
    for name, mean in MEANS.items():
        service = inst["end"][inst["name"] == name] - inst["start"][inst["name"] == name]
        standard_error = mean / sqrt(service.size)  # exponential: sd = mean
        assert abs(service.mean() - mean) < 4 * standard_error, (name, service.mean())


def erlang_c_wait(servers: int, rate: float, service: float) -> float:
    a = rate * service
    top = a**servers / np.prod(np.arange(1, servers + 1)) * servers / (servers - a)
    below = sum(a**k / np.prod(np.arange(1, k + 1)) for k in range(servers))
    return float(top / (below + top) * service / (servers - a))


def test_mined_waits_match_queueing_theory_within_sampling_error() -> None:
    # an open Jackson network: each step queues like M/M/c at its own arrival rate
    rate = 1 / 30
    expected = {
        "Intake": erlang_c_wait(2, rate, 30), "Review": erlang_c_wait(1, rate * 1.25, 15),
        "Decide": erlang_c_wait(1, rate, 10), "Approve": erlang_c_wait(1, rate * 0.7, 15),
        "Escalate": erlang_c_wait(2, rate * 0.3, 60),
    }  # fmt: skip
    inst = activities()
    order = np.unique(inst["case"], return_inverse=True)[1]
    batch = order * 10 // CASES  # ten batches of cases, in arrival order (batch means)
    for name, wait in expected.items():
        mask = inst["name"] == name
        means = [inst["wait"][mask & (batch == b)].mean() for b in range(10)]
        half = 2.262 * np.std(means, ddof=1) / sqrt(10)  # t(0.975, 9)
        assert abs(np.mean(means) - wait) < half, (name, np.mean(means), wait, half)


def test_mined_rework_and_routing_match_the_canvas() -> None:
    inst = activities()
    review = inst["name"] == "Review"
    again = review[:-1] & review[1:] & (inst["case"][:-1] == inst["case"][1:])
    repeat_share = again.sum() / review.sum()  # a review followed by another review
    assert abs(repeat_share - 0.2) < 4 * sqrt(0.16 / review.sum())
    approved = np.unique(inst["case"][inst["name"] == "Approve"]).size / CASES
    assert abs(approved - 0.7) < 4 * sqrt(0.21 / CASES)
    escalated = np.unique(inst["case"][inst["name"] == "Escalate"]).size / CASES
    assert approved + escalated == pytest.approx(1.0)


def test_the_opcanvas_miner_recovers_the_configuration(tmp_path: Path) -> None:
    from opcanvas.mining import MiningSettings, TimeBasis, mine, read_log

    path = write_event_log(sample_log(), tmp_path / "log.parquet")
    result = mine(read_log(path), settings=MiningSettings(basis=TimeBasis.working()))
    by_name = {s.activities[0]: s for s in result.steps}
    for name, mean in MEANS.items():
        service = by_name[name].service
        assert service is not None and service.mean is not None
        assert abs(service.mean - mean) < 4 * mean / sqrt(service.count), name
    review = by_name["Review"]
    assert abs(review.first_pass_yield - 0.8) < 4 * sqrt(0.16 / CASES)
    assert abs(by_name["Approve"].reach - 0.7) < 4 * sqrt(0.21 / CASES)


def test_working_hours_follow_the_zone_of_start() -> None:
    canvas = build(STEPS[:1], demand="2/h", calendar={"basis": "working"})
    start = datetime(2025, 1, 6, 9, tzinfo=timezone(timedelta(hours=2)))  # 07:00 UTC
    log = event_log(canvas, REF, cases=200, start=start)
    hours = (log.column("time:timestamp").cast(pa.int64()).to_numpy() // 3_600_000) % 24
    assert hours.min() >= 7 and hours.max() <= 15  # 09:00–17:00 at UTC+2


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xes", ".xes.gz"])
def test_every_format_round_trips(tmp_path: Path, suffix: str) -> None:
    log = sample_log().slice(0, 400)
    path = write_event_log(log, tmp_path / f"log{suffix}")
    if suffix == ".parquet":
        assert pq.read_table(path).equals(log)
    elif suffix == ".csv":
        back = pa_csv.read_csv(path)
        assert back.num_rows == log.num_rows and back.column_names == log.column_names
        stamps = back.column("time:timestamp").cast(pa.timestamp("ms", tz="UTC"))
        assert stamps.equals(log.column("time:timestamp"))
    else:
        root = etree.parse(str(path)).getroot()  # gzip is read transparently
        ns = {"x": "http://www.xes-standard.org/"}
        assert root.get("xes.version") == "1849-2016"
        traces = root.findall("x:trace", ns)
        assert len(traces) == len(set(log.column("case:concept:name").to_pylist()))
        assert len(root.findall("x:trace/x:event", ns)) == log.num_rows
        first = traces[0].find("x:event/x:date[@key='time:timestamp']", ns)
        assert first is not None and first.get("value", "").endswith("+00:00")


def test_pm4py_reads_the_xes(tmp_path: Path) -> None:
    log = sample_log().slice(0, 600)
    path = write_event_log(log, tmp_path / "log.xes")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pm4py announces optional speed-ups on import
        import pm4py

        frame = pm4py.read_xes(str(path), show_progress_bar=False)
    assert len(frame) == log.num_rows
    assert frame["case:concept:name"].nunique() == len(set(log.column("case:concept:name")))
    assert set(frame["lifecycle:transition"]) == {"start", "complete"}
    assert str(frame["time:timestamp"].dt.tz) == "UTC"
    assert set(frame["case:outcome"]) == {"completed"}


def test_an_unknown_suffix_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EventLogError, match=r'cannot write an event log as "\.json"'):
        write_event_log(sample_log(), tmp_path / "log.json")
    assert not list(tmp_path.iterdir())  # nothing half-written


@pytest.mark.parametrize("ref", ["growth/mql-to-close", "efficiency/incident-to-resolution"])
def test_the_sample_canvas_streams_make_logs(ref: str) -> None:
    canvas = sample_canvas()
    log = event_log(canvas, ref, cases=300, start=MONDAY)
    stream = canvas.stream(ref)
    assert set(log.column("step").to_pylist()) <= {s.id for s in stream.steps}
    assert set(log.column("case:outcome").to_pylist()) <= {"completed", "dropped"}
    assert len(set(log.column("case:concept:name").to_pylist())) == 300


def test_the_xes_follows_the_ieee_1849_2016_structure(tmp_path: Path) -> None:
    """No XSD ships with the tools here, so the schema's rules are checked one by one."""
    path = write_event_log(sample_log().slice(0, 300), tmp_path / "log.xes")
    root = etree.parse(str(path)).getroot()
    ns = "{http://www.xes-standard.org/}"
    order = ["extension", "global", "classifier", "attribute", "trace"]
    attribute_tags = {"string", "date", "int", "float", "boolean"}

    def kind(element: etree._Element) -> str:
        tag = element.tag.removeprefix(ns)
        return "attribute" if tag in attribute_tags else tag

    kinds = [kind(child) for child in root]
    assert kinds == sorted(kinds, key=order.index)  # the sequence the schema prescribes
    prefixes = {e.get("prefix") for e in root.findall(f"{ns}extension")}
    assert prefixes == {"concept", "lifecycle", "time", "org"}
    assert {g.get("scope") for g in root.findall(f"{ns}global")} == {"trace", "event"}
    date = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$"
    for element in root.iter():
        if kind(element) == "attribute":
            assert element.get("key") and element.get("value") is not None
            if element.tag == f"{ns}date":
                assert re.match(date, element.get("value", "")), element.get("value")
    for trace in root.findall(f"{ns}trace"):
        inner = [kind(child) for child in trace]
        assert inner == sorted(inner, key=["attribute", "event"].index)
        assert trace.find(f"{ns}string[@key='concept:name']") is not None
