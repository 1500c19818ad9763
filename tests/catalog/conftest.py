"""Catalog test fixtures: the deterministic chart lake and a raw Parquet writer."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

_CHART_LAKE = Path(__file__).resolve().parent.parent / "athena" / "chart_lake.py"


def _load_chart_lake() -> ModuleType:
    # tests/ is not a package: load the athena area's lake builder by path, not by import name.
    spec = importlib.util.spec_from_file_location("catalog_chart_lake", _CHART_LAKE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def chart_lake_module() -> ModuleType:
    """The lake builder shared with tests/athena."""
    return _load_chart_lake()


@pytest.fixture
def chart_lake(tmp_path: Path, chart_lake_module: ModuleType) -> Path:
    """A fresh lake with the five curated tables over two snapshot dates."""
    return chart_lake_module.build_chart_lake(tmp_path / "lake")


WriteParquet = Callable[[Path, dict[str, pa.Array]], Path]


@pytest.fixture
def write_parquet() -> WriteParquet:
    """Write one Parquet file with the given columns (creating its folders); return its path."""

    def write(path: Path, columns: dict[str, pa.Array]) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table(columns), path)
        return path

    return write
