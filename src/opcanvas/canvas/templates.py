"""Built-in canvas templates: a registry declared once, each template a commented YAML file.

The files live beside this module (``templates/<name>.yaml``) and ship as package data. They are
written in the layout opcanvas itself writes (two-space maps, dashes indented by two), so setting
the organisation name and writing one back keeps every comment and line as it was.

>>> [template.name for template in TEMPLATES][:2]
['operational-canvas', 'customer-service']
>>> load_template("sample").organization
'Northwind Services'
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from opcanvas.canvas.io import dump_document, parse_canvas, write_atomic
from opcanvas.canvas.model import Canvas
from opcanvas.errors import CanvasError, Location

DEFAULT_TEMPLATE = "operational-canvas"
SAMPLE = "sample"


@dataclass(frozen=True)
class Template:
    """A built-in canvas template: its name on the command line and what it holds."""

    name: str
    description: str

    @property
    def filename(self) -> str:
        return f"{self.name}.yaml"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


TEMPLATES: tuple[Template, ...] = (
    Template(
        "operational-canvas",
        "The four engines and all 13 primary streams of the Operational Canvas: triggers, "
        "owners, key steps, systems, blank metrics and bottleneck checklists",
    ),
    Template(
        "customer-service",
        "SAFe fulfillment stream: a customer inquiry from logging to ticket closure",
    ),
    Template(
        "order-fulfillment",
        "SAFe fulfillment stream: a web order from payment through picking, packing and shipping "
        "to delivery",
    ),
    Template(
        "software-delivery",
        "SAFe software stream: a finished feature from release planning to licensing and "
        "maintenance",
    ),
    Template(
        "manufacturing",
        "SAFe manufacturing stream in Learning to See terms: cycle time, changeover, uptime, "
        "inventory between steps, takt",
    ),
    Template("blank", "An organisation, a working calendar and four empty engines"),
    Template(
        "sample",
        "Northwind Services: a filled-in sample organisation with realistic numbers in all four "
        "engines (used by `opcanvas demo`)",
    ),
)
"""Every built-in template, in the order ``opcanvas templates`` lists them."""


def get_template(name: str) -> Template:
    """The template called ``name``; a :class:`CanvasError` lists the names that exist.

    >>> get_template("blank").filename
    'blank.yaml'
    """
    for template in TEMPLATES:
        if template.name == name:
            return template
    known = ", ".join(t.name for t in TEMPLATES)
    raise CanvasError(
        f'no template "{name}"; the templates are: {known}',
        hint="`opcanvas templates` lists them with a description",
    )


@cache
def template_text(name: str) -> str:
    """The YAML text of a built-in template, comments included.

    >>> template_text("blank").startswith("#")
    True
    """
    template = get_template(name)
    return (files("opcanvas.canvas") / "templates" / template.filename).read_text("utf-8")


def _organization(name: str) -> str:
    if not name.strip():
        raise CanvasError(
            "expected an organisation name, got an empty one",
            hint='pass --organization "Your Company", or leave it out to keep the placeholder',
        )
    return name.strip()


def render_template(name: str, organization: str | None = None) -> str:
    """The template's text with ``organization`` set; every other line stays as it is.

    >>> "organization: Acme" in render_template("blank", "Acme")
    True
    >>> "organization: 'Acme: Holdings'" in render_template("blank", "Acme: Holdings")
    True
    """
    text = template_text(name)
    if organization is None:
        return text
    # The YAML writer quotes the name where YAML needs it; only that one line changes, so the
    # result is what a round trip through the document would give, without re-reading the file.
    doc = CommentedMap(organization=_organization(organization))
    line = dump_document(doc).rstrip("\n")
    return _ORGANIZATION_LINE.sub(lambda _: line, text, count=1)


_ORGANIZATION_LINE = re.compile(r"^organization: .*$", re.MULTILINE)


@cache
def _validated(name: str) -> Canvas:
    # Reading YAML with comments is slow in pure Python (about a second for the sample), so
    # each template is read once per process and handed out as copies.
    return parse_canvas(template_text(name), f"template {name}")


def load_template(name: str, organization: str | None = None) -> Canvas:
    """A built-in template as a validated :class:`Canvas` (a fresh copy: callers may change it).

    >>> load_template("blank", "Acme").counts()["engines"]
    4
    """
    canvas = _validated(name).model_copy(deep=True)
    if organization is not None:
        canvas.organization = _organization(organization)
    return canvas


def sample_text() -> str:
    """The YAML of the built-in sample organisation, Northwind Services."""
    return template_text(SAMPLE)


def sample_canvas() -> Canvas:
    """The built-in sample organisation, Northwind Services (a fresh copy on each call).

    >>> sample_canvas().stream("growth/mql-to-close").name
    'MQL → Closed-Won'
    """
    return load_template(SAMPLE)


def init_canvas(
    path: str | Path,
    template: str = DEFAULT_TEMPLATE,
    *,
    organization: str | None = None,
    force: bool = False,
) -> Canvas:
    """Write a new canvas file from a template; refuse to replace a file unless ``force``.

    Nothing is written unless the canvas validates; the write is atomic.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "acme.yaml"
    >>> init_canvas(target, "blank", organization="Acme").organization
    'Acme'
    """
    path = Path(path)
    if path.is_dir():
        raise CanvasError(
            "expected a file name, found a directory", where=Location(path),
            hint=f"name the canvas file, e.g. {path / 'canvas.yaml'}",
        )  # fmt: skip
    if path.exists() and not force:
        raise CanvasError(
            "the file already exists; nothing was written",
            where=Location(path),
            hint="pass --force to overwrite it, or choose another file name",
        )
    text = render_template(template, organization)
    canvas = load_template(template, organization)  # the text validated, as tests check
    write_atomic(path, text)
    return canvas
