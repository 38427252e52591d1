"""OCEL 2.0 (JSON, XML, SQLite) flattened on one object type into a case-centric log.

Each event related to an object of the chosen type becomes one row per such object: the
object id is the case, the event type the activity. Event attributes are kept as columns (so
one can be mapped to ``resource``). Columns are named with XES keys (``case:concept:name``,
``concept:name``, ``time:timestamp``) so the default mapping applies.

>>> # read_log("orders.jsonocel", object_type="Purchase Order")
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
from lxml import etree

from opcanvas.errors import EventLogError, Location
from opcanvas.mining.readers.limits import check_file, open_source
from opcanvas.mining.readers.xes import HEAD_BYTES, check_prolog

Event = tuple[str, str, str, list[str], dict[str, Any]]  # id, type, time, objects, attributes


def read_ocel(path: Path, kind: str, object_type: str | None, max_bytes: int) -> pa.Table:
    """The flattened table for ``object_type`` from an OCEL 2.0 file of ``kind``."""
    if kind == "ocel-sqlite":
        events, types = _sqlite(path)
    else:
        with open_source(path, max_bytes) as stream:
            data = stream.read()
        events, types = _json(data, path) if kind == "ocel-json" else _xml(data, path)
    return flatten(events, types, object_type, path)


def flatten(
    events: list[Event], types: dict[str, str], object_type: str | None, path: Path
) -> pa.Table:
    counts = Counter(types.values())
    listed = ", ".join(f'"{t}" ({n} objects)' for t, n in sorted(counts.items()))
    if object_type is None or object_type not in counts:
        what = "no object type given" if object_type is None else f'no object type "{object_type}"'
        raise EventLogError(
            f"{what}; an OCEL log is flattened on one object type. It has: {listed or 'none'}",
            where=Location(path),
            hint="choose one with --object-type (or `object_type:` in the mapping file)",
        )
    rows: dict[str, list[Any]] = {"ocel:eid": [], "case:concept:name": [], "concept:name": [],
                                  "time:timestamp": []}  # fmt: skip
    attributes: dict[str, list[Any]] = {}
    n = 0
    for eid, etype, time, objects, attrs in events:
        for oid in objects:
            if types.get(oid) != object_type:
                continue
            for key, column in (("ocel:eid", eid), ("case:concept:name", oid),
                                ("concept:name", etype), ("time:timestamp", time)):  # fmt: skip
                rows[key].append(column)
            for name, value in attrs.items():
                attributes.setdefault(name, [None] * n).append(
                    None if value is None else str(value)
                )
            n += 1
            for values in attributes.values():
                if len(values) < n:
                    values.append(None)
    table = {k: pa.array(v, pa.string()) for k, v in rows.items()}
    table.update({k: pa.array(v, pa.string()) for k, v in attributes.items() if k not in table})
    return pa.table(table)


def _json(data: bytes, path: Path) -> tuple[list[Event], dict[str, str]]:
    try:
        doc = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise EventLogError(f"malformed OCEL JSON: {exc}", where=Location(path)) from None
    if not isinstance(doc, dict) or "events" not in doc or "objects" not in doc:
        raise EventLogError(
            "expected an OCEL 2.0 JSON document with events and objects", where=Location(path)
        )
    types = {str(o["id"]): str(o["type"]) for o in doc["objects"]}
    events = [
        (str(e["id"]), str(e["type"]), str(e["time"]),
         [str(r["objectId"]) for r in e.get("relationships", [])],
         {a["name"]: a.get("value") for a in e.get("attributes", [])})
        for e in doc["events"]
    ]  # fmt: skip
    return events, types


def _xml(data: bytes, path: Path) -> tuple[list[Event], dict[str, str]]:
    check_prolog(data[:HEAD_BYTES], path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=True)  # fmt: skip
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise EventLogError(f"malformed OCEL XML: {exc.msg}", where=Location(path)) from None
    types = {o.get("id"): o.get("type") for o in root.iterfind("objects/object")}
    events: list[Event] = []
    for e in root.iterfind("events/event"):
        objects = [r.get("object-id") for r in e.iterfind("objects/relationship")]
        attrs = {a.get("name"): a.text for a in e.iterfind("attributes/attribute")}
        events.append((e.get("id"), e.get("type"), e.get("time"), objects, attrs))  # type: ignore[arg-type]
    return events, {str(k): str(v) for k, v in types.items()}


def _sqlite(path: Path) -> tuple[list[Event], dict[str, str]]:
    check_file(path)
    con = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        types = dict(con.execute("SELECT ocel_id, ocel_type FROM object").fetchall())
        links: dict[str, list[str]] = {}
        for eid, oid in con.execute("SELECT ocel_event_id, ocel_object_id FROM event_object"):
            links.setdefault(eid, []).append(oid)
        events: list[Event] = []
        for etype, suffix in con.execute("SELECT ocel_type, ocel_type_map FROM event_map_type"):
            table = "event_" + str(suffix).replace('"', '""')  # a name from the file
            cursor = con.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            for values in cursor:
                row = dict(zip(names, values, strict=True))
                eid = row.pop("ocel_id")
                time = row.pop("ocel_time")
                events.append((eid, etype, str(time), links.get(eid, []), row))
    except sqlite3.DatabaseError as exc:
        raise EventLogError(
            f"not an OCEL 2.0 SQLite database: {exc}", where=Location(path)
        ) from None
    finally:
        con.close()
    events.sort(key=lambda e: (e[2], e[0]))
    return events, {str(k): str(v) for k, v in types.items()}
