"""The governance rhythms and sprints as an iCalendar file (RFC 5545), written by hand.

Deterministic: every UID is a hash of the organisation and the event's name, DTSTAMP is the
start date at midnight UTC, events come in a fixed order, so the same canvas and start date
give the same bytes. Times are floating local times (no time zone), on the governance
``weekday`` at ``time``:

- weekly: ``FREQ=WEEKLY`` from the first such weekday on or after the start, for the whole
  roadmap (sprints × sprint length, in weeks, rounded up);
- monthly: the first such weekday of each month (``FREQ=MONTHLY;BYDAY=1TU``), one a month;
- quarterly: every ``round(sprint_days / 7)`` weeks from the last week of sprint 1, one per
  sprint, so each business review closes a sprint;
- each sprint: an all-day event from its first to its last day, listing its initiatives.

>>> [len(part) for part in fold("X" * 80).splitlines()]
[75, 6]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math

from opcanvas.roadmap.governance import GovernancePack, Review

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (§3.1)."""
    out: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with a space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _first_monthly(start: dt.date, weekday: int) -> dt.date:
    first = _on_or_after(start.replace(day=1), weekday)
    if first >= start:
        return first
    month = start.replace(day=28) + dt.timedelta(days=4)
    return _on_or_after(month.replace(day=1), weekday)


def _uid(organization: str, name: str) -> str:
    digest = hashlib.sha256(f"{organization}\x00{name}".encode()).hexdigest()[:24]
    return f"{digest}@opcanvas"


def _stamp(day: dt.date, time: str | None = None) -> str:
    if time is None:
        return day.strftime("%Y%m%d")
    return day.strftime("%Y%m%d") + "T" + time.replace(":", "") + "00"


def _duration(minutes: float) -> str:
    hours, mins = divmod(round(minutes), 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{mins}M" if mins or not hours else "")


def _review_event(pack: GovernancePack, review: Review, start: dt.date, sprints: int) -> list[str]:
    weekday = WEEKDAYS.index(pack.weekday)
    days = sprints * pack.sprint_days
    if review.cadence == "weekly":
        first = _on_or_after(start, weekday)
        rule = f"FREQ=WEEKLY;BYDAY={BYDAY[weekday]};COUNT={math.ceil(days / 7)}"
    elif review.cadence == "monthly":
        first = _first_monthly(start, weekday)
        rule = f"FREQ=MONTHLY;BYDAY=1{BYDAY[weekday]};COUNT={math.ceil(days / 30)}"
    else:
        weeks = max(1, round(pack.sprint_days / 7))
        first = _on_or_after(start + dt.timedelta(days=pack.sprint_days - 7), weekday)
        rule = f"FREQ=WEEKLY;INTERVAL={weeks};BYDAY={BYDAY[weekday]};COUNT={sprints}"
    description = "\n".join(f"- {item}" for item in review.agenda)
    if review.attendees:
        description += "\nAttendees: " + ", ".join(review.attendees)
    return [
        "BEGIN:VEVENT",
        f"UID:{_uid(pack.organization, review.cadence + ':' + review.name)}",
        f"DTSTAMP:{_stamp(start)}T000000Z",
        f"DTSTART:{_stamp(first, pack.time)}",
        f"DURATION:{_duration(review.duration_minutes)}",
        f"RRULE:{rule}",
        f"SUMMARY:{escape(f'{review.name} ({review.cadence})')}",
        f"DESCRIPTION:{escape(description)}",
        "END:VEVENT",
    ]


def to_ics(pack: GovernancePack, start: dt.date) -> str:
    """The pack's reviews and sprints as RFC 5545 text (CRLF line ends).

    >>> from opcanvas.canvas import load_canvas
    >>> from opcanvas.value import quantify
    >>> from opcanvas.value.prioritize import prioritize
    >>> from opcanvas.roadmap import plan_roadmap
    >>> from opcanvas.roadmap.governance import governance_pack
    >>> canvas = load_canvas("examples/sales-proposal.yaml")
    >>> values = quantify(canvas, samples=100)
    >>> pack = governance_pack(canvas, plan_roadmap(canvas, values, prioritize(canvas, values)))
    >>> to_ics(pack, dt.date(2027, 1, 4)).count("BEGIN:VEVENT")
    7
    """
    sprints = max(1, len(pack.sprints))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//opcanvas//governance rhythms//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape(pack.organization + ' transformation governance')}",
    ]
    for review in pack.reviews:
        lines += _review_event(pack, review, start, sprints)
    for sprint in pack.sprints:
        first = start + dt.timedelta(days=(sprint.number - 1) * pack.sprint_days)
        after = first + dt.timedelta(days=pack.sprint_days)
        text = "\n".join(
            [f"Focus: {f}" for f in sprint.focus]
            + [f"In flight: {', '.join(sprint.in_flight) or 'none'}"]
            + [f"Finishing: {', '.join(sprint.finishing) or 'none'}"]
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_uid(pack.organization, f'sprint:{sprint.number}')}",
            f"DTSTAMP:{_stamp(start)}T000000Z",
            f"DTSTART;VALUE=DATE:{_stamp(first)}",
            f"DTEND;VALUE=DATE:{_stamp(after)}",
            f"SUMMARY:{escape(f'Sprint {sprint.number}: {sprint.name}')}",
            f"DESCRIPTION:{escape(text)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
