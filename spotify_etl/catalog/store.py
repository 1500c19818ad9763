"""The local catalog file: Glue-like metadata in schema `glue`, one queryable view per table."""

from __future__ import annotations

from pathlib import Path

import duckdb

from spotify_etl.catalog.discovery import CatalogError, Column, Table
from spotify_etl.catalog.hive_types import PARTITION_KEY_TYPE, duckdb_type
from spotify_etl.catalog.report import CatalogState, partition_name

CATALOG_FILE = "catalog.duckdb"
META_SCHEMA = "glue"
# Athena reads a partition folder's files except those named `_...` or `.…`: the same glob here.
DATA_FILE_GLOB = "[!._]*.parquet"
_GLOB_CHARACTERS = set("*?[]{}")

_DDL = f"""
CREATE SCHEMA IF NOT EXISTS {META_SCHEMA};
CREATE TABLE IF NOT EXISTS {META_SCHEMA}.catalog (lake VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS {META_SCHEMA}.tables (
    table_name VARCHAR PRIMARY KEY, location VARCHAR NOT NULL,
    partition_keys VARCHAR[] NOT NULL, file_count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS {META_SCHEMA}.columns (
    table_name VARCHAR NOT NULL, ordinal INTEGER NOT NULL, column_name VARCHAR NOT NULL,
    column_type VARCHAR NOT NULL, is_partition_key BOOLEAN NOT NULL);
CREATE TABLE IF NOT EXISTS {META_SCHEMA}.partitions (
    table_name VARCHAR NOT NULL, partition_name VARCHAR NOT NULL,
    partition_values VARCHAR[] NOT NULL, location VARCHAR NOT NULL);
"""


class CatalogNotFoundError(CatalogError):
    """There is no catalog file yet: `spotify-etl crawl` has not run on this lake."""


def catalog_path(lake: Path) -> Path:
    """Where the local catalog of `lake` lives."""
    return lake / CATALOG_FILE


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def read_state(con: duckdb.DuckDBPyConnection) -> CatalogState:
    """The tables' columns and partition names as the catalog holds them now."""
    state = CatalogState()
    rows = con.execute(
        f"SELECT table_name, column_name, column_type FROM {META_SCHEMA}.columns "
        "WHERE NOT is_partition_key ORDER BY table_name, ordinal"
    ).fetchall()
    for table_name, name, column_type in rows:
        state.columns[table_name] = (*state.columns.get(table_name, ()), Column(name, column_type))
    rows = con.execute(
        f"SELECT table_name, list(partition_name) FROM {META_SCHEMA}.partitions GROUP BY table_name"
    ).fetchall()
    for table_name, names in rows:
        state.partitions[table_name] = frozenset(names)
    return state


def view_sql(table: Table) -> str:
    """The view that reads `table` the way Athena would, with the catalog's column types."""
    for location in (table.location, *(p.location for p in table.partitions)):
        if _GLOB_CHARACTERS & set(str(location)):
            raise CatalogError(
                f"{location}: the path contains one of {''.join(sorted(_GLOB_CHARACTERS))}, "
                "which DuckDB reads as a file pattern; move the lake to a plainer path."
            )
    locations = [p.location for p in table.partitions] or [table.location]
    globs = ", ".join(_quote_literal(str(loc.resolve() / DATA_FILE_GLOB)) for loc in locations)
    selects = [
        f"CAST({_quote_identifier(c.name)} AS {duckdb_type(c.type)}) AS {_quote_identifier(c.name)}"
        for c in table.columns
    ]
    selects += [
        f"CAST({_quote_identifier(k)} AS VARCHAR) AS {_quote_identifier(k)}"
        for k in table.partition_keys
    ]
    options = "union_by_name = true"
    if table.partition_keys:
        hive_types = ", ".join(f"{_quote_literal(k)}: 'VARCHAR'" for k in table.partition_keys)
        options += f", hive_partitioning = true, hive_types = {{{hive_types}}}"
    else:
        options += ", hive_partitioning = false"
    return (
        f"CREATE VIEW {_quote_identifier(table.name)} AS SELECT {', '.join(selects)} "
        f"FROM read_parquet([{globs}], {options})"
    )


def write_catalog(con: duckdb.DuckDBPyConnection, lake: Path, tables: list[Table]) -> None:
    """Replace the catalog's content with `tables`, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        for (old_name,) in con.execute(f"SELECT table_name FROM {META_SCHEMA}.tables").fetchall():
            con.execute(f"DROP VIEW IF EXISTS {_quote_identifier(old_name)}")
        for meta_table in ("catalog", "tables", "columns", "partitions"):
            con.execute(f"DELETE FROM {META_SCHEMA}.{meta_table}")
        con.execute(f"INSERT INTO {META_SCHEMA}.catalog VALUES (?)", [str(lake.resolve())])
        for table in tables:
            _insert_table(con, table)
            con.execute(view_sql(table))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _insert_table(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    con.execute(
        f"INSERT INTO {META_SCHEMA}.tables VALUES (?, ?, ?, ?)",
        [table.name, str(table.location.resolve()), list(table.partition_keys), table.file_count],
    )
    columns = [(c.name, c.type, False) for c in table.columns]
    columns += [(key, PARTITION_KEY_TYPE, True) for key in table.partition_keys]
    con.executemany(
        f"INSERT INTO {META_SCHEMA}.columns VALUES (?, ?, ?, ?, ?)",
        [[table.name, ordinal, *column] for ordinal, column in enumerate(columns, start=1)],
    )
    if table.partitions:
        con.executemany(
            f"INSERT INTO {META_SCHEMA}.partitions VALUES (?, ?, ?, ?)",
            [
                [
                    table.name,
                    partition_name(table.partition_keys, p.values),
                    list(p.values),
                    str(p.location.resolve()),
                ]
                for p in table.partitions
            ],
        )


def connect_for_crawl(lake: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the catalog file for writing, with the metadata tables in place."""
    con = _connect(catalog_path(lake), read_only=False)
    con.execute(_DDL)
    return con


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        # DuckDB allows one writer or several readers per file, across processes.
        raise CatalogError(
            f"cannot open {path}: {error}. Another process (a running crawl, a notebook, a "
            "query) may hold it; close it and try again."
        ) from error


def open_catalog(lake: Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the local catalog of `lake`, its views ready to query (timestamps read in UTC).

    Raises:
        CatalogNotFoundError: if `spotify-etl crawl` has not built the catalog yet.
        CatalogError: if the catalog was built for a lake at another path.
    """
    path = catalog_path(lake)
    if not path.is_file():
        raise CatalogNotFoundError(
            f"no catalog at {path}: run `spotify-etl crawl --lake {lake}` first."
        )
    con = _connect(path, read_only)
    # Athena's timestamps have no zone and the lake's are UTC: cast and format them in UTC.
    con.execute("SET TimeZone = 'UTC'")
    row = con.execute(f"SELECT lake FROM {META_SCHEMA}.catalog").fetchall()
    recorded = row[0][0] if row else None
    if recorded != str(lake.resolve()):
        con.close()
        raise CatalogError(
            f"{path} catalogues the lake at {recorded}, not {lake.resolve()} (was the folder "
            f"moved?): run `spotify-etl crawl --lake {lake}` to rebuild it."
        )
    return con
