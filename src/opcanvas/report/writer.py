"""Writing the deliverables: every format into a directory, all or nothing.

Everything is written into a hidden temporary directory inside the target first; only when every
file is complete are they moved into place, each with an atomic rename (same file system). A
failure part-way removes the temporary directory, so no half-written file is ever left behind.

>>> sorted(FORMATS)
['html', 'json', 'md', 'pdf', 'xlsx']
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opcanvas.assess import Assessment, assess
from opcanvas.canvas.io import load_canvas
from opcanvas.errors import Location, ReportError
from opcanvas.report.build import build_document
from opcanvas.report.deliverables.common import FigureSet
from opcanvas.report.deliverables.maps import build_maps
from opcanvas.report.document import Document, Figure
from opcanvas.report.formats import ALL_FORMATS, FORMATS, ICS_FILE
from opcanvas.report.html import render_html
from opcanvas.report.map_figures import add_maps
from opcanvas.report.markdown import render_markdown
from opcanvas.report.pdf import render_pdf as render_pdf  # re-exported: opcanvas.report
from opcanvas.report.pdf_parts import PartsPrint
from opcanvas.report.pdf_worker import PrintServer
from opcanvas.report.safety import slug
from opcanvas.report.summary import Summary, summarize
from opcanvas.report.xlsx import render_xlsx
from opcanvas.roadmap.ics import to_ics
from opcanvas.roadmap.tracking import load_tracking, tracking_path

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ReportResult:
    """What was written: the directory and every file in it, relative, in writing order."""

    directory: Path
    files: tuple[str, ...]
    formats: tuple[str, ...]
    pages: int | None  # of the PDF, when one was written
    calendar_start: dt.date | None = None  # first day of sprint 1 in governance.ics
    calendar_from_canvas: bool = False  # roadmap.start (True) or the caller's start

    def path(self, relative: str) -> Path:
        return self.directory / relative

    def main_files(self) -> dict[str, Path]:
        """The file of each report format, by format name."""
        return {
            fmt: self.directory / name
            for fmt in self.formats
            for name in self.files
            if "/" not in name and name.endswith(FORMATS[fmt].suffix) and name != ICS_FILE
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "directory": str(self.directory),
            "files": list(self.files),
            "formats": list(self.formats),
            "pages": self.pages,
            "calendar_start": None if self.calendar_start is None else str(self.calendar_start),
            "calendar_from_canvas": self.calendar_from_canvas,
        }


def steps(formats: Sequence[str]) -> list[str]:
    """The progress steps of :func:`write_report`, in order (the PDF, printed meanwhile in a
    child process, is waited for last)."""
    ordered = [f for f in formats if f != "pdf"] + (["pdf"] if "pdf" in formats else [])
    return ["figures", "document", *ordered, "companion files", "move into place"]


def report_steps(formats: Sequence[str]) -> list[str]:
    """The progress steps of :func:`build_report` (the CLI sizes its progress bar with this)."""
    return ["read canvas", "assess", *steps(formats)]


def build_report(
    canvas_path: str | Path,
    out_dir: str | Path,
    *,
    formats: Sequence[str] = ALL_FORMATS,
    samples: int = 10_000,
    seed: int = 0,
    start: dt.date | None = None,
    progress: Progress | None = None,
    server: PrintServer | None = None,
) -> tuple[ReportResult, Summary]:
    """Read a canvas file (and its ``.tracking.yaml`` beside it), assess it, write the report.

    The PDF prints in ``server`` when given (the CLI starts it before the renderers import),
    else in one started here, first, so it loads WeasyPrint while the canvas is read.

    >>> import tempfile
    >>> out = tempfile.mkdtemp()
    >>> result, summary = build_report("examples/sales-proposal.yaml", out, formats=["json"],
    ...                                samples=200)
    >>> result.files[0].endswith(".json"), summary.top_gaps[0][1]
    (True, 1440000.0)
    """
    tick = progress or (lambda _step: None)
    _check_formats(formats)
    if server is None and "pdf" in formats:
        server = PrintServer()
    try:
        canvas = load_canvas(canvas_path)
        tracking = load_tracking(tracking_path(canvas_path), canvas)
        tick("read canvas")
        assessment = assess(canvas, samples=samples, seed=seed, tracking=tracking)
        tick("assess")
    except BaseException:
        if server is not None:
            server.cancel()
        raise
    result = write_report(
        assessment, out_dir, formats=formats, start=start, progress=tick, server=server
    )
    return result, summarize(assessment)


def _check_formats(formats: Sequence[str]) -> None:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ReportError(f"unknown report format {unknown[0]!r}; expected {', '.join(FORMATS)}")


def _json(a: Assessment) -> str:
    return json.dumps(a.to_dict(), indent=2, sort_keys=True, default=str, ensure_ascii=False) + "\n"


class _Staging:
    """Files written into a temporary directory, then moved into place together."""

    def __init__(self, target: Path) -> None:
        self.target = target
        target.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=".opcanvas-report-", dir=target))
        self.written: list[str] = []

    def put(self, relative: str, data: str | bytes) -> None:
        self.path(relative).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        self.written.append(relative)

    def path(self, relative: str) -> Path:
        """Where ``relative`` is staged (for a file another process writes)."""
        path = self.tmp / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def commit(self) -> None:
        for relative in self.written:
            destination = self.target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            (self.tmp / relative).replace(destination)  # atomic: same file system
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def write_report(
    a: Assessment,
    out_dir: str | Path,
    *,
    formats: Sequence[str] = ALL_FORMATS,
    start: dt.date | None = None,
    progress: Progress | None = None,
    extra_figures: Mapping[str, Figure] | None = None,
    server: PrintServer | None = None,
) -> ReportResult:
    """Write the deliverables of ``a`` into ``out_dir`` in each of ``formats``.

    Beside the reports: each stream's map as SVG, draw.io and Mermaid (``maps/``), the charts
    as SVG (``charts/``) and the governance calendar (``governance.ics``), whose sprint 1
    starts on ``roadmap.start`` from the canvas, else on ``start``; with neither, no calendar.
    The PDF prints in ``server`` (a :class:`PrintServer` started earlier, which this call ends),
    or in one started here.
    """
    target = Path(out_dir)
    try:
        _check_formats(formats)
        if target.exists() and not target.is_dir():
            raise ReportError(
                "expected a directory for the report, found a file", where=Location(target)
            )
        stage = _Staging(target)
    except BaseException:
        if server is not None:
            server.cancel()
        raise
    tick = progress or (lambda _step: None)
    base = slug(a.canvas.organization, default="opcanvas")
    calendar_start = a.canvas.roadmap.start or start
    if "pdf" in formats and server is None:  # started now, it loads WeasyPrint meanwhile
        server = PrintServer()
    elif "pdf" not in formats and server is not None:
        server.cancel()
        server = None
    try:
        ics_file = ICS_FILE if calendar_start is not None else None
        figures = FigureSet(dict(extra_figures or {}))
        add_maps(a, figures)
        printing = None if server is None else PartsPrint(server, stage.path(".pdf-parts"))
        if printing is not None:  # the maps print while the charts are drawn
            printing.add([build_maps(a, figures)])
        from opcanvas.report.figures import add_charts  # Altair loads once the maps print

        add_charts(a, figures)
        tick("figures")
        document = build_document(a, figures, ics_file=ics_file)
        tick("document")
        if printing is not None:
            maps, *rest = document.deliverables
            assert maps.key == "maps", "the report opens with the maps, printed above"
            printing.add(rest, last=True)
        pages = _write_formats(a, document, stage, base, formats, tick, printing)
        for figure in figures.all():
            if figure.file:
                stage.put(figure.file, figure.svg)
        for relative, content in figures.files.items():
            stage.put(relative, content)
        if calendar_start is not None:
            stage.put(ICS_FILE, to_ics(a.governance, calendar_start))
        tick("companion files")
        stage.commit()
        tick("move into place")
    except BaseException:
        if server is not None:
            server.cancel()
        stage.discard()
        raise
    return ReportResult(
        target,
        tuple(stage.written),
        tuple(formats),
        pages,
        calendar_start,
        a.canvas.roadmap.start is not None,
    )


def _write_formats(
    a: Assessment, document: Document, stage: _Staging, base: str, formats: Sequence[str],
    tick: Progress, printing: PartsPrint | None,
) -> int | None:  # fmt: skip
    """Every format in ``formats``; the PDF, printing meanwhile, is waited for last."""
    for fmt in formats:
        name = base + FORMATS[fmt].suffix
        if fmt == "html":
            stage.put(name, render_html(document))
        elif fmt == "pdf":
            stage.written.append(name)  # printing meanwhile: written last, listed in order
            continue
        elif fmt == "xlsx":
            stage.put(name, render_xlsx(document, a.canvas))
        elif fmt == "md":
            stage.put(name, render_markdown(document))
        elif fmt == "json":
            stage.put(name, _json(a))
        tick(fmt)
    if printing is None:
        return None
    data, pages = printing.finish(document)
    printing.server.close()
    stage.path(base + FORMATS["pdf"].suffix).write_bytes(data)
    tick("pdf")
    return pages
