"""Mining: event logs → activity instances → per-step and per-stream statistics.

The public API:

- :func:`read_log` — XES(.gz), CSV(.gz), Parquet, OCEL 2.0, or a data frame → :class:`EventLog`
- :func:`mine` — an event log (and an optional step mapping) → :class:`MiningResult`
- :func:`mine_stream` — the same for a canvas stream, steps matched by name by default
- :func:`apply_measured` — a canvas copy with a result as the stream's measured values
- :func:`mine_into_canvas` — read, mine, write into the canvas file, compare (``opcanvas mine``)
- :func:`discover` — propose steps and a stream from an unmapped log
- :class:`TimeBasis` — elapsed or working time; :class:`ColumnMap` — source columns

>>> from opcanvas.mining import read_log, mine
>>> result = mine(read_log("../shared/data/logs/pm4py_running-example.xes"))  # doctest: +SKIP
>>> result.stream.cases  # doctest: +SKIP
6
"""

from opcanvas.mining.columns import ColumnMap
from opcanvas.mining.compare import Comparison
from opcanvas.mining.discover import Discovery, discover
from opcanvas.mining.engines import ENGINES, DuckDBEngine, Engine, SparkEngine, spark_session
from opcanvas.mining.eventlog import EventLog, ReadOptions
from opcanvas.mining.into_canvas import MineReport, mine_into_canvas, mine_stream
from opcanvas.mining.mapping import StreamMapping, load_mapping, stream_mapping
from opcanvas.mining.measured import apply_measured, measured_values
from opcanvas.mining.mine import MiningResult, MiningSettings, mine
from opcanvas.mining.quality import DataQuality
from opcanvas.mining.readers import read_log
from opcanvas.mining.timebasis import TimeBasis

__all__ = [
    "ENGINES",
    "ColumnMap",
    "Comparison",
    "DataQuality",
    "Discovery",
    "DuckDBEngine",
    "Engine",
    "EventLog",
    "MineReport",
    "MiningResult",
    "MiningSettings",
    "ReadOptions",
    "SparkEngine",
    "StreamMapping",
    "TimeBasis",
    "apply_measured",
    "discover",
    "load_mapping",
    "measured_values",
    "mine",
    "mine_into_canvas",
    "mine_stream",
    "read_log",
    "spark_session",
    "stream_mapping",
]
