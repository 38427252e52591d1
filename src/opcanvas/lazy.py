"""Packages whose names load on first use, so importing one does not import its engines.

A package lists each public name with the submodule that defines it and hands
:func:`attributes` its ``__getattr__`` (PEP 562): ``opcanvas.mining`` then costs nothing until
``opcanvas.mining.mine`` is asked for, and the CLI starts without DuckDB, Arrow or SciPy.

>>> getattr_ = attributes("opcanvas.errors", {"ReportError": "opcanvas.errors"})
>>> getattr_("ReportError").__name__
'ReportError'
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def attributes(package: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``names`` maps each name to its module."""

    def load_attribute(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)  # found once, then a plain attribute
        return value

    return load_attribute
