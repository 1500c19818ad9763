"""Open the lake's curated tables as DuckDB views: the local catalog, or the Parquet itself."""

from __future__ import annotations

from pathlib import Path

import duckdb

from glue_jobs.charts.schemas import CURATED_TABLES

CATALOG_FILE = "catalog.duckdb"


class ReportError(ValueError):
    """The report cannot be built from what the user asked for; the message says what to do."""


def _utc(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    # Snapshot hours are UTC; the machine's zone must not shift them into another day.
    con.execute("set TimeZone = 'UTC'")
    return con


def open_lake_catalog(lake: Path) -> duckdb.DuckDBPyConnection:
    """Open `<lake>/catalog.duckdb` read-only (one view per curated table).

    Raises:
        ReportError: when there is no catalog yet.
    """
    if not (lake / CATALOG_FILE).is_file():
        raise ReportError(
            f"no catalog at {lake / CATALOG_FILE}: run `spotify-etl crawl --lake {lake}` "
            "first (after the Glue job has written curated tables)"
        )
    from spotify_etl.catalog import open_catalog

    return _utc(open_catalog(lake, read_only=True))


def open_parquet_views(lake: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per curated table over its hive-partitioned Parquet.

    Raises:
        ReportError: when a curated table has no Parquet files.
    """
    con = _utc(duckdb.connect())
    for table in CURATED_TABLES:
        folder = lake / "curated" / table
        if not any(folder.glob("*/*.parquet")):
            raise ReportError(f"no Parquet files under {folder}: run the Glue job first")
        pattern = str(folder / "*" / "*.parquet").replace("'", "''")
        con.execute(
            f"create view {table} as select * from read_parquet('{pattern}', "
            "hive_partitioning = true)"
        )
    return con
