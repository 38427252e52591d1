"""Commands: canvas_cmds (see the module docstring of each command)."""

from opcanvas.cli.app import app as app
