"""The Typer application every command module registers on, and the error-to-exit-code map.

Exit codes: 0 ok; 1 the analysis found problems the user asked to fail on; 2 bad input (any
:class:`~opcanvas.errors.OpcanvasError`, or a usage error). No traceback reaches the user for
an expected error.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from opcanvas import __version__
from opcanvas.errors import OpcanvasError

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2

app = typer.Typer(
    name="opcanvas",
    help="Map value streams, measure them from event data, put dollars on the gaps, "
    "and plan the fixes into four 90-day sprints.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print the result as JSON (for scripts) instead of tables.")
]


def print_json(data: Any) -> None:
    """Machine-readable output: sorted keys, no Rich markup, one document on stdout."""
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")


def _version(value: bool) -> None:
    if value:
        console.print(f"opcanvas {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Map value streams, measure them from event data, put dollars on the gaps, and plan the
    fixes into four 90-day sprints."""


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code instead of raising (tests call this directly)."""
    try:
        # without standalone mode, a command's ``typer.Exit(code)`` comes back as the result
        result = app(args=argv, prog_name="opcanvas", standalone_mode=False)
    except OpcanvasError as exc:
        err_console.print(
            f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True
        )
        return EXIT_BAD_INPUT
    except typer.Exit as exc:
        return exc.exit_code
    except typer.TyperException as exc:  # usage errors: unknown option, missing argument
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            err_console.print(f"[bold red]error:[/] {escape(exc.format_message())}")
        return EXIT_BAD_INPUT
    except typer.Abort:
        err_console.print("aborted")
        return EXIT_BAD_INPUT
    return result if isinstance(result, int) and not isinstance(result, bool) else EXIT_OK
