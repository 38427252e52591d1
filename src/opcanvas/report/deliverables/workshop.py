"""The workshop pack: the agenda that fills the canvas, its participants and the pre-work.

Timings are the seed's (Operational Canvas, "Session Flow (Per Engine)"): Part 1, current-state
mapping, 3 h (30 + 90 + 45 + 45 min); Part 2, gap analysis, 2 h (45 + 45 + 30 min); Part 3,
prioritisation and roadmap, 3 h (60 + 60 + 45 + 15 min). The full-day format runs the three
parts for one engine a day; the two-day format runs Parts 1 and 2 as engine break-outs on day
one and Part 3 in plenary on day two. Breaks are not in the seed's 8 hours and are not added.
"""

from __future__ import annotations

import datetime as dt

from opcanvas.canvas.model import STANDARD_ENGINES, Canvas
from opcanvas.report.document import (
    Bullets,
    Deliverable,
    Missing,
    Paragraph,
    Section,
    Table,
    text,
)

PARTS: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = (
    (
        "Part 1: Current State Mapping",
        (
            ("Identify primary value streams", 30),
            ("Map process steps and handoffs", 90),
            ("Document systems, data, people", 45),
            ("Capture metrics and performance", 45),
        ),
    ),
    (
        "Part 2: Gap Analysis",
        (
            ("Identify bottlenecks and friction", 45),
            ("Quantify impact of each gap", 45),
            ("Brainstorm solutions", 30),
        ),
    ),
    (
        "Part 3: Prioritization & Roadmap",
        (
            ("Score and rank opportunities", 60),
            ("Build 90-day transformation roadmap", 60),
            ("Define success metrics and governance", 45),
            ("Commit to next actions", 15),
        ),
    ),
)
DAY_START = dt.time(9, 0)
SEED_PREWORK = (
    "Export the event data of each stream's systems (CRM, ticketing, project tools) for "
    "mining: case id, activity, start and end timestamps, resource",
    "Collect current-state metrics per stream: cycle times, volumes, error and rework rates",
    "Bring the top 3 strategic priorities (the Business Canvas) for scoring alignment",
    "Name the process owners and key operators for each stream (not just managers)",
)
SUCCESS_FACTORS = (
    "Cross-functional participation (not siloed)",
    "Process owners present (not just managers)",
    "Real data used (not aspirational)",
    "Honest gap assessment (no sugar-coating)",
    "Quantification discipline applied",
    "Commitment to action (not just analysis)",
)


def _clock(start: dt.datetime, minutes: int) -> str:
    return (start + dt.timedelta(minutes=minutes)).strftime("%H:%M")


def _agenda_rows(parts: tuple[int, ...], label: str = "") -> list[tuple[str, ...]]:
    """(time, part, activity, minutes) rows for the given parts, clock from 09:00."""
    start = dt.datetime.combine(dt.date(2000, 1, 1), DAY_START)
    rows: list[tuple[str, ...]] = []
    offset = 0
    for index in parts:
        title, items = PARTS[index]
        for activity, minutes in items:
            span = f"{_clock(start, offset)}–{_clock(start, offset + minutes)}"
            rows.append((span, title + label, activity, str(minutes)))
            offset += minutes
    return rows


def _table(rows: list[tuple[str, ...]], caption: str) -> Table:
    return Table(
        ("Time", "Part", "Activity", "Minutes"),
        tuple((text(a), text(b), text(c), text(d)) for a, b, c, d in rows),
        caption=caption,
    )


def _engines(canvas: Canvas) -> list[tuple[str, str]]:
    if canvas.engines:
        return [(key, engine.name or key.title()) for key, engine in canvas.engines.items()]
    return [(key, key.title()) for key in STANDARD_ENGINES]


def _formats(canvas: Canvas) -> list[Section]:
    engines = _engines(canvas)
    full = _agenda_rows((0, 1, 2))
    full_day = Section(
        "Format A: a full day (8 hours) per engine",
        (
            Paragraph(
                "One day per engine: "
                + "; ".join(f"day {i}: {name}" for i, (_, name) in enumerate(engines, start=1))
                + ". Each day follows the same agenda (the seed's timings; breaks not included)."
            ),
            _table(full, "Agenda of each engine's day"),
        ),
    )
    day_one = _agenda_rows((0, 1), " (engine break-outs)")
    day_two = _agenda_rows((2,), " (plenary, all engines)")
    two_day = Section(
        "Format B: two-day comprehensive",
        (
            Paragraph(
                "Day 1 runs current-state mapping and gap analysis in parallel break-out groups, "
                "one per engine ("
                + ", ".join(name for _, name in engines)
                + "); day 2 scores, ranks and plans every engine's gaps together, so the "
                "roadmap and the cross-engine handoffs are decided in one room."
            ),
            _table(day_one, "Day 1"),
            _table(day_two, "Day 2"),
        ),
    )
    chosen = canvas.workshop.format if canvas.workshop else "full_day"
    return [full_day, two_day] if chosen == "full_day" else [two_day, full_day]


def _people(canvas: Canvas) -> Section:
    workshop = canvas.workshop
    names = dict(_engines(canvas))
    blocks: list[Paragraph | Table | Bullets | Missing] = []
    if workshop is None or not workshop.participants:
        blocks.append(
            Missing(("workshop.participants: functional leaders and key operators per engine",))
        )
    else:
        blocks.append(
            Table(
                ("Participant", "Role", "Engine"),
                tuple(
                    (
                        text(p.name),
                        text(p.role or ""),
                        text(names.get(p.engine, p.engine) if p.engine else "all engines"),
                    )
                    for p in workshop.participants
                ),
            )
        )
    facilitator = workshop.facilitator if workshop and workshop.facilitator else None
    blocks.append(
        Paragraph(
            f"Facilitator: {facilitator}."
            if facilitator
            else "Facilitator: not named yet (workshop.facilitator)."
        )
    )
    blocks.append(Paragraph("The sessions succeed when:"))
    blocks.append(Bullets(SUCCESS_FACTORS))
    return Section("Participants", tuple(blocks))


def _prework(canvas: Canvas) -> Section:
    given = tuple(canvas.workshop.prework) if canvas.workshop else ()
    blocks: list[Paragraph | Bullets] = []
    if given:
        blocks.append(Bullets(given))
    else:
        blocks.append(Paragraph("The canvas lists no pre-work yet; the standard list:"))
        blocks.append(Bullets(SEED_PREWORK))
    return Section("Pre-work", tuple(blocks))


def build_workshop(canvas: Canvas) -> Deliverable:
    """The workshop pack for ``canvas`` (its format, date, participants and pre-work)."""
    workshop = canvas.workshop
    chosen = "two-day" if workshop and workshop.format == "two_day" else "full day per engine"
    when = f" on {workshop.date.isoformat()}" if workshop and workshop.date else ""
    return Deliverable(
        key="workshop",
        number="",
        title="Workshop Pack",
        summary=(
            f"The session that fills this canvas: {chosen} format{when}. Part 1 maps the current "
            "state (3 h), Part 2 quantifies the gaps (2 h), Part 3 ranks them and builds the "
            "90-day roadmap (3 h)."
        ),
        sections=(*_formats(canvas), _people(canvas), _prework(canvas)),
        conventions=(
            ("timings", "the seed's session flow: 3 h + 2 h + 3 h = 8 h, breaks not included"),
            ("clock", f"agenda starts at {DAY_START.strftime('%H:%M')}"),
            ("selected format", chosen),
        ),
    )
