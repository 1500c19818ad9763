"""Fixtures for the benchmark tests: a tiny generated lake that crosses a date boundary."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# `benchmarks` is not an installed package (pyproject's packages.find lists only the shipped
# ones), and pytest puts tests/ on sys.path, where tests/benchmarks would pass for it as a
# namespace package. Any sys.path entry holding the real package wins over a namespace one.
REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.append(str(REPO_ROOT))

from benchmarks.generate import GenerateSpec, generate  # noqa: E402

# Hours 22..25 of the benchmark calendar: two on 2025-01-01 and two on 2025-01-02.
TINY_FIRST_HOUR = 22
TINY_HOURS = 4


@pytest.fixture(scope="session")
def tiny_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four hourly snapshots written by the benchmark generator (read-only for tests)."""
    lake = tmp_path_factory.mktemp("bench-lake")
    generate(GenerateSpec(lake=lake, hours=TINY_HOURS, first_hour=TINY_FIRST_HOUR), workers=2)
    return lake
