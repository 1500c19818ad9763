"""The local Glue Data Catalog twin: `crawl` a folder lake into DuckDB, `open_catalog` it."""

from __future__ import annotations

from pathlib import Path

from spotify_etl.catalog.discovery import CatalogError, Column, Table, discover_tables
from spotify_etl.catalog.report import CrawlReport, compare
from spotify_etl.catalog.store import (
    CATALOG_FILE,
    META_SCHEMA,
    CatalogNotFoundError,
    catalog_path,
    connect_for_crawl,
    open_catalog,
    read_state,
    write_catalog,
)

__all__ = [
    "CATALOG_FILE",
    "META_SCHEMA",
    "CatalogError",
    "CatalogNotFoundError",
    "Column",
    "CrawlReport",
    "Table",
    "catalog_path",
    "crawl",
    "open_catalog",
]


def crawl(lake: Path) -> CrawlReport:
    """Catalogue every table under `<lake>/curated/` and report what changed since the last crawl.

    Reads only Parquet footers. Running it again on an unchanged lake changes nothing.

    Raises:
        CatalogError: when the lake cannot be catalogued as it is (the message names the files);
            the previous catalog is then left untouched.
    """
    tables = discover_tables(lake)
    con = connect_for_crawl(lake)
    try:
        before = read_state(con)
        write_catalog(con, lake, tables)
    finally:
        con.close()
    return compare(str(catalog_path(lake)), before, tables)
