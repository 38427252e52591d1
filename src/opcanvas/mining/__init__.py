"""Mining: event logs → activity instances → per-step and per-stream statistics."""

from opcanvas.mining.columns import ColumnMap
from opcanvas.mining.eventlog import EventLog, ReadOptions
from opcanvas.mining.mine import MiningResult, MiningSettings, mine
from opcanvas.mining.readers import read_log
from opcanvas.mining.timebasis import TimeBasis

__all__ = [
    "ColumnMap",
    "EventLog",
    "MiningResult",
    "MiningSettings",
    "ReadOptions",
    "TimeBasis",
    "mine",
    "read_log",
]
