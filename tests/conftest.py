"""Shared fixtures: one local SparkSession for the whole test session."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
# Spark workers must run the venv's Python (pandas, pyarrow), not whatever `python` is on PATH.
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A small local SparkSession configured like the Glue job's (UTC, few partitions, no UI)."""
    from spotify_etl.local_spark import build_local_spark

    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    session = build_local_spark(app_name="tests", warehouse_dir=warehouse, cores=2)
    yield session
    session.stop()
