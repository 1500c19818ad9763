"""Athena SQL on the local lake: transpile with sqlglot (athena -> duckdb), run on the catalog."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

from spotify_etl.catalog import META_SCHEMA, open_catalog

QUERIES_DIR = Path(__file__).resolve().parent.parent / "athena" / "queries"
SOURCE_DIALECT = "athena"
TARGET_DIALECT = "duckdb"
_COMMENT = "--"
# Qualifiers a table may carry locally: the catalog's own metadata schema and DuckDB's default.
_LOCAL_SCHEMAS = {META_SCHEMA, "main"}


class QueryError(Exception):
    """The SQL cannot run: a syntax error, an unknown table, or DuckDB's own complaint."""


@dataclass(frozen=True)
class QueryResult:
    """The answer of a query: column names, rows in order, and the DuckDB SQL that ran."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    duckdb_sql: str


@dataclass(frozen=True)
class NamedQuery:
    """A named Athena query: file stem, the question from its first comment line, its SQL."""

    name: str
    question: str
    sql: str
    path: Path


def named_queries(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Load every `<name>.sql` of `athena/queries/`, sorted by name.

    Raises:
        QueryError: if a file does not start with a `-- question` comment line.
    """
    queries = {}
    for path in sorted(directory.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        first_line = sql.lstrip().splitlines()[0] if sql.strip() else ""
        question = first_line.removeprefix(_COMMENT).strip()
        if not first_line.startswith(_COMMENT) or not question:
            raise QueryError(f"{path}: the first line must be a `-- <question>` comment")
        queries[path.stem] = NamedQuery(path.stem, question, sql, path)
    return queries


def _syntax_error_message(sql: str, error: sqlglot.errors.ParseError) -> str:
    """`line L, column C: description`, then the offending line and a caret under the token."""
    if not error.errors:
        return f"syntax error: {error}"
    first = error.errors[0]
    line_number, end_column = first.get("line") or 1, first.get("col") or 1
    highlight = first.get("highlight") or " "
    start_column = max(end_column - len(highlight) + 1, 1)
    lines = sql.splitlines() or [""]
    source_line = lines[min(line_number, len(lines)) - 1]
    caret = " " * (start_column - 1) + "^" * max(len(highlight), 1)
    return (
        f"syntax error at line {line_number}, column {start_column}: {first['description']}\n"
        f"  {source_line}\n  {caret}"
    )


def parse_athena(sql: str) -> exp.Expr:
    """Parse one Athena statement.

    Raises:
        QueryError: on a syntax error (with line, column and a caret) or not exactly one statement.
    """
    try:
        statements = [s for s in sqlglot.parse(sql, read=SOURCE_DIALECT) if s is not None]
    except sqlglot.errors.ParseError as error:
        raise QueryError(_syntax_error_message(sql, error)) from error
    if len(statements) != 1:
        raise QueryError(f"expected one SQL statement, got {len(statements)}")
    return statements[0]


def _referenced_tables(tree: exp.Expr) -> list[exp.Table]:
    """The tables a statement reads, leaving out its own CTE names."""
    cte_names = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    return [
        table
        for table in tree.find_all(exp.Table)
        if table.name and not (not table.db and table.name in cte_names)
    ]


def _localise_tables(tree: exp.Expr) -> None:
    """Drop the Glue database (and catalog) qualifier: locally every table is in one schema."""
    for table in _referenced_tables(tree):
        if table.db and table.db not in _LOCAL_SCHEMAS:
            table.set("db", None)
            table.set("catalog", None)


def transpile(sql: str) -> str:
    """Translate one Athena (Trino) statement to DuckDB SQL, tables unqualified."""
    tree = parse_athena(sql)
    _localise_tables(tree)
    return tree.sql(dialect=TARGET_DIALECT)


def _check_tables(con: duckdb.DuckDBPyConnection, tree: exp.Expr) -> None:
    """Fail early and helpfully on a table the catalog does not have."""
    known = sorted(
        name for (name,) in con.execute(f"SELECT table_name FROM {META_SCHEMA}.tables").fetchall()
    )
    for table in _referenced_tables(tree):
        if table.db in _LOCAL_SCHEMAS or table.name in known:
            continue
        raise QueryError(
            f"unknown table {table.name!r}. Known tables: {', '.join(known) or '(none)'}"
            f" (and the catalog's own {META_SCHEMA}.tables, .columns, .partitions). "
            "A table missing from the catalog may need `spotify-etl crawl`."
        )


def run_athena_sql(lake: Path, sql: str) -> QueryResult:
    """Run one Athena SQL statement on the local catalog of `lake`.

    Raises:
        QueryError: for a syntax error, an unknown table, or an error DuckDB reports.
        CatalogError: if the catalog does not exist yet (run `spotify-etl crawl`).
    """
    tree = parse_athena(sql)
    _localise_tables(tree)
    duckdb_sql = tree.sql(dialect=TARGET_DIALECT)
    con = open_catalog(lake)
    try:
        _check_tables(con, tree)
        try:
            cursor = con.execute(duckdb_sql)
            rows = cursor.fetchall()
        except duckdb.IOException as error:
            raise QueryError(
                f"{error}\nThe catalog lists files that are gone (the Glue job rewrote a "
                f"partition?): run `spotify-etl crawl --lake {lake}` and try again."
            ) from error
        except duckdb.Error as error:
            raise QueryError(f"{error}\nDuckDB SQL that ran:\n{duckdb_sql}") from error
        columns = [column[0] for column in cursor.description or []]
    finally:
        con.close()
    return QueryResult(columns=columns, rows=rows, duckdb_sql=duckdb_sql)
