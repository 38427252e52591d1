"""Charts for the deliverables: one import for every chart, its inputs and the SVG/PNG export.

Each chart function takes plain inputs (small frozen dataclasses defined beside it, numbers in
canonical units: minutes, fractions, currency units) and returns an Altair chart. Render with
:func:`to_svg` (a standalone SVG document, byte-identical for identical input) or
:func:`to_png`. The ``*_from_*`` adapters turn the results of flow, value, roadmap and mining
into those inputs.

=========================  ==================================================================
chart                      function
=========================  ==================================================================
lead-time build-up         :func:`lead_time_chart` (:class:`StepTime`, :class:`StreamTotals`)
Pareto of gap values       :func:`pareto_chart` (:class:`ValueItem`; numbers: :func:`pareto_rows`)
priority matrix            :func:`priority_matrix_chart` (:class:`PriorityPoint`)
Monte Carlo distribution   :func:`value_distribution_chart` (samples)
tornado                    :func:`tornado_chart` (:class:`SwingBar`)
roadmap Gantt + value      :func:`roadmap_chart` (:class:`GanttBar`, :class:`SprintSpan`,
                           :class:`ValuePoint`)
KPI target vs actual       :func:`kpi_chart` (:class:`KpiBar`; judgement: :func:`kpi_status`)
cycle-time scatter         :func:`cycle_time_scatter` (:class:`CasePoint`;
                           numbers: :func:`percentile_lines`)
cumulative flow diagram    :func:`cumulative_flow_chart` (:class:`FlowBand`;
                           from case times: :func:`arrivals_departures`)
=========================  ==================================================================

Adapters (:mod:`opcanvas.render.charts_adapters`): :func:`steps_from_flow` (a ``StreamFlow``),
:func:`pareto_items_from_values`, :func:`priority_points_from_ranking`,
:func:`swing_bars_from_value`, :func:`distribution_chart_from_value` (``GapValue`` and
``RankedGap``), :func:`gantt_from_roadmap` (a ``Roadmap``), :func:`kpi_bars_from_canvas`,
:func:`wip_from_mining` (a ``MiningResult``) and :func:`case_points_from_lists`.

>>> svg = to_svg(pareto_chart([ValueItem("Proposal automation", 1_440_000)]))
>>> "$1.44M" in svg and "100%" in svg
True
"""

from opcanvas.render.charts_adapters import (
    case_points_from_lists,
    distribution_chart_from_value,
    gantt_from_roadmap,
    kpi_bars_from_canvas,
    pareto_items_from_values,
    priority_points_from_ranking,
    steps_from_flow,
    swing_bars_from_value,
    wip_from_mining,
)
from opcanvas.render.charts_base import (
    CATEGORY,
    FONT,
    TimeUnit,
    time_unit,
    to_png,
    to_svg,
)
from opcanvas.render.charts_events import (
    CasePoint,
    FlowBand,
    PercentileLine,
    arrivals_departures,
    cumulative_flow_chart,
    cycle_time_scatter,
    percentile_lines,
)
from opcanvas.render.charts_flow import StepTime, StreamTotals, lead_time_chart
from opcanvas.render.charts_plan import (
    GanttBar,
    KpiBar,
    SprintSpan,
    ValuePoint,
    kpi_chart,
    kpi_status,
    roadmap_chart,
)
from opcanvas.render.charts_risk import SwingBar, tornado_chart, value_distribution_chart
from opcanvas.render.charts_value import (
    ParetoRow,
    PriorityPoint,
    ValueItem,
    pareto_chart,
    pareto_rows,
    priority_matrix_chart,
)

__all__ = [
    "CATEGORY",
    "FONT",
    "CasePoint",
    "FlowBand",
    "GanttBar",
    "KpiBar",
    "ParetoRow",
    "PercentileLine",
    "PriorityPoint",
    "SprintSpan",
    "StepTime",
    "StreamTotals",
    "SwingBar",
    "TimeUnit",
    "ValueItem",
    "ValuePoint",
    "arrivals_departures",
    "case_points_from_lists",
    "cumulative_flow_chart",
    "cycle_time_scatter",
    "distribution_chart_from_value",
    "gantt_from_roadmap",
    "kpi_bars_from_canvas",
    "kpi_chart",
    "kpi_status",
    "lead_time_chart",
    "pareto_chart",
    "pareto_items_from_values",
    "pareto_rows",
    "percentile_lines",
    "priority_matrix_chart",
    "priority_points_from_ranking",
    "roadmap_chart",
    "steps_from_flow",
    "swing_bars_from_value",
    "time_unit",
    "to_png",
    "to_svg",
    "tornado_chart",
    "value_distribution_chart",
    "wip_from_mining",
]
