"""Athena SQL on the local lake: transpile with sqlglot (athena -> duckdb), run on the catalog."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

from spotify_etl.athena_check import AthenaRefusalError, catalog_schema, check_statement
from spotify_etl.catalog import META_SCHEMA, open_catalog
from spotify_etl.user_errors import one_line, stale_catalog_hint

QUERIES_DIR = Path(__file__).resolve().parent.parent / "athena" / "queries"
SOURCE_DIALECT = "athena"
TARGET_DIALECT = "duckdb"
_COMMENT = "--"
SYNTAX_ERROR = "SYNTAX_ERROR"
# The words an Athena statement starts with (for "did you mean" on a misspelt first word).
STATEMENT_KEYWORDS = (
    "SELECT", "WITH", "VALUES", "TABLE", "SHOW", "DESCRIBE", "EXPLAIN", "USE", "INSERT", "CREATE",
    "DROP", "ALTER", "DELETE", "UPDATE", "MERGE", "UNLOAD", "MSCK", "PREPARE", "EXECUTE",
)  # fmt: skip
# Trino names an output column after its alias or column; any other expression is `_col<i>`,
# i its position in the output. Such expressions get this alias locally, renamed after the run.
_UNNAMED = "__athena_unnamed__"
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
    """Athena's kind of one-line message: `SYNTAX_ERROR: line L:C: mismatched input 'X'. ...`."""
    if not error.errors:
        return f"{SYNTAX_ERROR}: {one_line(str(error))}"
    first = error.errors[0]
    line, end_column = first.get("line") or 1, first.get("col") or 1
    highlight = (first.get("highlight") or "").strip()
    column = max(end_column - len(highlight) + 1, 1)
    where = f"{SYNTAX_ERROR}: line {line}:{column}: "
    words = sql.split()
    opening = words[0].upper() if words else ""
    if opening.isidentifier() and opening not in STATEMENT_KEYWORDS:
        guess = difflib.get_close_matches(opening, STATEMENT_KEYWORDS, n=1)
        hint = f" (did you mean {guess[0]}?)" if guess else ""
        return (
            f"{SYNTAX_ERROR}: line 1:1: mismatched input '{words[0]}'. Expecting a statement "
            f"such as SELECT or WITH{hint}"
        )
    description = str(first.get("description") or "")
    if "<class '" in description or "<Token" in description:
        # sqlglot's internals (the parser's node classes) mean nothing to the user.
        description = "the statement is incomplete here" if not highlight else "unexpected token"
    shown = f"mismatched input '{highlight}'. " if highlight else ""
    return f"{where}{shown}{description[:1].upper()}{description[1:]}"


def parse_athena(sql: str) -> exp.Expr:
    """Parse one Athena statement.

    Raises:
        QueryError: on a syntax error (one line: line, column, token) or not exactly one statement.
    """
    try:
        statements = [s for s in sqlglot.parse(sql, read=SOURCE_DIALECT) if s is not None]
    except sqlglot.errors.ParseError as error:
        raise QueryError(_syntax_error_message(sql, error)) from error
    except sqlglot.errors.TokenError as error:
        raise QueryError(
            f"{SYNTAX_ERROR}: {one_line(str(error))}: a string or quoted name is not closed"
        ) from error
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
    """Translate one Athena (Trino) statement to the DuckDB SQL that runs it locally.

    Tables lose their database qualifier, and unnamed output columns get Athena's `_col<i>`.
    """
    return _duckdb_sql(parse_athena(sql))


def _known_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return sorted(
        name for (name,) in con.execute(f"SELECT table_name FROM {META_SCHEMA}.tables").fetchall()
    )


def _check_tables(tree: exp.Expr, known: list[str]) -> None:
    """Fail early and helpfully on a table the catalog does not have."""
    for table in _referenced_tables(tree):
        if table.db in _LOCAL_SCHEMAS or table.name in known:
            continue
        raise QueryError(
            f"unknown table {table.name!r}. Known tables: {', '.join(known) or '(none)'}"
            f" (and the catalog's own {META_SCHEMA}.tables, .columns, .partitions). "
            "A table missing from the catalog may need `spotify-etl crawl`."
        )


def _check_types(con: duckdb.DuckDBPyConnection, tree: exp.Expr, sql: str) -> None:
    """Refuse, as Athena would, a statement over the catalog's tables with mistyped operands.

    Statements reading the catalog's own metadata tables (local only) are not checked.
    """
    if any(table.db in _LOCAL_SCHEMAS for table in _referenced_tables(tree)):
        return
    columns: dict[str, list[tuple[str, str]]] = {}
    rows = con.execute(
        f"SELECT table_name, column_name, column_type FROM {META_SCHEMA}.columns "
        "ORDER BY table_name, ordinal"
    ).fetchall()
    for table, column, hive_type in rows:
        columns.setdefault(table, []).append((column, hive_type))
    try:
        check_statement(tree, catalog_schema(columns), sql)
    except AthenaRefusalError as refusal:
        raise QueryError(str(refusal)) from None


def _output_query(tree: exp.Expr) -> exp.Select | None:
    """The SELECT whose projections name the result: the first branch of a set operation."""
    while isinstance(tree, exp.SetOperation):
        tree = tree.this
    return tree if isinstance(tree, exp.Select) else None


def _mark_unnamed_columns(tree: exp.Expr) -> None:
    """Alias every output expression Trino would not name: `_col<i>` when i is known here.

    After a `*` the position depends on the table's columns, so such expressions get a
    placeholder that `athena_column_names` turns into `_col<i>` once the result is known.
    """
    select = _output_query(tree)
    if select is None:
        return
    after_star = False
    for index, projection in enumerate(select.expressions):
        inner = projection
        while isinstance(inner, exp.Paren):
            inner = inner.this
        after_star = after_star or isinstance(inner, exp.Star) or inner.is_star
        if not isinstance(inner, exp.Alias | exp.Column | exp.Star | exp.Dot):
            name = _UNNAMED if after_star else f"_col{index}"
            projection.replace(exp.alias_(projection.copy(), name, quoted=after_star))


def athena_column_names(names: list[str]) -> list[str]:
    """The result's column names as Athena gives them: `_col<i>` for unnamed expressions."""
    return [f"_col{index}" if name == _UNNAMED else name for index, name in enumerate(names)]


def _duckdb_sql(tree: exp.Expr) -> str:
    local = tree.copy()
    _localise_tables(local)
    _mark_unnamed_columns(local)
    return local.sql(dialect=TARGET_DIALECT)


def run_athena_sql(lake: Path, sql: str) -> QueryResult:
    """Run one Athena SQL statement on the local catalog of `lake`.

    Raises:
        QueryError: for a syntax error, an unknown table or column, a type error Athena would
            refuse too, or an error DuckDB reports.
        CatalogError: if the catalog does not exist yet (run `spotify-etl crawl`).
    """
    tree = parse_athena(sql)
    con = open_catalog(lake)
    try:
        _check_tables(tree, _known_tables(con))
        _check_types(con, tree, sql)
        duckdb_sql = _duckdb_sql(tree)
        try:
            cursor = con.execute(duckdb_sql)
            rows = cursor.fetchall()
        except duckdb.IOException as error:
            raise QueryError(f"{one_line(str(error))}: {stale_catalog_hint(lake)}") from error
        except duckdb.Error as error:
            # DuckDB's first line says what is wrong; the rest repeats the SQL with a caret.
            first = str(error).strip().splitlines()[0]
            raise QueryError(f"{first} (DuckDB, running: {one_line(duckdb_sql)})") from error
        columns = athena_column_names([column[0] for column in cursor.description or []])
    finally:
        con.close()
    return QueryResult(columns=columns, rows=rows, duckdb_sql=duckdb_sql)
