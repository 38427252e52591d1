"""The public API and the command line stay documented: every public name, every command."""

from __future__ import annotations

import inspect

import pytest
import typer.main

import opcanvas
from opcanvas.cli import app, load, main

load()  # every command registered

PUBLIC = sorted(name for name in opcanvas.__all__ if name != "__version__")


def test_all_names_exist_and_are_unique() -> None:
    assert len(set(opcanvas.__all__)) == len(opcanvas.__all__)
    missing = [name for name in opcanvas.__all__ if not hasattr(opcanvas, name)]
    assert missing == []
    assert isinstance(opcanvas.__version__, str) and opcanvas.__version__


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_has_its_own_docstring(name: str) -> None:
    obj = getattr(opcanvas, name)
    # a class's own docstring, not one inherited from BaseModel or Exception
    doc = vars(obj).get("__doc__") if inspect.isclass(obj) else getattr(obj, "__doc__", None)
    assert doc and doc.strip(), f"opcanvas.{name} has no docstring"


def _commands() -> dict[str, object]:
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def test_help_lists_every_registered_command_with_its_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    commands = _commands()
    assert {"init", "validate", "schema", "templates"} <= set(commands)
    code = main(["--help"])
    out = capsys.readouterr().out
    assert code == 0
    for name, command in commands.items():
        assert f" {name} " in out, f"{name} is missing from opcanvas --help"
        short = command.get_short_help_str(limit=300)  # type: ignore[attr-defined]
        assert short.strip(), f"opcanvas {name} has no help text"


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_has_help_for_itself_and_its_options(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    command = _commands()[name]
    assert (command.help or "").strip(), f"opcanvas {name} has no help"  # type: ignore[attr-defined]
    for param in command.params:  # type: ignore[attr-defined]
        if param.param_type_name == "option" and param.name != "help":
            assert (param.help or "").strip(), f"opcanvas {name} {param.opts[0]} has no help"
    assert main([name, "--help"]) == 0
    assert "Usage: opcanvas " + name in " ".join(capsys.readouterr().out.split())


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"opcanvas {opcanvas.__version__}"


def test_the_command_map_names_every_command_and_its_module() -> None:
    """``opcanvas CMD`` imports only the module COMMANDS names for CMD: the map must match
    what the modules register, or a command would not be found."""
    from opcanvas.cli import COMMANDS

    registered = {
        command.name or command.callback.__name__: command.callback.__module__  # type: ignore[union-attr]
        for command in app.registered_commands
    }
    assert registered == {name: f"opcanvas.cli.{module}" for name, module in COMMANDS.items()}


def test_a_command_imports_only_what_it_needs() -> None:
    """``opcanvas report`` starts without the mining engines (DuckDB, Arrow) or SciPy; its
    help still works. ``opcanvas mine --help`` does load the mining engines."""
    import subprocess
    import sys

    probe = (
        "import sys; from opcanvas.cli import main; code = main([{args}]);"
        "print(code, *(m in sys.modules for m in ('duckdb', 'pyarrow', 'scipy')))"
    )
    for args, loaded in (("'report', '--help'", "False False False"),
                         ("'mine', '--help'", "True True")):  # fmt: skip
        done = subprocess.run([sys.executable, "-c", probe.format(args=args)],
                              capture_output=True, text=True, check=True)  # fmt: skip
        last = done.stdout.strip().splitlines()[-1]
        assert last.startswith("0 " + loaded), (args, last)
