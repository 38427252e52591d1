"""The base every canvas model shares: unknown keys are errors, ids are slugs."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
"""A slug: lower-case letters, digits, ``-`` and ``_``, starting with a letter or digit."""


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
