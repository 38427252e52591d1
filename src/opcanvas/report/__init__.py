"""The deliverables in each format: HTML, PDF, XLSX, Markdown and JSON, with maps and calendar.

>>> sorted(FORMATS)
['html', 'json', 'md', 'pdf', 'xlsx']
"""

from opcanvas.report.build import build_document
from opcanvas.report.summary import Summary, summarize
from opcanvas.report.writer import (
    ALL_FORMATS,
    FORMATS,
    ReportResult,
    build_report,
    parse_formats,
    render_pdf,
    report_steps,
    write_report,
)

__all__ = [
    "ALL_FORMATS",
    "FORMATS",
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
