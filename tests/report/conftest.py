"""Fixtures: the tiny chart written as a lake and crawled into its local catalog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from curated_lake import write_chart_lake
from tiny_chart import TINY_CHART

from spotify_etl.catalog import crawl
from spotify_etl.report.source import open_lake_catalog


@pytest.fixture
def tiny_lake(tmp_path: Path) -> Path:
    """A lake folder holding the five curated tables of TINY_CHART and their catalog."""
    lake = tmp_path / "lake"
    write_chart_lake(lake, TINY_CHART)
    crawl(lake)
    return lake


@pytest.fixture
def tiny_con(tiny_lake: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The tiny lake's catalog, opened as the report opens it."""
    con = open_lake_catalog(tiny_lake)
    yield con
    con.close()
