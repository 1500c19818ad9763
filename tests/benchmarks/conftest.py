"""Fixtures for the benchmark tests: a tiny generated lake that crosses a date boundary."""

from __future__ import annotations

from pathlib import Path

import pytest

# `benchmarks` is importable from the checkout through pytest's `pythonpath = ["."]`.
from benchmarks.generate import GenerateSpec, generate

# Hours 22..25 of the benchmark calendar: two on 2025-01-01 and two on 2025-01-02.
TINY_FIRST_HOUR = 22
TINY_HOURS = 4


@pytest.fixture(scope="session")
def tiny_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four hourly snapshots written by the benchmark generator (read-only for tests)."""
    lake = tmp_path_factory.mktemp("bench-lake")
    generate(GenerateSpec(lake=lake, hours=TINY_HOURS, first_hour=TINY_FIRST_HOUR), workers=2)
    return lake
