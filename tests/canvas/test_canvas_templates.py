"""The built-in templates: registered, valid, stable on a round trip, and true to the seeds."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pytest

from opcanvas.canvas.io import dump_document, parse_canvas, read_document
from opcanvas.canvas.templates import (
    TEMPLATES,
    get_template,
    init_canvas,
    load_template,
    render_template,
    sample_canvas,
    sample_text,
    template_text,
)
from opcanvas.errors import CanvasError

NAMES = [t.name for t in TEMPLATES]
# The seeds live beside the repository, like the event logs (see tests/conftest.py).
SEEDS = Path(
    os.environ.get("OPCANVAS_SEEDS", Path(__file__).resolve().parents[3] / "shared" / "seeds")
)


# ---- the registry ---------------------------------------------------------------------------


def test_the_registry_has_the_templates_the_issue_asks_for() -> None:
    assert NAMES == [
        "operational-canvas",
        "customer-service",
        "order-fulfillment",
        "software-delivery",
        "manufacturing",
        "blank",
        "sample",
    ]


@pytest.mark.parametrize("template", TEMPLATES, ids=NAMES)
def test_every_template_has_a_one_line_description(template: object) -> None:
    description = template.description  # type: ignore[attr-defined]
    assert 20 <= len(description) <= 160
    assert "\n" not in description


def test_every_template_file_is_registered_and_every_registered_file_exists() -> None:
    shipped = sorted(
        p.name
        for p in (files("opcanvas.canvas") / "templates").iterdir()
        if p.name.endswith(".yaml")
    )
    assert shipped == sorted(t.filename for t in TEMPLATES)


def test_an_unknown_template_lists_the_known_ones() -> None:
    with pytest.raises(CanvasError) as caught:
        get_template("kanban")
    assert str(caught.value).startswith('no template "kanban"; the templates are: operational-')
    assert caught.value.hint == "`opcanvas templates` lists them with a description"


# ---- every template -------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_template_validates(name: str) -> None:
    canvas = parse_canvas(template_text(name), name)
    assert canvas == load_template(name)
    assert canvas.organization == (
        "Northwind Services" if name == "sample" else "Your Organization"
    )


@pytest.mark.parametrize("name", NAMES)
def test_every_template_survives_a_round_trip_byte_for_byte(name: str) -> None:
    # Written in the layout opcanvas writes, so an edit through update_canvas changes only the
    # lines it touches and every comment stays.
    text = template_text(name)
    assert dump_document(read_document(text)) == text
    assert all(len(line) <= 100 for line in text.splitlines())
    assert text.startswith("# ")


@pytest.mark.parametrize("name", NAMES)
def test_every_template_has_one_organization_line_to_set(name: str) -> None:
    assert len(re.findall(r"(?m)^organization: ", template_text(name))) == 1


@pytest.mark.parametrize(
    "organization", ["Acme", "Acme: Holdings #1", "O'Brien & Sons", "- dash", "yes", "123", "Ünï"]
)
def test_render_sets_the_name_exactly_as_a_round_trip_would(organization: str) -> None:
    text = render_template("blank", organization)
    assert parse_canvas(text).organization == organization
    doc = read_document(template_text("blank"))
    doc["organization"] = organization
    assert text == dump_document(doc)


def test_render_changes_only_the_organization_line() -> None:
    before = template_text("sample").splitlines()
    after = render_template("sample", "Contoso").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("organization: Northwind Services", "organization: Contoso")]


def test_load_template_hands_out_independent_copies() -> None:
    first = sample_canvas()
    first.stream("growth/mql-to-close").steps.clear()
    first.gaps.clear()
    second = sample_canvas()
    assert len(second.stream("growth/mql-to-close").steps) == 6
    assert len(second.gaps) == 10
    assert load_template("sample", "Contoso").organization == "Contoso"
    assert sample_text() == template_text("sample")


def test_init_canvas_refuses_to_replace_a_file_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "canvas.yaml"
    path.write_bytes(b"organization: Mine\n")
    with pytest.raises(CanvasError) as caught:
        init_canvas(path, "blank")
    assert caught.value.hint == "pass --force to overwrite it, or choose another file name"
    assert path.read_bytes() == b"organization: Mine\n"
    assert init_canvas(path, "blank", organization="Acme", force=True).organization == "Acme"
    assert parse_canvas(path.read_text(encoding="utf-8")).organization == "Acme"


# ---- the SAFe templates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ref", "safe_type", "steps"),
    [
        ("customer-service", "retention/customer-service", "fulfillment",
         ["log-request", "assign-agent", "research", "correspond", "document", "close-ticket"]),
        ("order-fulfillment", "efficiency/order-fulfillment", "fulfillment",
         ["payment", "transmit-order", "pick", "pack", "ship-prep", "deliver"]),
        ("order-fulfillment", "efficiency/inventory-replenishment", "supporting",
         ["forecast", "procure", "receive", "putaway", "replenish", "stock-analysis"]),
        ("software-delivery", "innovation/software-delivery", "software",
         ["release-planning", "build", "quality-assurance", "deploy", "licensing", "entitlement",
          "maintenance"]),
        ("manufacturing", "efficiency/production", "manufacturing",
         ["procure", "sub-assembly", "final-assembly", "quality-control", "distribute"]),
    ],
)  # fmt: skip
def test_the_safe_templates_hold_the_seeds_steps(
    name: str, ref: str, safe_type: str, steps: list[str]
) -> None:
    stream = load_template(name).stream(ref)
    assert stream.safe_type == safe_type
    assert stream.kind == "operational"
    assert [s.id for s in stream.steps] == steps


def test_the_manufacturing_template_is_in_learning_to_see_terms() -> None:
    stream = load_template("manufacturing").stream("efficiency/production")
    assert stream.mode == "manufacturing"
    assert stream.production is not None
    available = stream.production.shifts * (
        stream.production.shift_length - stream.production.breaks
    )
    assert available == 900  # 2 × (480 − 30) minutes
    assert stream.demand is not None
    per_day = stream.demand * 16 * 60  # the calendar's day is 16 h
    assert per_day == pytest.approx(920)
    takt_seconds = available * 60 / per_day
    assert takt_seconds == pytest.approx(58.7, abs=0.05)
    slower_than_takt = [s.id for s in stream.steps if s.cycle_time and s.cycle_time * 60 > 58.7]
    assert slower_than_takt == ["final-assembly"]  # 62 s against a takt of 58.7 s


def test_the_blank_template_is_four_empty_engines() -> None:
    canvas = load_template("blank")
    assert list(canvas.engines) == ["growth", "retention", "efficiency", "innovation"]
    assert canvas.counts()["streams"] == 0


# ---- the operational canvas against the seed ------------------------------------------------


@dataclass
class SeedStream:
    engine: str
    name: str
    trigger: str = ""
    owner: str = ""
    systems: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    bottlenecks: list[str] = field(default_factory=list)
    opportunity: str = ""


def _field(line: str, label: str) -> str | None:
    prefix = f"**{label}**:"
    return line[len(prefix) :].strip() if line.startswith(prefix) else None


def seed_streams(text: str) -> list[SeedStream]:
    """Walk the seed's headings: ``## X Engine Value Stream``, then ``#### Stream N: name``."""
    streams: list[SeedStream] = []
    engine: str | None = None
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if raw.startswith("## "):
            match = re.fullmatch(r"## (\w+) Engine Value Stream", raw.strip())
            engine = match.group(1).lower() if match else None
            continue
        if engine is None:
            continue
        if match := re.fullmatch(r"#### Stream \d+: (.+)", line):
            streams.append(SeedStream(engine, match.group(1)))
            section = ""
            continue
        if not streams or streams[-1].engine != engine:
            continue
        stream = streams[-1]
        for label, attribute in (("Trigger", "trigger"), ("Owner", "owner")):
            if (value := _field(line, label)) is not None:
                setattr(stream, attribute, value)
        if (value := _field(line, "Systems")) is not None:
            stream.systems = [s.strip() for s in value.split(",")]
        if (value := _field(line, "Opportunity Value")) is not None:
            stream.opportunity = value
        if line.startswith("**Key Steps**"):
            section = "steps"
        elif line.startswith("**Current State Metrics**"):
            section = "metrics"
        elif line.startswith("**Bottlenecks & Friction**"):
            section = "bottlenecks"
        elif line.startswith("**"):
            section = ""
        elif section == "steps" and (match := re.fullmatch(r"\d+\. (.+)", line)):
            stream.steps.append(match.group(1))
        elif section == "metrics" and line.startswith("- "):
            stream.metrics.append(line[2:])
        elif section == "bottlenecks" and line.startswith("- [ ] "):
            stream.bottlenecks.append(line[len("- [ ] ") :])
    return streams


@pytest.fixture(scope="module")
def seed_text() -> str:
    path = SEEDS / "000_be7c5b3a59f0cdc0.txt"
    if not path.is_file():
        pytest.fail(
            f"the Operational Canvas seed is not at {path}; set OPCANVAS_SEEDS to its directory"
        )
    return path.read_text(encoding="utf-8")


def test_the_seed_walk_finds_the_thirteen_streams(seed_text: str) -> None:
    streams = seed_streams(seed_text)
    per_engine = {
        e: sum(s.engine == e for s in streams) for e in dict.fromkeys(s.engine for s in streams)
    }
    assert per_engine == {"growth": 3, "retention": 4, "efficiency": 3, "innovation": 3}
    for stream in streams:
        assert stream.trigger and stream.owner and stream.opportunity, stream.name
        assert len(stream.steps) == 5, stream.name
        assert len(stream.bottlenecks) >= 5, stream.name
        assert len(stream.metrics) == 4, stream.name


def test_every_seed_stream_is_in_the_operational_canvas_template(seed_text: str) -> None:
    canvas = load_template("operational-canvas")
    for seed in seed_streams(seed_text):
        engine = canvas.engines[seed.engine]
        matches = [s for s in engine.streams.values() if s.name == seed.name]
        assert len(matches) == 1, f"{seed.engine}: no stream named {seed.name!r}"
        stream = matches[0]
        assert stream.trigger is not None and stream.trigger.event == seed.trigger, seed.name
        assert stream.owner == seed.owner, seed.name
        assert [s.name for s in stream.steps] == seed.steps, seed.name
        assert stream.systems == seed.systems, seed.name
        assert [b.text for b in stream.bottlenecks] == seed.bottlenecks, seed.name
        assert not any(b.checked for b in stream.bottlenecks), seed.name
        assert stream.opportunity is not None and stream.opportunity.text == seed.opportunity
        # every seed metric is a KPI (the health distribution is three: green, yellow, red)
        extra = sum(2 for m in seed.metrics if m.startswith("Health Score Distribution"))
        assert len(stream.metrics) == len(seed.metrics) + extra, seed.name
        assert all(k.actual is None and k.target is None and k.unit for k in stream.metrics)
        assert all(s.process_time is None and s.wait_time is None for s in stream.steps)
    assert canvas.counts()["streams"] == 13


def test_the_template_engines_match_the_seed(seed_text: str) -> None:
    canvas = load_template("operational-canvas")
    pattern = re.compile(
        r"### \d\. (\w+) Engine\n\*\*Purpose\*\*: (.+)\n\n\*\*Value Flow\*\*: (.+)\n\n"
        r"\*\*Owned By\*\*: (.+)\n"
    )
    found = pattern.findall(seed_text)
    assert len(found) == 4
    for name, purpose, flow, owners in found:
        engine = canvas.engines[name.lower()]
        assert engine.name == f"{name} Engine"
        assert engine.purpose == purpose
        assert engine.value_flow == flow.split(" → ")
        assert engine.owners == owners.split(", ")


def test_the_template_holds_the_seeds_four_handoffs(seed_text: str) -> None:
    canvas = load_template("operational-canvas")
    pattern = re.compile(
        r"### (\w+) → (\w+ ?\w*)\n\*\*Handoff\*\*: (.+)\n(?:- .+\n)*?- \*\*Solution\*\*: (.+)"
    )
    found = pattern.findall(seed_text)
    assert len(found) == 4
    handoffs = {(h.from_engine, h.to_engine): h for h in canvas.handoffs}
    for source, target, name, solution in found:
        to = "all" if target == "All Engines" else target.lower()
        handoff = handoffs[(source.lower(), to)]
        assert (handoff.name, handoff.solution) == (name, solution)


def test_the_template_holds_the_seeds_sprints_and_rhythms(seed_text: str) -> None:
    canvas = load_template("operational-canvas")
    assert [s.name for s in canvas.roadmap.sprints] == re.findall(
        r"\*\*Sprint \d \(Days [\d-]+\): (\w+)\*\*", seed_text
    )
    assert [r.cadence for r in canvas.governance.rhythms] == ["weekly", "monthly", "quarterly"]
    for rhythm in canvas.governance.rhythms:
        for item in rhythm.agenda:
            assert f"- {item}\n" in seed_text
