"""Reading and writing canvas files: YAML that keeps its comments, errors that point at a line.

A canvas file is loaded twice over: as a ruamel round-trip document (comments, key order and
line numbers) and as a validated :class:`Canvas`. Tools that change a canvas edit the document
and write it back with :func:`update_canvas`, which validates the result first and replaces the
file atomically, so a failed command never leaves a half-written or invalid file.

>>> canvas = parse_canvas("organization: Acme\\n")
>>> canvas.organization
'Acme'
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from opcanvas.canvas.model import Canvas
from opcanvas.canvas.references import check_references
from opcanvas.errors import CanvasError, Location

MAX_ERRORS_SHOWN = 10


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a user's long one-line mapping when writing back
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_document(text: str, source: str | Path = "<string>") -> CommentedMap:
    """Parse YAML text into a round-trip document; a syntax error names line and column."""
    try:
        doc = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(source, mark.line + 1, mark.column + 1) if mark else Location(source)
        problem = exc.problem or exc.context or "invalid YAML"
        raise CanvasError(
            f"malformed YAML: {problem}",
            where=where,
            hint="check indentation, colons and quotes around that position",
        ) from None
    except YAMLError as exc:
        raise CanvasError(f"malformed YAML: {exc}", where=Location(source)) from None
    if not isinstance(doc, CommentedMap):
        found = (
            "an empty file"
            if doc is None
            else "a list"
            if isinstance(doc, list)
            else f"the single value {doc!r}"
        )
        raise CanvasError(
            f"expected a mapping with at least 'organization:', found {found}",
            where=Location(source, 1, 1),
            hint="run `opcanvas init FILE` to start from a template",
        )
    return doc


def dump_document(doc: CommentedMap) -> str:
    buffer = io.StringIO()
    _yaml().dump(doc, buffer)
    return buffer.getvalue()


def key_path(loc: Sequence[str | int]) -> str:
    """``("engines", "growth", "steps", 2)`` → ``engines.growth.steps[2]``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def locate(doc: Any, loc: Sequence[str | int], source: str | Path) -> Location:
    """The line and column of the deepest node of ``loc`` that exists in the document."""
    node, line, column, found = doc, None, None, []
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line, column = node.lc.value(part) if node[part] is not None else node.lc.key(part)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line, column = node.lc.item(part)
            node = node[part]
        else:
            if isinstance(part, str) and part.startswith(("function-", "list[", "dict[")):
                continue  # pydantic's own step names, not keys in the file
            found.append(part)
            break
        found.append(part)
    if line is None and hasattr(doc, "lc"):
        line, column = doc.lc.line, doc.lc.col
    return Location(
        source,
        None if line is None else line + 1,
        None if column is None else column + 1,
        key_path(found) or None,
    )


def _clean_loc(loc: Sequence[str | int]) -> list[str | int]:
    return [p for p in loc if not (isinstance(p, str) and p.startswith(("function-", "json-")))]


def _describe(error: Any) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] in ("missing", "extra_forbidden"):
        return message.lower() if error["type"] == "missing" else "unknown key (check spelling)"
    value = error.get("input")
    if error["type"] != "value_error":
        if isinstance(value, dict | list):
            message += f", got a {'mapping' if isinstance(value, dict) else 'list'}"
        else:
            message += f", got {value!r}"
    return message


def validate_document(doc: CommentedMap, source: str | Path = "<string>") -> Canvas:
    """Validate a document into a Canvas; every problem is listed with its line and key."""
    try:
        canvas = Canvas.model_validate(doc)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = _clean_loc(error["loc"])
            problems.append((locate(doc, loc, source), _describe(error)))
        raise _canvas_error(problems) from None
    problems = [(locate(doc, loc, source), msg) for loc, msg in check_references(canvas)]
    if problems:
        raise _canvas_error(problems)
    return canvas


def _canvas_error(problems: list[tuple[Location, str]]) -> CanvasError:
    if len(problems) == 1:
        where, message = problems[0]
        return CanvasError(message, where=where)
    lines = [f"{len(problems)} problems in the canvas:"]
    lines += [f"  {where}: {message}" for where, message in problems[:MAX_ERRORS_SHOWN]]
    if len(problems) > MAX_ERRORS_SHOWN:
        lines.append(f"  … and {len(problems) - MAX_ERRORS_SHOWN} more")
    return CanvasError("\n".join(lines), problems=problems)


def parse_canvas(text: str, source: str | Path = "<string>") -> Canvas:
    """Validate canvas YAML text; ``source`` names it in error messages.

    >>> parse_canvas("organization: Acme\\ncalendar: {hours_per_day: 10}").calendar.hours_per_day
    10.0
    """
    return validate_document(read_document(text, source), source)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CanvasError(
            "no such canvas file", where=Location(path), hint="create one with `opcanvas init`"
        ) from None
    except UnicodeDecodeError as exc:
        raise CanvasError(
            f"expected UTF-8 text, found a byte it cannot decode at offset {exc.start}",
            where=Location(path),
        ) from None
    except OSError as exc:
        raise CanvasError(f"cannot read the file: {exc.strerror}", where=Location(path)) from None


def load_canvas(path: str | Path) -> Canvas:
    """Read and validate a canvas file. Raises :class:`CanvasError` with file, line and column."""
    path = Path(path)
    return parse_canvas(_read_text(path), path)


def load_document(path: str | Path) -> tuple[CommentedMap, Canvas]:
    """The file's round-trip document (comments, key order) and its validated Canvas."""
    path = Path(path)
    doc = read_document(_read_text(path), path)
    return doc, validate_document(doc, path)


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write a file so that readers see the old content or the new, never a part."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(path.stat().st_mode & 0o777 if path.exists() else 0o644)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def update_canvas(path: str | Path, change: Callable[[CommentedMap], None]) -> Canvas:
    """Apply ``change`` to the file's document, validate, and write back atomically.

    Comments and key order survive. If the changed document does not validate, the file is
    left exactly as it was and the :class:`CanvasError` says why.
    """
    path = Path(path)
    doc, _ = load_document(path)
    change(doc)
    text = dump_document(doc)
    canvas = parse_canvas(text, path)
    write_atomic(path, text)
    return canvas


SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def canvas_schema() -> dict[str, Any]:
    """The JSON Schema of canvas files, for editors that check and complete YAML.

    Point the YAML language server at it with a first line such as
    ``# yaml-language-server: $schema=canvas.schema.json``.

    >>> schema = canvas_schema()
    >>> schema["title"], "organization" in schema["required"]
    ('opcanvas canvas', True)
    """
    schema = Canvas.model_json_schema()
    return {"$schema": SCHEMA_DIALECT, **schema, "title": "opcanvas canvas"}
