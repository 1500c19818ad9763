"""The Glue job itself, run locally: full backfill of every raw date, or one incremental run."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from glue_jobs.charts.config import JobConfig
from glue_jobs.charts.pipeline import run
from glue_jobs.charts.state import STATE_KEY
from glue_jobs.charts.writer import CURATED_PREFIX, QUARANTINE_PREFIX

# Everything the job writes: removed before a backfill repeat so each starts from nothing.
JOB_OUTPUTS = (CURATED_PREFIX, QUARANTINE_PREFIX, STATE_KEY.split("/", 1)[0] + "/")


def clear_job_outputs(lake: Path) -> None:
    """Delete the job's curated tables, quarantine and state (the raw data stays)."""
    for prefix in JOB_OUTPUTS:
        shutil.rmtree(lake / prefix, ignore_errors=True)


def raw_dates(lake: Path, raw_prefix: str) -> list[dt.date]:
    """The snapshot dates that have a raw folder."""
    folders = (lake / raw_prefix).glob("snapshot_date=*")
    return sorted(dt.date.fromisoformat(folder.name.split("=", 1)[1]) for folder in folders)


def backfill(spark: SparkSession, lake: Path, dates: list[dt.date]) -> dict[str, Any]:
    """Rebuild the given dates (a full backfill when they are all the raw dates)."""
    return run(spark, JobConfig(lake_root=str(lake), snapshot_dates=tuple(dates)))


def incremental(spark: SparkSession, lake: Path) -> dict[str, Any]:
    """One scheduled run: no dates given, the job rebuilds the dates whose raw objects changed."""
    return run(spark, JobConfig(lake_root=str(lake)))
