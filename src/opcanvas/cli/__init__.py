"""The ``opcanvas`` command line: a thin shell over the library.

Each command parses its arguments, calls one library function, prints a Rich table or JSON,
and maps errors to exit codes (see :mod:`opcanvas.cli.app`). Commands live in one module per
area and register themselves on the shared app when imported here.
"""

from opcanvas.cli import (  # noqa: F401 - importing registers the commands
    canvas_cmds,
    flow_cmds,
    mining_cmds,
    render_cmds,
    report_cmds,
    simulate_cmds,
    value_cmds,
)
from opcanvas.cli.app import app, main

__all__ = ["app", "main"]
