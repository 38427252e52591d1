"""The deliverables in each format: HTML, PDF, XLSX, Markdown and JSON, with maps and calendar.

The names below load on first use, so that importing the format registry (the CLI does at
start) does not import the renderers, WeasyPrint and the chart engine.

>>> sorted(FORMATS)
['html', 'json', 'md', 'pdf', 'xlsx']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from opcanvas.lazy import attributes
from opcanvas.report.formats import ALL_FORMATS, FORMATS, ReportFormat, parse_formats

if TYPE_CHECKING:
    from opcanvas.report.build import build_document
    from opcanvas.report.summary import Summary, summarize
    from opcanvas.report.writer import (
        ReportResult,
        build_report,
        render_pdf,
        report_steps,
        write_report,
    )

_LAZY = {
    "build_document": "opcanvas.report.build",
    "Summary": "opcanvas.report.summary",
    "summarize": "opcanvas.report.summary",
    "ReportResult": "opcanvas.report.writer",
    "build_report": "opcanvas.report.writer",
    "render_pdf": "opcanvas.report.writer",
    "report_steps": "opcanvas.report.writer",
    "write_report": "opcanvas.report.writer",
}

__all__ = [
    "ALL_FORMATS",
    "FORMATS",
    "ReportFormat",
    "ReportResult",
    "Summary",
    "build_document",
    "build_report",
    "parse_formats",
    "render_pdf",
    "report_steps",
    "summarize",
    "write_report",
]


__getattr__ = attributes(__name__, _LAZY)
