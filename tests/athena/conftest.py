"""Athena-query fixtures: the deterministic chart lake, crawled once for the module."""

from __future__ import annotations

from pathlib import Path

import pytest
from chart_lake import build_chart_lake

from spotify_etl.catalog import crawl


@pytest.fixture(scope="module")
def crawled_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The chart lake of chart_lake.py, catalogued (read it, never change it)."""
    lake = build_chart_lake(tmp_path_factory.mktemp("athena") / "lake")
    crawl(lake)
    return lake
