"""The report as a document: the five deliverables and the workshop pack, from an assessment."""

from __future__ import annotations

from opcanvas.assess import Assessment
from opcanvas.report.deliverables.common import FigureSet
from opcanvas.report.deliverables.dependencies import build_dependencies
from opcanvas.report.deliverables.gaps import build_gaps
from opcanvas.report.deliverables.governance import build_governance
from opcanvas.report.deliverables.maps import build_maps
from opcanvas.report.deliverables.roadmap import build_roadmap
from opcanvas.report.deliverables.workshop import build_workshop
from opcanvas.report.document import Document, money, percent
from opcanvas.report.summary import summarize


def _headline(a: Assessment) -> tuple[tuple[str, str], ...]:
    items = [
        ("Value streams mapped", str(len(a.flow.streams))),
        ("Key figures filled in", percent(a.completeness.fraction, 0).text),
        ("Gaps quantified", f"{len(a.values)} of {len(a.canvas.gaps)}"),
        ("Annual value (sum of gaps)", money(a.total_annual_value(), a.currency).text),
        ("First-year value of the roadmap", money(a.roadmap.value_optimised, a.currency).text),
    ]
    return tuple(items)


def build_document(
    a: Assessment, figures: FigureSet | None = None, *, ics_file: str | None = None
) -> Document:
    """Every deliverable of the report, in the seed's order, then the workshop pack.

    ``figures`` are the rendered maps and charts (none: tables only); ``ics_file`` is the
    relative path of the governance calendar when one is written beside the report.
    """
    figures = figures or FigureSet()
    deliverables = (
        build_maps(a, figures),
        build_gaps(a, figures),
        build_roadmap(a, figures),
        build_governance(a, figures, ics_file),
        build_dependencies(a, figures),
        build_workshop(a.canvas),
    )
    return Document(
        title="Operational Canvas assessment",
        organization=a.canvas.organization,
        subtitle="value stream maps, gap analysis, roadmap, governance, cross-engine dependencies",
        deliverables=deliverables,
        headline=_headline(a),
        highlights=tuple(summarize(a).lines()[1:]),
    )
