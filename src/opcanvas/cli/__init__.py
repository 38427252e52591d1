"""The ``opcanvas`` command line: a thin shell over the library.

Each command parses its arguments, calls one library function, prints a Rich table or JSON,
and maps errors to exit codes (see :mod:`opcanvas.cli.app`). Commands live in one module per
area and register themselves on the shared ``app`` when imported (:func:`load`).
:func:`main` imports only the module of the command it runs (``opcanvas report`` starts
without the mining engines, DuckDB and Arrow, or SciPy); help, or anything else, imports all.
"""

from __future__ import annotations

import contextlib
import importlib
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

from opcanvas.cli.app import app
from opcanvas.cli.app import main as _run

# the module (of opcanvas.cli) that registers each command, in the order help lists them
COMMANDS = {
    "init": "canvas_cmds",
    "validate": "canvas_cmds",
    "schema": "canvas_cmds",
    "templates": "canvas_cmds",
    "analyze": "flow_cmds",
    "mine": "mining_cmds",
    "map": "render_cmds",
    "report": "report_cmds",
    "demo": "report_cmds",
    "simulate": "simulate_cmds",
    "gaps": "value_cmds",
    "prioritize": "value_cmds",
    "roadmap": "value_cmds",
    "governance": "value_cmds",
    "lineage": "value_cmds",
    "track": "value_cmds",
}


def load(command: str | None = None) -> None:
    """Register ``command`` (its module's commands), or every command."""
    modules = [COMMANDS[command]] if command in COMMANDS else dict.fromkeys(COMMANDS.values())
    for module in modules:
        importlib.import_module(f"{__name__}.{module}")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code instead of raising (tests call this directly).

    A termination request (SIGTERM: ``kill``, a CI timeout) ends a command as an interrupt
    does: what it was writing is removed and its child processes are stopped; the process
    then exits with 143 (128 + SIGTERM).
    """
    args = sys.argv[1:] if argv is None else argv
    load(args[0] if args else None)
    with _terminate_cleanly():
        return _run(argv)


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may handle signals
        return
    previous = signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _exit_on_signal(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through every cleanup on the way out


__all__ = ["COMMANDS", "app", "load", "main"]
