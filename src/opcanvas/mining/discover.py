"""Proposing steps and a stream from a log that has no mapping yet.

Every activity reached by at least ``min_reach`` of the cases becomes a proposed step,
ordered by its typical position in the cases (the mean position of its instances), with the
most frequent variant shown for orientation. The proposal is a YAML snippet for the canvas
and one for the mapping file, to be edited in the workshop.

>>> slug("Send proposal (v2)")
'send-proposal-v2'
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from opcanvas.mining.eventlog import EventLog
from opcanvas.mining.mine import MiningResult, MiningSettings, mine
from opcanvas.mining.steps import StepStats


@dataclass(frozen=True)
class ProposedStep:
    id: str
    activity: str
    position: float
    reach: float
    executions: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "activity": self.activity, "position": self.position,
                "reach": self.reach, "executions": self.executions}  # fmt: skip


@dataclass(frozen=True)
class Discovery:
    """Proposed steps, the main variant, what was left out, and the YAML snippet."""

    source: str
    steps: list[ProposedStep]
    left_out: list[str]
    main_variant: tuple[str, ...]
    main_variant_share: float
    min_reach: float
    result: MiningResult

    def yaml(self, stream: str = "ENGINE/STREAM") -> str:
        """A canvas stream snippet and a mapping snippet, as one commented YAML text."""
        name = stream.partition("/")[2] or "discovered"
        canvas = CommentedMap()
        steps = CommentedSeq()
        for step in self.steps:
            item = CommentedMap([("id", step.id), ("name", step.activity)])
            item.fa.set_flow_style()
            steps.append(item)
        title = f"Discovered from {Path(self.source).name}"
        canvas[name] = CommentedMap([("name", title), ("steps", steps)])
        mapping = CommentedMap()
        mapped = CommentedMap()
        for step in self.steps:
            activities = CommentedSeq([step.activity])
            activities.fa.set_flow_style()
            mapped[step.id] = activities
        mapping["streams"] = CommentedMap([(stream, CommentedMap([("steps", mapped)]))])
        variant = " → ".join(self.main_variant)
        head = (
            f"# proposed from {Path(self.source).name}: activities reached by ≥ "
            f"{self.min_reach:.0%} of cases, in their typical order\n"
            f"# main variant ({self.main_variant_share:.1%} of cases): {variant}\n"
            "# 1) the canvas: under engines.<engine>.streams\n"
        )
        return head + _dump(canvas) + "# 2) the mapping file (--map)\n" + _dump(mapping)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "steps": [s.to_dict() for s in self.steps],
            "left_out": self.left_out, "main_variant": list(self.main_variant),
            "main_variant_share": self.main_variant_share, "min_reach": self.min_reach,
            "yaml": self.yaml(),
        }  # fmt: skip


def _dump(node: CommentedMap) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    yaml.dump(node, buffer)
    return buffer.getvalue()


def slug(text: str) -> str:
    """A canvas id: lower case, words joined by ``-``, at most 64 characters."""
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (words or "step")[:64].rstrip("-") or "step"


def discover(
    log: EventLog, min_reach: float = 0.05, settings: MiningSettings | None = None
) -> Discovery:
    """Propose steps from ``log``: activities by typical position, the rarer ones left out.

    >>> found = discover(read_log("tickets.xes.gz"), min_reach=0.1)  # doctest: +SKIP
    >>> print(found.yaml("retention/support"))  # doctest: +SKIP
    """
    result = mine(log, None, settings)
    kept: list[StepStats] = [s for s in result.steps if s.reach >= min_reach]
    left = [s.step for s in result.steps if s.reach < min_reach]
    ids: set[str] = set()
    steps = []
    for stats in kept:
        base = candidate = slug(stats.step)
        n = 2
        while candidate in ids:
            candidate, n = f"{base[:60]}-{n}", n + 1
        ids.add(candidate)
        steps.append(ProposedStep(candidate, stats.step, stats.position, stats.reach,
                                  stats.executions))  # fmt: skip
    top = result.variants.top[0] if result.variants.top else None
    return Discovery(
        log.source.name, steps, sorted(left), top.steps if top else (),
        top.share if top else 0.0, min_reach, result,
    )  # fmt: skip
