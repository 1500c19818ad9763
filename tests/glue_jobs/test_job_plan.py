"""The job's plan: one shuffle for the whole run, and writes that state their own mode."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from pyspark.sql import DataFrame

from glue_jobs.charts import pipeline
from glue_jobs.charts.storage import LocalStorage
from glue_jobs.charts.tables import to_song
from glue_jobs.charts.writer import partition_key, to_file_order, write_table

pytestmark = pytest.mark.spark

# Shuffle exchanges as Spark prints them (not `ReusedExchange`, not a broadcast).
SHUFFLE = re.compile(r"\bExchange (hashpartitioning|rangepartitioning|RoundRobin|SinglePartition)")


def shuffles(df: DataFrame) -> int:
    """Shuffles in the plan Spark would run for `df`, the plans of the caches it reads included
    (printed under their `InMemoryRelation`)."""
    plan: str = df._jdf.queryExecution().executedPlan().toString()
    return len(SHUFFLE.findall(plan))


def raw_folders(lake: Path) -> list[str]:
    return sorted(str(folder) for folder in (lake / "raw/playlist_snapshots").glob("*=*"))


def test_every_table_write_reuses_the_one_shuffle_of_the_cached_entries(
    spark: Any, shared_lake: tuple[Path, dict[str, Any]]
) -> None:
    # Decision 0034: the entries are hash-partitioned by date once, before the cache, and
    # the caches are planned with AQE off so that later plans see that partitioning. If
    # either goes, each table's windows and its one-file-per-date write shuffle again.
    entries_df = pipeline.cache_entries(spark, raw_folders(shared_lake[0]))
    song_df = pipeline.persist_clustered(to_song(entries_df))
    try:
        assert shuffles(entries_df) == 1
        counts = {
            table: shuffles(to_file_order(table_df, table))
            for table, table_df in pipeline.to_tables(entries_df, song_df).items()
        }
    finally:
        song_df.unpersist()
        entries_df.unpersist()
    assert counts == dict.fromkeys(counts, 1)


@pytest.mark.parametrize("session_mode", ["static", "dynamic"])
def test_a_table_write_replaces_only_its_partitions_whatever_the_session_mode(
    spark: Any, tmp_path: Path, session_mode: str
) -> None:
    storage = LocalStorage(tmp_path)
    kept, rebuilt = dt.date(2026, 11, 24), dt.date(2026, 11, 25)
    old = spark.createDataFrame(
        [(kept, "a", "old"), (rebuilt, "a", "old")], "snapshot_date date, song_id string, v string"
    )
    new = spark.createDataFrame(
        [(rebuilt, "b", "new")], "snapshot_date date, song_id string, v string"
    )
    before = spark.conf.get("spark.sql.sources.partitionOverwriteMode")
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", session_mode)
    try:
        write_table(old, storage, "song")
        written = write_table(new, storage, "song")
    finally:
        spark.conf.set("spark.sql.sources.partitionOverwriteMode", before)
    assert written.dates == {rebuilt}
    rows = {
        day: sorted(
            tuple(row)
            for row in spark.read.parquet(storage.uri(partition_key("song", day))).collect()
        )
        for day in (kept, rebuilt)
    }
    assert rows == {kept: [("a", "old")], rebuilt: [("b", "new")]}
