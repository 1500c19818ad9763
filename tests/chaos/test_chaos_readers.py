"""Attack suite, readers: during a run every published day keeps a data file at every moment."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from chaos_lake import OTHER_SEED, ingest
from chaos_watch import PartitionWatch, data_files

from glue_jobs.charts import pipeline
from glue_jobs.charts.config import JobConfig

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's"),
]


def test_no_published_day_is_missing_at_any_moment_of_a_rebuild(spark: Any, tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    ingest(lake)
    pipeline.run(spark, JobConfig(str(lake)))
    ingest(lake, OTHER_SEED)  # every hour of both days lands again, with other content
    table = lake / "curated" / "chart_entry"
    before = data_files(table)
    assert len(before) == 2

    with PartitionWatch(table) as watch:
        summary = pipeline.run(spark, JobConfig(str(lake)))
        fewest = watch.fewest_data_files(before)

    assert len(summary["partitions_rebuilt"]) == 2
    # On main, Spark's commit deleted each day's folder before moving the new one in: 0.
    assert {day: fewest[day] for day in before} == dict.fromkeys(before, 1)
    assert data_files(table) == dict.fromkeys(before, 1)


def test_the_watch_sees_a_day_go_missing(tmp_path: Path) -> None:
    table = tmp_path / "chart_entry"
    partition = table / "snapshot_date=2026-11-01"
    partition.mkdir(parents=True)
    (partition / "part-00000.snappy.parquet").write_bytes(b"old")
    staged = tmp_path / "staged"
    staged.mkdir()
    (staged / "part-00000-x.snappy.parquet").write_bytes(b"new")
    with PartitionWatch(table) as watch:
        shutil.rmtree(partition)  # what Spark's dynamic overwrite did, in two steps
        staged.rename(partition)
        fewest = watch.fewest_data_files({"snapshot_date=2026-11-01": 1})
    assert fewest == {"snapshot_date=2026-11-01": 0}
