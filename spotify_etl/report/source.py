"""Open the lake's local catalog (one DuckDB view per curated table) for the report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb


class ReportError(ValueError):
    """The report cannot be built from what the user asked for; the message says what to do."""


def open_lake_catalog(lake: Path) -> duckdb.DuckDBPyConnection:
    """Open `<lake>/catalog.duckdb` read-only, timestamps in UTC.

    Raises:
        ReportError: when there is no catalog yet (run `spotify-etl crawl`), it is stale, or
            a curated table is missing from it.
    """
    from glue_jobs.charts.schemas import CURATED_TABLES
    from spotify_etl.catalog import CatalogError, open_catalog

    try:
        con = open_catalog(lake, read_only=True)
    except CatalogError as error:
        raise ReportError(str(error)) from error
    views = {row[0] for row in con.execute("select view_name from duckdb_views()").fetchall()}
    missing = [table for table in CURATED_TABLES if table not in views]
    if missing:
        con.close()
        raise ReportError(
            f"the catalog of {lake} has no table {', '.join(missing)}: run the Glue job, then "
            f"`spotify-etl crawl --lake {lake}`"
        )
    return con
