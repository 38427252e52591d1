"""The report formats, declared once with their help text (light: the CLI imports it at start).

>>> parse_formats("pdf, html,pdf")
('pdf', 'html')
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from opcanvas.errors import ReportError


@dataclass(frozen=True)
class ReportFormat:
    name: str
    suffix: str
    help: str


FORMATS: dict[str, ReportFormat] = {
    f.name: f
    for f in (
        ReportFormat("html", ".html", "one self-contained page: inline SVG and CSS, no requests"),
        ReportFormat("pdf", ".pdf", "the HTML printed by WeasyPrint: page numbers, A4"),
        ReportFormat("xlsx", ".xlsx", "a sheet per deliverable; the gap model as live formulas"),
        ReportFormat("md", ".md", "Markdown for wikis, maps linked as SVG and Mermaid"),
        ReportFormat("json", ".json", "the whole assessment as data"),
    )
}
ALL_FORMATS = tuple(FORMATS)
ICS_FILE = "governance.ics"
DEFAULT_DEMO_DIR = Path("opcanvas-demo")  # where `opcanvas demo` writes by default


def parse_formats(text: str) -> tuple[str, ...]:
    """``"html,pdf"`` → ``("html", "pdf")``; an unknown name is a ReportError listing the known."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise ReportError(
            f"unknown report format {', '.join(repr(u) for u in unknown) or '(none given)'}; "
            f"expected a comma-separated list of {', '.join(FORMATS)}",
            hint="e.g. --format html,pdf,xlsx",
        )
    return tuple(dict.fromkeys(names))
