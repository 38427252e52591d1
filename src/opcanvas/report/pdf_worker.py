"""The PDF printed in a child process, so the other formats are written meanwhile.

Printing is most of a report's time and runs on one core. :class:`PdfWorker` starts
``python -m opcanvas.report.pdf_worker`` as soon as a report begins: the child loads
WeasyPrint and its fonts while the parent draws the figures, then prints the page the
parent hands it while the parent writes the HTML, XLSX, Markdown and JSON.

The job travels as a JSON file beside the PDF's path, both inside the report's staging
directory, so the write stays all or nothing: the parent moves the PDF into place with the
rest, or discards it with the rest. The child answers on its standard output with one JSON
line: ``{"pages": N}`` or ``{"error": "..."}`` (a ReportError, e.g. an external resource).

>>> worker = PdfWorker()
>>> worker.cancel()
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from opcanvas.errors import ReportError

MODULE = "opcanvas.report.pdf_worker"


class PdfWorker:
    """A child process that prints one PDF: start it early, :meth:`submit`, then :meth:`pages`."""

    def __init__(self) -> None:
        # a file, not a pipe, so a chatty child never blocks; closed in _finish
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115
        self._ended: tuple[str, str] | None = None
        self._process = subprocess.Popen(
            [sys.executable, "-m", MODULE],
            env=_child_environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            text=True,
        )

    def submit(self, html: str, images: Mapping[str, str], pdf: Path) -> None:
        """Print ``html`` (figures in ``images``) to the file ``pdf``; returns at once."""
        job = pdf.with_name(pdf.name + ".job.json")
        job.write_text(json.dumps({"html": html, "images": dict(images), "pdf": str(pdf)}))
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(str(job) + "\n")
            self._process.stdin.close()
        except BrokenPipeError:  # the child died while loading: pages() reports why
            pass

    def pages(self) -> int:
        """Wait for the PDF; its page count, or a ReportError saying why there is none."""
        out, err = self._finish()
        lines = [line for line in out.splitlines() if line.startswith("{")]
        answer = json.loads(lines[-1]) if lines else {}
        if "error" in answer:
            raise ReportError(str(answer["error"]), hint=answer.get("hint"))
        if self._process.returncode != 0 or "pages" not in answer:
            tail = "\n".join(err.strip().splitlines()[-5:])
            raise ReportError(
                f"printing the PDF failed (exit code {self._process.returncode}): {tail}",
                hint="run again with --format html to check the page, then report the error",
            )
        return int(answer["pages"])

    def cancel(self) -> None:
        """Stop the child (the report failed or has no PDF after all)."""
        if self._process.poll() is None:
            self._process.kill()
        self._finish()

    def _finish(self) -> tuple[str, str]:
        """The child's output and errors, once it has ended (read once, then remembered)."""
        if self._ended is not None:
            return self._ended
        process = self._process
        if process.stdin is not None and not process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                process.stdin.close()
        out = process.stdout.read() if process.stdout is not None else ""
        if process.stdout is not None:
            process.stdout.close()
        process.wait()
        self._errors.seek(0)
        err = self._errors.read().decode("utf-8", "replace")
        self._errors.close()
        self._ended = (out, err)
        return out, err


def _child_environment() -> dict[str, str]:
    """This environment, with the directory this opcanvas was imported from first on the
    child's path (so a source checkout or an adjusted ``sys.path`` prints with the same code)."""
    root = str(Path(__file__).resolve().parents[2])
    paths = [root, *os.environ.get("PYTHONPATH", "").split(os.pathsep)]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}


def _serve() -> int:
    """The child: load WeasyPrint, read one job path, print, answer with one JSON line."""
    from opcanvas.report.pdf import render_pdf, warm_up

    warm_up()
    line = sys.stdin.readline().strip()
    if not line:  # the parent cancelled before submitting
        return 0
    job = Path(line)
    spec = json.loads(job.read_text())
    job.unlink()
    try:
        data, pages = render_pdf(spec["html"], spec["images"])
    except ReportError as exc:
        print(json.dumps({"error": exc.message, "hint": exc.hint}), flush=True)
        return 0
    Path(spec["pdf"]).write_bytes(data)
    print(json.dumps({"pages": pages}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_serve())
