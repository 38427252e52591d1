"""A gap's value-driver tree, checked and put in evaluation order.

Names a formula may use, in the order they are looked up:

1. the gap's ``drivers`` (numbers or ranges);
2. the gap's other ``formulas`` (evaluated first: the formulas are ordered topologically);
3. the canvas calendar: ``working_days_per_month``, ``hours_per_day``, ``days_per_week``.
   A driver of the same name overrides the calendar for that gap.

The gap's annual value is the name ``annual_value``: a formula, or a driver when a workshop
estimated it directly. A gap with neither gets the seed's built-in formula
``annual_value = current_loss * improvement * volume * frequency``.

>>> from opcanvas.canvas import parse_canvas
>>> canvas = parse_canvas('''
... organization: Acme
... engines: {growth: {streams: {s: {name: S}}}}
... gaps:
...   - {id: g, stream: growth/s, drivers: {current_loss: 100, improvement: 50%, volume: 10,
...      frequency: 12}}
... ''')
>>> model = compile_gap(canvas, 0)
>>> [name for name, _ in model.order], model.builtin
(['annual_value'], True)
"""

from __future__ import annotations

import ast
import keyword
from dataclasses import dataclass
from fractions import Fraction

from opcanvas.canvas.gaps import Gap
from opcanvas.canvas.model import Canvas
from opcanvas.canvas.quantities import Quantity, Range, point
from opcanvas.errors import FormulaError, Location
from opcanvas.value.formula import (
    Invalid,
    evaluate_exact,
    exact,
    names_in,
    parse_formula,
    unknown_name_error,
)

SEED_DRIVERS = ("current_loss", "improvement", "volume", "frequency")
SEED_FORMULA = "current_loss * improvement * volume * frequency"
CALENDAR_NAMES = ("working_days_per_month", "hours_per_day", "days_per_week")
ANNUAL_VALUE = "annual_value"


@dataclass(frozen=True)
class GapModel:
    """One gap, ready to evaluate: drivers, calendar values and formulas in order."""

    index: int
    gap: Gap
    drivers: dict[str, Quantity]
    calendar: dict[str, float]
    order: tuple[tuple[str, ast.Expression], ...]
    texts: dict[str, str]
    builtin: bool

    @property
    def key(self) -> str:
        return f"gaps[{self.index}]"

    def ranged(self) -> list[str]:
        """Drivers that are ranges, sorted by name (the Monte Carlo and tornado inputs)."""
        return sorted(n for n, q in self.drivers.items() if isinstance(q, Range))

    def point_env(self, estimate: str) -> dict[str, float | Fraction]:
        env: dict[str, float | Fraction] = dict(self.calendar)
        for name, quantity in self.drivers.items():
            value = point(quantity, "mean" if estimate == "mean" else "likely")
            assert value is not None
            env[name] = value
        return env

    def evaluate(self, env: dict[str, float | Fraction]) -> dict[str, Fraction]:
        """Every formula, exactly, on ``env``; the lines dict always holds ``annual_value``."""
        values: dict[str, float | Fraction] = {k: exact(v) for k, v in env.items()}
        lines: dict[str, Fraction] = {}
        for name, tree in self.order:
            try:
                result = evaluate_exact(tree, values)
            except Invalid as exc:
                raise FormulaError(
                    f'gap "{self.gap.id}", formula "{name}" ({self.texts[name]}): {exc} '
                    "at point values",
                    where=Location(key=f"{self.key}.formulas.{name}"),
                    hint="check the drivers it uses; a divisor must not be zero",
                ) from None
            values[name] = result
            lines[name] = result
        if ANNUAL_VALUE not in lines:
            lines[ANNUAL_VALUE] = exact(values[ANNUAL_VALUE])
        return lines


def quantifiable(gap: Gap) -> bool:
    """A gap can be valued once it has drivers or formulas; blank gaps are listed, not guessed."""
    return bool(gap.drivers or gap.formulas)


def compile_gap(canvas: Canvas, index: int) -> GapModel:
    """Check one gap's names and formulas; FormulaError says which gap, formula and name."""
    gap = canvas.gaps[index]
    key = f"gaps[{index}]"
    for name in gap.drivers:
        if not name.isidentifier() or keyword.iskeyword(name):
            raise FormulaError(
                f'gap "{gap.id}": the driver name "{name}" cannot be used in a formula',
                where=Location(key=f"{key}.drivers.{name}"),
                hint="use letters, digits and underscores, e.g. win_rate",
            )
    texts = dict(gap.formulas)
    builtin = not texts and ANNUAL_VALUE not in gap.drivers
    if builtin:
        _check_seed_drivers(gap, key)
        texts = {ANNUAL_VALUE: SEED_FORMULA}
    trees = _parse_all(gap, texts, key)
    calendar = {
        "working_days_per_month": canvas.calendar.working_days_per_month,
        "hours_per_day": canvas.calendar.hours_per_day,
        "days_per_week": canvas.calendar.days_per_week,
    }
    known = set(gap.drivers) | set(texts) | set(calendar)
    for name, tree in trees.items():
        for ref in names_in(tree):
            if ref not in known:
                raise unknown_name_error(
                    ref, sorted(known), gap_id=gap.id, name=name, key=f"{key}.formulas.{name}"
                )
    if ANNUAL_VALUE not in texts and ANNUAL_VALUE not in gap.drivers:
        raise FormulaError(
            f'gap "{gap.id}": no formula named annual_value among {", ".join(sorted(texts))}',
            where=Location(key=f"{key}.formulas"),
            hint="name the formula that gives the yearly value annual_value",
        )
    order = _topological(gap, trees, key)
    return GapModel(index, gap, dict(gap.drivers), calendar, order, texts, builtin)


def _check_seed_drivers(gap: Gap, key: str) -> None:
    missing = [d for d in SEED_DRIVERS if d not in gap.drivers]
    if missing:
        raise FormulaError(
            f'gap "{gap.id}" has no formulas, so the built-in formula annual_value = '
            f"{SEED_FORMULA} applies; it needs the drivers {', '.join(SEED_DRIVERS)}, "
            f"missing: {', '.join(missing)}",
            where=Location(key=f"{key}.drivers"),
            hint="add the missing drivers (frequency: 12 for a monthly volume), or write "
            "formulas with one named annual_value",
        )


def _parse_all(gap: Gap, texts: dict[str, str], key: str) -> dict[str, ast.Expression]:
    trees: dict[str, ast.Expression] = {}
    for name, text in texts.items():
        where = f"{key}.formulas.{name}"
        if not name.isidentifier() or keyword.iskeyword(name):
            raise FormulaError(
                f'gap "{gap.id}": the formula name "{name}" is not a valid name',
                where=Location(key=where),
                hint="use letters, digits and underscores, e.g. lost_days",
            )
        if name in gap.drivers:
            raise FormulaError(
                f'gap "{gap.id}": "{name}" is both a driver and a formula',
                where=Location(key=where),
                hint="rename one of them",
            )
        trees[name] = parse_formula(text, gap_id=gap.id, name=name, key=where)
    return trees


def _topological(
    gap: Gap, trees: dict[str, ast.Expression], key: str
) -> tuple[tuple[str, ast.Expression], ...]:
    """Formulas in an order where each comes after the formulas it uses (file order on ties)."""
    deps = {name: [r for r in names_in(tree) if r in trees] for name, tree in trees.items()}
    done: dict[str, ast.Expression] = {}
    visiting: list[str] = []

    def visit(name: str) -> None:
        if name in done:
            return
        if name in visiting:
            cycle = [*visiting[visiting.index(name) :], name]
            raise FormulaError(
                f'gap "{gap.id}": the formulas refer to each other in a cycle: '
                + " → ".join(cycle),
                where=Location(key=f"{key}.formulas.{name}"),
                hint="one formula in the cycle must use drivers instead",
            )
        visiting.append(name)
        for dep in deps[name]:
            visit(dep)
        visiting.pop()
        done[name] = trees[name]

    for name in trees:
        visit(name)
    return tuple(done.items())
