"""Commands: render_cmds."""

from opcanvas.cli.app import app as app
