"""The PDF printed by a print server in a child process, several pieces at a time.

Printing is most of a report's time, and WeasyPrint runs on one core. :class:`PrintServer`
starts ``python -m opcanvas.report.pdf_worker`` as soon as a report begins: the server loads
WeasyPrint and its fonts while the parent draws the figures, then prints each job it is handed
in a process of its own, forked from the loaded server (so each starts warm), as many at once
as there are slots (two per core, up to :data:`MAX_SLOTS`). A printer draws its pages at a
lower priority than it laid them out, so every piece is laid out early and the frame, which
waits for all the layouts, prints while the last pieces draw. Where there is no ``fork``
(Windows), the server prints its jobs one after the other.

A job travels as a JSON file beside its PDF's path, inside the report's staging directory, so
the write stays all or nothing; it waits for a free slot, or starts at once when sent ``now``.
The printer writes, beside the PDF, a JSON file with the pages' layout
(:class:`~opcanvas.report.pdf.Layout`) as soon as they are laid out and answers ``laid-out``;
then it draws them, writes the PDF and answers ``printed`` (or writes the ReportError that
stopped it, and answers ``printed`` too). An answer is one short line on the server's standard
output, written at once, so the lines of printers working side by side never mix. A printer
that dies answers nothing: the server answers ``died`` for it, and the parent reports the
failure with the error output.

>>> server = PrintServer()
>>> server.cancel()
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import traceback
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from opcanvas.errors import ReportError
from opcanvas.report.pdf import Layout

MODULE = "opcanvas.report.pdf_worker"
MAX_SLOTS = 8  # pieces printed at once, at most; each printer holds its pages in memory
POLL_SECONDS = 0.02  # the server looks for ended printers this often while it waits for jobs
NICE = 5  # the priority a printer gives up, unless its job is urgent
DRAW_NICE = 5  # and gives up again once laid out: layouts, which the frame waits for, go first
LAID_OUT, PRINTED, DIED = "laid-out", "printed", "died"  # what the server answers of a job


def default_slots() -> int:
    """Printers at once: two per core, up to :data:`MAX_SLOTS`. A printer that has laid its
    pages out draws them at a lower priority, so the other lays out meanwhile."""
    return max(1, min(2 * (os.cpu_count() or 1), MAX_SLOTS))


def _result_path(pdf: Path) -> Path:
    return pdf.with_name(pdf.name + ".layout.json")


class PrintServer:
    """A child process that prints PDFs: start it early, :meth:`submit` jobs, :meth:`wait`."""

    def __init__(self, slots: int | None = None) -> None:
        self.slots = slots or default_slots()
        # a file, not a pipe, so a chatty child never blocks; closed in _finish
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115
        self._ended: str | None = None
        self._events: defaultdict[Path, set[str]] = defaultdict(set)  # answers per job
        self._process = subprocess.Popen(
            [sys.executable, "-m", MODULE, str(self.slots)],
            env=_child_environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            text=True,
            start_new_session=True,  # its own process group: cancel stops every printer
        )

    def submit(self, html: str, images: Mapping[str, str], pdf: Path, *, now: bool = False) -> Path:
        """Print ``html`` (figures in ``images``) to the file ``pdf``; returns ``pdf`` at once.

        Jobs start in turn as printers free up; ``now`` starts this one at once (a short job
        that others wait for: the frame)."""
        self._events.pop(pdf, None)  # a path printed before prints anew
        job = pdf.with_name(pdf.name + ".job.json")
        job.write_text(json.dumps({"html": html, "images": dict(images), "pdf": str(pdf)}))
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(f"{'now' if now else 'queue'} {pdf}\n")
            self._process.stdin.flush()
        except BrokenPipeError:  # the server died while loading: waiting reports why
            pass
        return pdf

    def layouts(self, pdfs: Iterable[Path]) -> dict[Path, Layout]:
        """Wait until each of ``pdfs`` is laid out (its pages are then being drawn); their
        layouts, or a ReportError saying why one has none."""
        wanted = list(pdfs)
        self._await(wanted, LAID_OUT)
        return {pdf: self._result(pdf) for pdf in wanted}

    def wait(self, pdfs: Iterable[Path]) -> dict[Path, Layout]:
        """Wait until each of ``pdfs`` is printed; their layouts, or a ReportError saying why
        one is not (the first failure in submission order)."""
        wanted = list(pdfs)
        self._await(wanted, PRINTED)
        layouts = {pdf: self._result(pdf) for pdf in wanted}
        for pdf in wanted:
            _result_path(pdf).unlink()
        return layouts

    def _await(self, pdfs: list[Path], event: str) -> None:
        """Read the server's answers until each of ``pdfs`` reached ``event`` (or ended)."""
        stdout = self._process.stdout
        assert stdout is not None
        while any(not self._events[pdf] & {event, PRINTED, DIED} for pdf in pdfs):
            line = stdout.readline()
            if not line:  # the server ended before answering
                self._fail(f"the print server stopped (exit code {self._process.wait()})")
            what, _, path = line.rstrip("\n").partition(" ")
            self._events[Path(path)].add(what)

    def close(self, *, wait: bool = True) -> None:
        """No more jobs: the server ends once its printers have; ``wait`` for that (else
        close again later, to collect it)."""
        self._close_input()
        if wait:
            self._finish()

    def _close_input(self) -> None:
        stdin = self._process.stdin
        if stdin is not None and not stdin.closed:
            with contextlib.suppress(BrokenPipeError):  # it may have ended already
                stdin.close()

    def __enter__(self) -> PrintServer:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        """The server ends with the block: closed, or cancelled when the block failed."""
        if kind is None:
            self.close()
        else:
            self.cancel()

    def cancel(self) -> None:
        """Stop the server and every printer (the report failed or has no PDF after all)."""
        if self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if hasattr(os, "killpg"):
                    os.killpg(self._process.pid, signal.SIGKILL)
                else:  # no process groups (Windows): the server prints alone there
                    self._process.kill()
        self._finish()

    def _result(self, pdf: Path) -> Layout:
        result = _result_path(pdf)
        if DIED in self._events[pdf] or not result.exists():
            self._fail("a printer of the PDF stopped without a result")
        answer = json.loads(result.read_text())
        if "error" in answer:
            raise ReportError(str(answer["error"]), hint=answer.get("hint"))
        return Layout.from_dict(answer)

    def _fail(self, what: str) -> None:
        self.cancel()
        tail = "\n".join((self._ended or "").strip().splitlines()[-5:])
        raise ReportError(
            f"printing the PDF failed: {what}" + (f": {tail}" if tail else ""),
            hint="run again with --format html to check the page, then report the error",
        )

    def _finish(self) -> str:
        """The server's error output, once it has ended (read once, then remembered)."""
        if self._ended is not None:
            return self._ended
        process = self._process
        self._close_input()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()
        self._errors.seek(0)
        self._ended = self._errors.read().decode("utf-8", "replace")
        self._errors.close()
        return self._ended


def _child_environment() -> dict[str, str]:
    """This environment, with the directory this opcanvas was imported from first on the
    child's path (so a source checkout or an adjusted ``sys.path`` prints with the same code)."""
    root = str(Path(__file__).resolve().parents[2])
    paths = [root, *os.environ.get("PYTHONPATH", "").split(os.pathsep)]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}


def _print(pdf: Path, *, then_yield: bool = False) -> None:
    """One job: print it, with its layout beside the PDF as soon as the pages are laid out
    (answered ``laid-out``), then the PDF (answered ``printed``); or the ReportError that
    stopped it (answered ``printed`` too). Each file is written whole or not at all. With
    ``then_yield``, the pages are drawn at :data:`DRAW_NICE` lower priority."""
    from opcanvas.report.pdf import print_pdf

    job = pdf.with_name(pdf.name + ".job.json")
    spec = json.loads(job.read_text())
    job.unlink()

    def laid_out(layout: Layout) -> None:
        _write_whole(_result_path(pdf), json.dumps(layout.to_dict()).encode())
        if then_yield:
            os.nice(DRAW_NICE)
        _answer(LAID_OUT, str(pdf))

    try:
        data, _ = print_pdf(spec["html"], spec["images"], laid_out=laid_out)
        _write_whole(pdf, data)
    except ReportError as exc:
        error = {"error": exc.message, "hint": exc.hint}
        _write_whole(_result_path(pdf), json.dumps(error).encode())
    _answer(PRINTED, str(pdf))


def _write_whole(path: Path, data: bytes) -> None:
    """Write beside, then rename: a reader sees the whole file or the one before."""
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.replace(path)


def _answer(what: str, pdf: str) -> None:
    os.write(sys.stdout.fileno(), f"{what} {pdf}\n".encode())


def _serve(slots: int) -> int:
    """The server: load WeasyPrint, then print each job path read from standard input."""
    from opcanvas.report.pdf import warm_up

    warm_up()
    if not hasattr(os, "fork"):  # one job after the other, here
        for line in sys.stdin:
            if line.strip():
                _print(Path(line.strip().partition(" ")[2]))
        return 0
    running: dict[int, str] = {}  # printer pid -> its job
    waiting: list[str] = []
    lines = _lines(sys.stdin.fileno())
    reading = True
    while reading or waiting or running:
        _reap(running, block=not reading and not waiting)
        while waiting and len(running) < slots:
            pdf = waiting.pop(0)
            running[_fork(pdf)] = pdf
        if reading:
            got = next(lines)
            reading = got is not None
            for when, _, pdf in (line.partition(" ") for line in got or []):
                if when == "now":
                    running[_fork(pdf, urgent=True)] = pdf
                else:
                    waiting.append(pdf)
    return 0


def _lines(fd: int) -> Iterator[list[str] | None]:
    """The lines that came on ``fd`` within a moment (often none); None once it is closed."""
    buffer = b""
    while True:
        ready, _, _ = select.select([fd], [], [], POLL_SECONDS)
        if not ready:
            yield []
            continue
        data = os.read(fd, 65536)
        if not data:
            while True:
                yield None
        *complete, buffer = (buffer + data).split(b"\n")
        yield [line.decode().strip() for line in complete if line.strip()]


def _fork(pdf: str, *, urgent: bool = False) -> int:
    """Start a printer for one job; its pid. Queued jobs yield the processor to the parent
    (drawing the figures the next pieces wait for) and to urgent ones."""
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 0  # the printer
    if not urgent:
        os.nice(NICE)
    try:
        _print(Path(pdf), then_yield=not urgent)
    except BaseException:  # the parent learns of it by the missing result
        traceback.print_exc()
        code = 1
    finally:
        sys.stderr.flush()
        os._exit(code)


def _reap(running: dict[int, str], *, block: bool) -> None:
    """Collect the printers that ended; answer for each that died without answering."""
    while running:
        pid, status = os.waitpid(-1, 0 if block else os.WNOHANG)
        if pid == 0:
            return
        pdf = running.pop(pid, None)
        if pdf is not None and status != 0:
            _answer(DIED, pdf)  # the parent reports the failure, with the error output
        block = False


if __name__ == "__main__":
    sys.exit(_serve(int(sys.argv[1]) if len(sys.argv) > 1 else default_slots()))
