"""Value-driver formulas translated into live Excel formulas over cell references.

A gap formula such as ``improvement * (lost_deals + wasted_capacity)`` is parsed by the value
module's safe parser (:func:`opcanvas.value.formula.parse_formula`: numbers, names,
``+ - * / **``, unary signs and ``min``/``max``/``round``/``abs``) and printed back in Excel's
syntax with each name replaced by the cell that holds it, so a consultant who changes a driver
cell sees every dependent figure move.

Excel's grammar differs from Python's in two places this module takes care of: ``^`` is
left-associative in Excel (``2^3^2`` is 64) and unary minus binds tighter than ``^``
(``-2^2`` is 4). Both are made explicit with parentheses.

>>> import ast
>>> tree = ast.parse("improvement * (lost_deals + wasted) - x ** 2", mode="eval")
>>> to_excel(tree, {"improvement": "D5", "lost_deals": "D9", "wasted": "D10", "x": "D4"})
'=D5*(D9+D10)-D4^2'
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from opcanvas.errors import ReportError

# Binding strength in Excel: higher binds tighter.
_PRECEDENCE = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2, ast.Pow: 3}
_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "^"}
_FUNCTIONS = {"min": "MIN", "max": "MAX", "abs": "ABS", "round": "ROUND"}
_ATOM = 4


def to_excel(tree: ast.Expression, refs: Mapping[str, str]) -> str:
    """An Excel formula (with the leading ``=``) for a checked formula tree.

    ``refs`` maps every name in the formula to a cell reference such as ``D7`` or
    ``'Gap model'!D7``. A name without a reference is a :class:`ReportError`.
    """
    text, _ = _expr(tree.body, refs)
    return "=" + text


def _number(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ReportError(f"cannot write the constant {value!r} into an Excel formula")
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return repr(float(value)).upper()  # 1e-05 → 1E-05, which Excel reads


def _expr(node: ast.expr, refs: Mapping[str, str]) -> tuple[str, int]:
    """The Excel text of ``node`` and how tightly its outermost operator binds."""
    if isinstance(node, ast.Constant):
        return _number(node.value), _ATOM
    if isinstance(node, ast.Name):
        if node.id not in refs:
            raise ReportError(
                f'the formula name "{node.id}" has no cell in the workbook',
                hint="this is a bug in the XLSX writer; the JSON and HTML reports are unaffected",
            )
        return refs[node.id], _ATOM
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand, strength = _expr(node.operand, refs)
        if strength < _ATOM:  # Excel's unary minus would bind before the operator inside
            operand = f"({operand})"
        return ("-" if isinstance(node.op, ast.USub) else "+") + operand, _ATOM
    if isinstance(node, ast.BinOp) and type(node.op) in _PRECEDENCE:
        return _binop(node, refs)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = _FUNCTIONS.get(node.func.id)
        if name is not None and not node.keywords:
            args = [_expr(arg, refs)[0] for arg in node.args]
            if name == "ROUND" and len(args) == 1:
                args.append("0")
            return f"{name}({','.join(args)})", _ATOM
    raise ReportError(f'cannot write "{ast.unparse(node)}" as an Excel formula')


def _binop(node: ast.BinOp, refs: Mapping[str, str]) -> tuple[str, int]:
    op = type(node.op)
    mine = _PRECEDENCE[op]
    left, left_strength = _expr(node.left, refs)
    right, right_strength = _expr(node.right, refs)
    if op is ast.Pow:
        # Excel's ^ is left-associative and its unary minus binds tighter: bracket any
        # operator on either side, and a signed operand on the left.
        if left_strength < _ATOM or left.startswith(("-", "+")):
            left = f"({left})"
        if right_strength < _ATOM or right.startswith(("-", "+")):
            right = f"({right})"
        return f"{left}^{right}", mine
    if left_strength < mine:
        left = f"({left})"
    # a - (b + c) and a / (b * c) keep their brackets; a + (b + c) could drop them, but
    # keeping the user's grouping reads closer to the canvas file.
    if right_strength <= mine and right_strength != _ATOM:
        right = f"({right})"
    return f"{left}{_SYMBOL[op]}{right}", mine
