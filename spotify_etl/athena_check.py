"""Type-check Athena SQL against the catalog's column types, refusing what Trino refuses.

sqlglot qualifies the statement (which also finds unknown columns) and annotates every
expression with its type from the catalog's schema; the checks below then apply Trino's rules
(`spotify_etl.athena_types`) to operators, predicates, conditional expressions, set operations
and the date/string functions people mix up. Messages follow Athena's
(`TYPE_MISMATCH: line 1:40: Cannot apply operator: varchar = date`).

The check refuses only what it knows Trino refuses: an expression whose type sqlglot cannot
tell is not checked, and a statement sqlglot cannot qualify is left to DuckDB.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

import sqlglot
from sqlglot import exp
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify
from sqlglot.schema import MappingSchema

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

DIALECT = "athena"
TYPE_MISMATCH = "TYPE_MISMATCH"
FUNCTION_NOT_FOUND = "FUNCTION_NOT_FOUND"
COLUMN_NOT_FOUND = "COLUMN_NOT_FOUND"
AMBIGUOUS_NAME = "AMBIGUOUS_NAME"
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
_UNRESOLVED = re.compile(r"""Column '"?([^"']+)"?' could not be resolved""")
_AMBIGUOUS = re.compile(r"""Ambiguous column[^'"]*['"]+([^'"]+)""")


class AthenaRefusalError(Exception):
    """Athena would refuse the statement; the message is Athena's kind of message."""


def catalog_schema(columns: Mapping[str, Sequence[tuple[str, str]]]) -> MappingSchema:
    """The sqlglot schema of the catalog: table -> [(column, Glue/Hive type)]."""
    return MappingSchema(
        {
            table: {name: exp.DataType.build(hive, dialect="hive") for name, hive in cols}
            for table, cols in columns.items()
        },
        dialect=DIALECT,
    )


def _copied_qualifier(node: exp.Expr) -> bool:
    """A table qualifier that qualify() copied from the FROM clause (its position is there).

    A qualifier the user wrote sits right before the column name, across a dot.
    """
    column = node.parent
    if not isinstance(column, exp.Column) or node is column.this:
        return False
    end, start = node.meta.get("end"), column.this.meta.get("start")
    return not (isinstance(end, int) and isinstance(start, int) and 0 < start - end <= 3)


def position(sql: str, node: exp.Expr) -> str:
    """`line L:C` of the node's first token (1-based), as Trino reports it; '' if unknown."""
    starts = [
        child.meta["start"]
        for child in node.walk()
        if isinstance(child.meta.get("start"), int) and not _copied_qualifier(child)
    ]
    if not starts:
        return ""
    start = min(starts)
    line = sql.count("\n", 0, start) + 1
    column = start - (sql.rfind("\n", 0, start) + 1) + 1
    return f"line {line}:{column}: "


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


def _errors(tree: exp.Expr) -> Iterator[tuple[exp.Expr, str]]:
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


def _qualified(tree: exp.Expr, schema: MappingSchema, sql: str) -> exp.Expr | None:
    """The statement qualified against the schema; None when sqlglot cannot do it."""
    try:
        return qualify(tree.copy(), schema=schema, dialect=DIALECT, validate_qualify_columns=True)
    except sqlglot.errors.OptimizeError as error:
        if match := _UNRESOLVED.search(str(error)):
            name = match.group(1)
            where = next(
                (position(sql, c) for c in tree.find_all(exp.Column) if c.name == name), ""
            )
            raise AthenaRefusalError(
                f"{COLUMN_NOT_FOUND}: {where}Column '{name}' cannot be resolved. The tables' "
                "columns are in docs/data-model.md (or: SELECT * FROM glue.columns)"
            ) from None
        if match := _AMBIGUOUS.search(str(error)):
            raise AthenaRefusalError(
                f"{AMBIGUOUS_NAME}: Column '{match.group(1)}' is ambiguous"
            ) from None
        return None
    except sqlglot.errors.SqlglotError:
        return None


def check_statement(tree: exp.Expr, schema: MappingSchema, sql: str) -> None:
    """Refuse the statement as Athena would, when its types are known to be wrong.

    Raises:
        AthenaRefusalError: with Athena's kind of message (error name, line:column, reason).
    """
    qualified = _qualified(tree, schema, sql)
    if qualified is None:
        return
    annotated = annotate_types(qualified, schema=schema, dialect=DIALECT)
    for node, message in _errors(annotated):
        unknown_function = message.startswith("Unexpected parameters")
        code = FUNCTION_NOT_FOUND if unknown_function else TYPE_MISMATCH
        raise AthenaRefusalError(f"{code}: {position(sql, node)}{message}. {advice(message)}")


def advice(message: str) -> str:
    """What to do about a refusal: the string partition key is the usual culprit."""
    if "varchar" in message and any(kind in message for kind in ("date", "timestamp")):
        return (
            "Athena refuses this too: snapshot_date is a varchar partition key, so compare it "
            "with a string ('2026-11-01'), and CAST a string before using it as a date or "
            "timestamp (CAST(snapshot_date AS date), TIMESTAMP '2026-11-01 00:00:00')"
        )
    return "Athena refuses this too: CAST one side so that both have the same type"
