"""A small chart lake for executing the notebook, and the notebook's local runner."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from small_chart import NOTEBOOKS_DIR, write_small_lake


@pytest.fixture
def small_lake(tmp_path: Path) -> Path:
    """A lake with the curated tables of SMALL_CHART (two days, six hourly snapshots)."""
    lake = tmp_path / "lake"
    write_small_lake(lake)
    return lake


@pytest.fixture(scope="session")
def run_local() -> ModuleType:
    """notebooks/run_local.py, the runner the docs tell people to use."""
    spec = importlib.util.spec_from_file_location("run_local", NOTEBOOKS_DIR / "run_local.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
