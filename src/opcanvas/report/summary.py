"""The few lines a person reads first: top gaps with dollars, the roadmap's value, and the flow
headline of each engine, with the conventions they depend on. Formatting only: every number is
the assessment's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opcanvas.assess import Assessment
from opcanvas.canvas.quantities import format_duration, format_money, format_percent
from opcanvas.report.deliverables.common import engine_name

TOP_GAPS = 3


@dataclass(frozen=True)
class Summary:
    organization: str
    currency: str
    top_gaps: tuple[tuple[str, float, float, float], ...]  # title, annual value, P10, P90
    total_value: float
    roadmap_value: float
    greedy_value: float
    engines: tuple[tuple[str, str], ...]  # engine name, flow headline
    completeness: float
    conventions: tuple[tuple[str, str], ...]

    def lines(self) -> list[str]:
        """The summary as text lines for a terminal."""
        cur = self.currency
        out = [f"Key figures filled in: {format_percent(self.completeness, 0)}"]
        for title, value, p10, p90 in self.top_gaps:
            out.append(
                f"Gap: {title}: {format_money(value, cur)} a year "
                f"(P10 {format_money(p10, cur)}, P90 {format_money(p90, cur)})"
            )
        out.append(f"All quantified gaps: {format_money(self.total_value, cur)} a year")
        out.append(
            f"Roadmap: {format_money(self.roadmap_value, cur)} realised in the first year "
            f"(greedy plan: {format_money(self.greedy_value, cur)})"
        )
        out += [f"{name}: {headline}" for name, headline in self.engines]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "organization": self.organization,
            "currency": self.currency,
            "top_gaps": [
                {"title": t, "annual_value": v, "p10": lo, "p90": hi}
                for t, v, lo, hi in self.top_gaps
            ],
            "total_annual_value": self.total_value,
            "roadmap_first_year_value": self.roadmap_value,
            "greedy_first_year_value": self.greedy_value,
            "engines": dict(self.engines),
            "completeness": self.completeness,
            "conventions": dict(self.conventions),
        }


def _engine_headline(a: Assessment, engine_id: str) -> str:
    flow = a.flow.engines.get(engine_id)
    if flow is None or not flow.streams:
        return "no value streams mapped yet"
    cal = a.canvas.calendar
    parts = [f"{len(flow.streams)} stream{'s' if len(flow.streams) != 1 else ''}"]
    if flow.lead_time_total is not None:
        parts.append(f"lead time {format_duration(flow.lead_time_total, cal)} in total")
    if flow.flow_efficiency is not None:
        parts.append(f"flow efficiency {format_percent(flow.flow_efficiency)}")
    if flow.lowest_rolled_cta is not None:
        parts.append(f"lowest rolled %C&A {format_percent(flow.lowest_rolled_cta)}")
    return ", ".join(parts)


def summarize(a: Assessment) -> Summary:
    """The summary of an assessment."""
    top = sorted(a.values, key=lambda v: (-v.annual_value, v.gap_id))[:TOP_GAPS]
    flow, value = a.conventions["flow"], a.conventions["value"]
    conventions = [
        ("time basis", flow.get("time_basis", a.canvas.calendar.describe())),
        ("point estimate", value.get("point estimate", "")),
        ("Monte Carlo", value.get("Monte Carlo", "")),
        ("lead time", flow.get("lead_time_includes_process_time", "")),
        ("parallel paths", flow.get("parallel", "")),
        (
            "engine totals",
            "lead time summed over the engine's streams; flow efficiency = "
            "ΣPT ÷ Σ elapsed time of its streams",
        ),
        ("roadmap value", a.conventions["roadmap"].get("value timing", "")),
    ]
    return Summary(
        organization=a.canvas.organization,
        currency=a.currency,
        top_gaps=tuple((v.title, v.annual_value, v.p10, v.p90) for v in top),
        total_value=a.total_annual_value(),
        roadmap_value=a.roadmap.value_optimised,
        greedy_value=a.roadmap.value_greedy,
        engines=tuple((engine_name(a.canvas, e), _engine_headline(a, e)) for e in a.canvas.engines),
        completeness=a.completeness.fraction,
        conventions=tuple((k, v) for k, v in conventions if v),
    )
