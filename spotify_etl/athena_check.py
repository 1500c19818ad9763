"""Type-check Athena SQL against the catalog's column types, refusing what Trino refuses.

sqlglot qualifies the statement (which also finds unknown columns) and annotates every
expression with its type from the catalog's schema; the rules of `spotify_etl.athena_rules`
then apply Trino's typing (`spotify_etl.athena_types`) to operators, predicates,
conditional expressions, set operations and the date/string functions people mix up.
Messages follow Athena's (`TYPE_MISMATCH: line 1:40: Cannot apply operator: varchar = date`).

The check refuses only what it knows Trino refuses: an expression whose type sqlglot cannot
tell is not checked, and a statement sqlglot cannot qualify is left to DuckDB.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import sqlglot
from sqlglot import exp
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify
from sqlglot.schema import MappingSchema

from spotify_etl.athena_rules import expression_errors

DIALECT = "athena"
TYPE_MISMATCH = "TYPE_MISMATCH"
FUNCTION_NOT_FOUND = "FUNCTION_NOT_FOUND"
COLUMN_NOT_FOUND = "COLUMN_NOT_FOUND"
AMBIGUOUS_NAME = "AMBIGUOUS_NAME"
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
    for node, message in expression_errors(annotated):
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
