"""A safe evaluator for value-driver formulas: arithmetic on names, nothing else.

A formula is parsed with :mod:`ast` and every node is checked against a whitelist: numbers,
names, ``+ - * / **``, unary minus and plus, parentheses and the calls ``min``, ``max``,
``round`` and ``abs``. Nothing is ever passed to ``eval``. The same tree is evaluated two ways:

- **exactly** at point values, in decimal-faithful rational arithmetic (each input number is
  read as the decimal it prints as, so ``0.3`` is 3/10), which is why the seed's worked example
  comes out to the dollar: ``1440 / 20 * 30% * 50000`` is exactly 1,080,000;
- **vectorised** on NumPy arrays for Monte Carlo, where a division by zero marks the sample
  invalid instead of stopping the run.

``round(x)`` rounds half away from zero, as spreadsheets do; ``round(x, n)`` keeps ``n``
decimals (``n`` a whole-number constant).

>>> tree = parse_formula("improvement * (lost_deals + wasted)", gap_id="g", name="v")
>>> float(evaluate_exact(tree, {"improvement": 0.8, "lost_deals": 1080000, "wasted": 720000}))
1440000.0
"""

from __future__ import annotations

import ast
import difflib
import math
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from opcanvas.errors import FormulaError, Location

FUNCTIONS = ("abs", "max", "min", "round")
_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
_OP_TEXT = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_MAX_EXACT_POWER = 64  # larger whole-number powers fall back to floating point


class Invalid(Exception):  # noqa: N818 - internal signal, never leaves this package
    """A formula failed at point values; the caller turns it into a located FormulaError."""


def _error(message: str, gap_id: str, name: str, key: str | None, hint: str | None = None) -> Any:
    return FormulaError(
        f'gap "{gap_id}", formula "{name}": {message}',
        where=Location(key=key) if key else None,
        hint=hint,
    )


def parse_formula(text: str, *, gap_id: str, name: str, key: str | None = None) -> ast.Expression:
    """Parse and whitelist-check one formula; a FormulaError names the gap, formula and node."""
    try:
        tree = ast.parse(str(text).strip(), mode="eval")
    except SyntaxError as exc:
        raise _error(
            f"cannot parse {text!r} ({exc.msg})",
            gap_id,
            name,
            key,
            "write arithmetic on driver names, e.g. lost_days * cost_per_day",
        ) from None
    for node in ast.walk(tree):
        problem = _disallowed(node)
        if problem:
            raise _error(
                f"{problem} is not allowed in {text!r}",
                gap_id,
                name,
                key,
                "formulas may use numbers, names, + - * / **, parentheses and min, max, round, abs",
            )
    return tree


def _disallowed(node: ast.AST) -> str | None:
    """Why a node is outside the whitelist, or None when it is allowed."""
    if isinstance(node, ast.Expression | ast.Load | ast.Name):
        return None
    if isinstance(node, ast.operator):
        return None if isinstance(node, _BINOPS) else f'the operator "{type(node).__name__}"'
    if isinstance(node, ast.unaryop):
        return None if isinstance(node, ast.USub | ast.UAdd) else "that unary operator"
    if isinstance(node, ast.BinOp | ast.UnaryOp):
        return None
    if isinstance(node, ast.Constant):
        ok = isinstance(node.value, int | float) and not isinstance(node.value, bool)
        return None if ok else f"the constant {node.value!r}"
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            called = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            return f'calling "{called}"'
        if node.keywords:
            return "a keyword argument"
        return _call_arity(node)
    return f'"{ast.unparse(node)}" ({type(node).__name__})'


def _call_arity(node: ast.Call) -> str | None:
    assert isinstance(node.func, ast.Name)
    fn, count = node.func.id, len(node.args)
    if any(isinstance(a, ast.Starred) for a in node.args):
        return "a starred argument"
    if fn == "abs" and count != 1:
        return f"abs() with {count} arguments (it takes 1)"
    if fn in ("min", "max") and count < 2:
        return f"{fn}() with {count} argument(s) (it takes 2 or more)"
    if fn == "round":
        if count not in (1, 2):
            return f"round() with {count} arguments (it takes x, or x and digits)"
        if count == 2 and not (
            isinstance(node.args[1], ast.Constant) and type(node.args[1].value) is int
        ):
            return "round() digits that are not a whole-number constant"
    return None


def names_in(tree: ast.Expression) -> list[str]:
    """The names a formula refers to, in order of first appearance (function names excluded)."""
    called = {
        id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)
    }  # the function position is not a variable
    seen: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and id(node) not in called:
            seen.setdefault(node.id, None)
    return list(seen)


def unknown_name_error(
    unknown: str, known: list[str], *, gap_id: str, name: str, key: str | None
) -> FormulaError:
    close = difflib.get_close_matches(unknown, known, n=1)
    hint = f'did you mean "{close[0]}"?' if close else "add it under drivers, or define a formula"
    listed = ", ".join(sorted(known)) or "none"
    error: FormulaError = _error(
        f'unknown name "{unknown}"; known names are: {listed}', gap_id, name, key, hint
    )
    return error


# ---- exact evaluation at point values -------------------------------------------------------


def exact(value: float | int | Fraction) -> Fraction:
    """A number as the decimal it prints as: ``0.3`` → 3/10 (not the nearest binary float)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if not math.isfinite(value):
        raise Invalid(f"the input {value!r} is not a finite number")
    return Fraction(repr(float(value)))


def _round_half_away(value: Fraction, digits: int = 0) -> Fraction:
    scale = Fraction(10) ** digits
    scaled = abs(value) * scale
    whole = math.floor(scaled + Fraction(1, 2))
    return Fraction(whole if value >= 0 else -whole) / scale


def _exact_pow(base: Fraction, exponent: Fraction) -> Fraction:
    if exponent.denominator == 1 and abs(exponent) <= _MAX_EXACT_POWER:
        if base == 0 and exponent < 0:
            raise Invalid("zero raised to a negative power (a division by zero)")
        return base ** int(exponent)
    try:
        result = float(base) ** float(exponent)
    except (OverflowError, ZeroDivisionError) as exc:
        raise Invalid(
            f"{float(base):g} ** {float(exponent):g} cannot be computed ({exc})"
        ) from None
    if isinstance(result, complex) or not math.isfinite(result):
        raise Invalid(f"{float(base):g} ** {float(exponent):g} is not a real number")
    return exact(result)


def evaluate_exact(tree: ast.Expression, env: Mapping[str, float | Fraction]) -> Fraction:
    """Evaluate a checked tree on exact numbers. Raises :class:`Invalid` on a failure."""
    return _exact(tree.body, env)


def _exact(node: ast.expr, env: Mapping[str, float | Fraction]) -> Fraction:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)  # the whitelist allows nothing else
        return exact(node.value)
    if isinstance(node, ast.Name):
        return exact(env[node.id])
    if isinstance(node, ast.UnaryOp):
        value = _exact(node.operand, env)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        left, right = _exact(node.left, env), _exact(node.right, env)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            if right == 0:
                raise Invalid(f'division by zero: "{ast.unparse(node.right)}" is 0')
            return left / right
        return _exact_pow(left, right)
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    args = [_exact(a, env) for a in node.args]
    fn = node.func.id
    if fn == "abs":
        return abs(args[0])
    if fn == "min":
        return min(args)
    if fn == "max":
        return max(args)
    return _round_half_away(args[0], int(args[1]) if len(args) == 2 else 0)


# ---- vectorised evaluation for Monte Carlo --------------------------------------------------

Array = np.ndarray | float


def evaluate_array(
    tree: ast.Expression, env: Mapping[str, Array], zero_division: list[np.ndarray]
) -> Array:
    """Evaluate on NumPy arrays (or floats). Each divisor that is zero in some samples is
    appended to ``zero_division`` as a boolean mask; results there are non-finite."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _array(tree.body, env, zero_division)


def _array(node: ast.expr, env: Mapping[str, Array], zeros: list[np.ndarray]) -> Array:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)
        return float(node.value)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.UnaryOp):
        value = _array(node.operand, env, zeros)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        left, right = _array(node.left, env, zeros), _array(node.right, env, zeros)
        op: Callable[[Any, Any], Array] = _ARRAY_OPS[type(node.op)]
        if isinstance(node.op, ast.Div):
            mask = np.asarray(right == 0)
            if mask.any():
                zeros.append(mask)
        return op(left, right)
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    args = [_array(a, env, zeros) for a in node.args]
    fn = node.func.id
    if fn == "abs":
        return np.abs(args[0])
    if fn in ("min", "max"):
        reduce = np.minimum if fn == "min" else np.maximum
        result = args[0]
        for arg in args[1:]:
            result = reduce(result, arg)
        return result
    scale = 10.0 ** (int(args[1]) if len(args) == 2 else 0)
    # a relative nudge so that 1.005 (stored as 1.00499…) rounds as the decimal it prints as
    nudged = np.abs(args[0]) * scale * (1 + 1e-12)
    return np.sign(args[0]) * np.floor(nudged + 0.5) / scale


_ARRAY_OPS: dict[type, Callable[[Any, Any], Array]] = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
    ast.Pow: np.power,
}
