"""Fixtures: the tiny chart written as a lake, and DuckDB views over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from curated_lake import write_chart_lake
from tiny_chart import TINY_CHART

from spotify_etl.report.source import open_parquet_views


@pytest.fixture
def tiny_lake(tmp_path: Path) -> Path:
    """A lake folder holding the five curated tables of TINY_CHART."""
    lake = tmp_path / "lake"
    write_chart_lake(lake, TINY_CHART)
    return lake


@pytest.fixture
def tiny_con(tiny_lake: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """DuckDB views over the tiny lake's Parquet."""
    con = open_parquet_views(tiny_lake)
    yield con
    con.close()
