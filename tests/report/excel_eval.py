"""A tiny evaluator for the Excel formulas the XLSX writer produces (tests only, no eval).

Grammar: comparison > additive > multiplicative > unary > power > atom, as Excel does it
(unary minus binds tighter than ``^``, ``^`` is left-associative). Atoms: numbers, ``""``,
cell references (``$D$5``, ``'Gap model'!$D$5``) and the calls MIN, MAX, ABS, ROUND, IF.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from openpyxl import Workbook

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:E[+-]?\d+)?)|(?P<str>\"[^\"]*\")"
    r"|(?P<ref>(?:'[^']+'!)?\$?[A-Z]{1,3}\$?\d+)|(?P<fn>[A-Z]+)\(|(?P<op>>=|<=|<>|[-+*/^(),<>=]))"
)

Value = float | str


def tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ValueError(f"cannot read {text[pos:]!r}")
        kind = match.lastgroup
        assert kind is not None
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


class Evaluator:
    """Evaluate formulas of a workbook, following references recursively."""

    def __init__(self, workbook: Workbook) -> None:
        self.wb = workbook

    def cell(self, ref: str, sheet: str) -> Value:
        if "!" in ref:
            sheet, ref = ref.split("!")
            sheet = sheet.strip("'")
        value = self.wb[sheet][ref.replace("$", "")].value
        if isinstance(value, str) and value.startswith("="):
            return self.formula(value, sheet)
        if value is None:
            return 0.0
        return value if isinstance(value, str) else float(value)

    def formula(self, text: str, sheet: str) -> Value:
        parser = _Parser(tokens(text.removeprefix("=")), lambda r: self.cell(r, sheet))
        result = parser.compare()
        if parser.pos != len(parser.toks):
            raise ValueError(f"trailing tokens in {text}")
        return result


class _Parser:
    def __init__(self, toks: list[tuple[str, str]], ref: Callable[[str], Value]) -> None:
        self.toks, self.pos, self.ref = toks, 0, ref

    def peek(self) -> str | None:
        return self.toks[self.pos][1] if self.pos < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        self.pos += 1
        return self.toks[self.pos - 1]

    def compare(self) -> Value:
        left = self.additive()
        if self.peek() in (">", "<", ">=", "<=", "=", "<>"):
            op = self.take()[1]
            right = self.additive()
            a, b = float(left), float(right)
            return float(
                {">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b, "=": a == b, "<>": a != b}[op]
            )
        return left

    def additive(self) -> Value:
        value = self.multiplicative()
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            right = float(self.multiplicative())
            value = float(value) + right if op == "+" else float(value) - right
        return value

    def multiplicative(self) -> Value:
        value = self.unary_power()
        while self.peek() in ("*", "/"):
            op = self.take()[1]
            right = float(self.unary_power())
            value = float(value) * right if op == "*" else float(value) / right
        return value

    def unary_power(self) -> Value:
        value = self.unary()
        while self.peek() == "^":
            self.take()
            value = float(value) ** float(self.unary())
        return value

    def unary(self) -> Value:
        if self.peek() in ("-", "+"):
            sign = -1.0 if self.take()[1] == "-" else 1.0
            return sign * float(self.unary())
        return self.atom()

    def atom(self) -> Value:
        kind, text = self.take()
        if kind == "num":
            return float(text)
        if kind == "str":
            return text.strip('"')
        if kind == "ref":
            return self.ref(text)
        if kind == "fn":
            return self.call(text)
        if text == "(":
            value = self.compare()
            assert self.take()[1] == ")"
            return value
        raise ValueError(f"unexpected {text!r}")

    def call(self, name: str) -> Value:
        args: list[Value] = []
        if self.peek() != ")":
            args.append(self.compare())
            while self.peek() == ",":
                self.take()
                args.append(self.compare())
        assert self.take()[1] == ")"
        if name == "IF":
            return args[1] if float(args[0]) else (args[2] if len(args) > 2 else 0.0)
        numbers = [float(a) for a in args]
        if name == "MIN":
            return min(numbers)
        if name == "MAX":
            return max(numbers)
        if name == "ABS":
            return abs(numbers[0])
        if name == "ROUND":
            scale = 10.0 ** int(numbers[1])
            return math.copysign(math.floor(abs(numbers[0]) * scale + 0.5) / scale, numbers[0])
        raise ValueError(f"unknown function {name}")
