"""Trino's typing rules per expression: which operators, predicates, logical and conditional
expressions, set operations and functions Athena refuses for the types of their operands.

The types come from sqlglot's annotation of a qualified statement (`spotify_etl.athena_check`);
an operand whose type is unknown is never refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlglot import exp

from spotify_etl.athena_functions import check_function
from spotify_etl.athena_types import (
    DATETIMES,
    INTERVALS,
    STRINGS,
    UNKNOWN,
    TrinoType,
    can_coerce,
    common_super_type,
    is_numeric,
    type_of,
)

_COMPARISONS: dict[type[exp.Expr], str] = {
    exp.EQ: "=",
    exp.NEQ: "=",
    exp.LT: "<",
    exp.GT: "<",
    exp.LTE: "<=",
    exp.GTE: "<=",
}
_ARITHMETIC: dict[type[exp.Expr], str] = {
    exp.Add: "+",
    exp.Sub: "-",
    exp.Mul: "*",
    exp.Div: "/",
    exp.Mod: "%",
}
# Trino's arithmetic operators by kind of operand (timestamp - timestamp is an interval).
_ARITHMETIC_SIGNATURES = {
    *(("number", operator, "number") for operator in "+-*/%"),
    ("datetime", "+", "interval"),
    ("datetime", "-", "interval"),
    ("interval", "+", "datetime"),
    ("interval", "+", "interval"),
    ("interval", "-", "interval"),
    ("datetime", "-", "datetime"),
    ("interval", "*", "number"),
    ("number", "*", "interval"),
    ("interval", "/", "number"),
}


def _common_type_error(description: str, nodes: Sequence[exp.Expr]) -> str | None:
    kinds = [kind for kind in (type_of(node) for node in nodes) if kind is not None]
    common: TrinoType | None = TrinoType(UNKNOWN)
    for kind in kinds:
        assert common is not None
        merged = common_super_type(common, kind)
        if merged is None:
            distinct = list(dict.fromkeys(str(k) for k in kinds))
            return (
                f"{description} must be the same type or coercible to a common type. Cannot find "
                f"common type between {common}, {kind}, all types (without duplicates): "
                f"[{', '.join(distinct)}]"
            )
        common = merged
    return None


def _arithmetic_kind(kind: TrinoType) -> str:
    if is_numeric(kind):
        return "number"
    if kind.base in DATETIMES:
        return "datetime"
    return "interval" if kind.base in INTERVALS else kind.base


def _arithmetic_ok(operator: str, left: TrinoType, right: TrinoType) -> bool:
    if UNKNOWN in (left.base, right.base):
        return True
    return (_arithmetic_kind(left), operator, _arithmetic_kind(right)) in _ARITHMETIC_SIGNATURES


def _boolean_error(description: str, node: exp.Expr | None, clause: bool = False) -> str | None:
    kind = None if node is None else type_of(node)
    if kind is None or can_coerce(kind, "boolean"):
        return None
    if clause:
        return f"{description} must evaluate to a boolean: actual type {kind}"
    return f"{description} must evaluate to a boolean (actual: {kind})"


def _binary_error(node: exp.Expr) -> str | None:
    left, right = type_of(node.this), type_of(node.expression)
    if left is None or right is None:
        return None
    if type(node) in _COMPARISONS and common_super_type(left, right) is None:
        return f"Cannot apply operator: {left} {_COMPARISONS[type(node)]} {right}"
    if isinstance(node, exp.NullSafeEQ | exp.NullSafeNEQ) and not common_super_type(left, right):
        return f"Cannot check if {left} is distinct from {right}"
    operator = _ARITHMETIC.get(type(node))
    if operator is not None and not _arithmetic_ok(operator, left, right):
        return f"Cannot apply operator: {left} {operator} {right}"
    return None


def _predicate_error(node: exp.Expr) -> str | None:
    if isinstance(node, exp.Between):
        kinds = [type_of(node.this), type_of(node.args["low"]), type_of(node.args["high"])]
        if None in kinds:
            return None
        value, low, high = kinds
        common = common_super_type(value, low)  # type: ignore[arg-type]
        if common is None or common_super_type(common, high) is None:  # type: ignore[arg-type]
            return f"Cannot check if {value} is BETWEEN {low} and {high}"
    if isinstance(node, exp.In) and node.expressions:
        return _common_type_error("IN value and list items", [node.this, *node.expressions])
    if isinstance(node, exp.Like | exp.ILike):
        kind = type_of(node.this)
        if kind is not None and kind.base not in (*STRINGS, UNKNOWN):
            return f"Left side of LIKE expression must evaluate to a varchar (actual: {kind})"
    return None


def _logic_error(node: exp.Expr) -> str | None:
    if isinstance(node, exp.And | exp.Or):
        return _boolean_error("Logical expression term", node.this) or _boolean_error(
            "Logical expression term", node.expression
        )
    if isinstance(node, exp.Not):
        return _boolean_error("Value of logical NOT expression", node.this)
    if isinstance(node, exp.Where):
        return _boolean_error("WHERE clause", node.this, clause=True)
    if isinstance(node, exp.Having):
        return _boolean_error("HAVING clause", node.this, clause=True)
    if isinstance(node, exp.Join):
        return _boolean_error("JOIN ON clause", node.args.get("on"), clause=True)
    return None


def _conditional_error(node: exp.Expr) -> str | None:
    if isinstance(node, exp.Coalesce):
        return _common_type_error("All COALESCE operands", [node.this, *node.expressions])
    if isinstance(node, exp.Case):
        for when in node.args.get("ifs") or []:
            if node.this is None:
                error = _boolean_error("CASE WHEN clause", when.this)
            else:
                error = _common_type_error("CASE operand and WHEN clause", [node.this, when.this])
            if error:
                return error
        results = [when.args["true"] for when in node.args.get("ifs") or []]
        default = node.args.get("default")
        return _common_type_error("All CASE results", [*results, *([default] if default else [])])
    if isinstance(node, exp.If) and not isinstance(node.parent, exp.Case):
        results = [node.args["true"], *([node.args["false"]] if node.args.get("false") else [])]
        return _boolean_error("IF condition", node.this) or _common_type_error(
            "Result types for IF", results
        )
    if isinstance(node, exp.Nullif):
        left, right = type_of(node.this), type_of(node.expression)
        if left and right and common_super_type(left, right) is None:
            return f"Types are not comparable with NULLIF: {left} vs {right}"
    return None


def _set_operation_error(node: exp.SetOperation) -> str | None:
    left, right = node.left.selects, node.right.selects
    name = type(node).__name__.upper()
    if len(left) != len(right):
        return f"{name} query has different number of fields: {len(left)}, {len(right)}"
    for index, (a, b) in enumerate(zip(left, right, strict=True), start=1):
        first, second = type_of(a.unalias()), type_of(b.unalias())
        if first and second and common_super_type(first, second) is None:
            return f"column {index} in {name} query has incompatible types: {first}, {second}"
    return None


def expression_errors(tree: exp.Expr) -> Iterator[tuple[exp.Expr, str]]:
    """Every node of `tree` Athena would refuse for its operand types, with Trino's reason."""
    for node in tree.walk():
        if isinstance(node, exp.SetOperation):
            error = _set_operation_error(node)
        elif isinstance(node, exp.Binary) and not isinstance(node, exp.And | exp.Or):
            error = _binary_error(node) or _predicate_error(node)
        else:
            error = (
                _predicate_error(node)
                or _logic_error(node)
                or _conditional_error(node)
                or check_function(node)
            )
        if error:
            yield node, error
