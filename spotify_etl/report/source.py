"""Open the lake's local catalog (one DuckDB view per curated table) for the report."""

from __future__ import annotations

from pathlib import Path

import duckdb

from spotify_etl.catalog import CatalogError, open_catalog


class ReportError(ValueError):
    """The report cannot be built from what the user asked for; the message says what to do."""


def open_lake_catalog(lake: Path) -> duckdb.DuckDBPyConnection:
    """Open `<lake>/catalog.duckdb` read-only, timestamps in UTC.

    Raises:
        ReportError: when there is no catalog yet (run `spotify-etl crawl`) or it is stale.
    """
    try:
        return open_catalog(lake, read_only=True)
    except CatalogError as error:
        raise ReportError(str(error)) from error
