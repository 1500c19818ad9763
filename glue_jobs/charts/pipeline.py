"""The job: rebuild the curated partitions of the dates whose raw objects changed."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from glue_jobs.charts.config import JobConfig
from glue_jobs.charts.dimensions import to_album, to_artist, to_song_artist
from glue_jobs.charts.entries import to_entries
from glue_jobs.charts.phases import PhaseClock, PhaseListener, write_phase
from glue_jobs.charts.raw_keys import raw_date_prefix
from glue_jobs.charts.reader import read_raw_snapshots
from glue_jobs.charts.schemas import CURATED_TABLES, PARTITION_COLUMN
from glue_jobs.charts.state import (
    JobState,
    RawListing,
    advance_state,
    changed_dates,
    list_raw,
    load_state,
    undated_changed,
)
from glue_jobs.charts.storage import Storage, storage_for
from glue_jobs.charts.tables import to_chart_entry, to_song
from glue_jobs.charts.unread import account_for_unread, bad_keys_of, next_deferred
from glue_jobs.charts.writer import (
    Written,
    clean_staging,
    delete_partitions,
    quarantine_objects,
    write_table,
)

LOGGER = logging.getLogger(__name__)
AQE_KEY = "spark.sql.adaptive.enabled"


@dataclass
class ObjectStats:
    """What the read found, from one small aggregate of the cached entries."""

    read_keys: set[str] = field(default_factory=set)
    entries: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    rejected: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    dates_with_songs: set[dt.date] = field(default_factory=set)
    # Objects whose read is retried next run, and so their dates are neither written nor
    # recorded this run (glue_jobs/charts/unread.py).
    deferred: dict[str, dict[str, Any]] = field(default_factory=dict)
    held_back: set[dt.date] = field(default_factory=set)


def collect_object_stats(entries_df: DataFrame) -> ObjectStats:
    """Count objects, entries and skips per reason, and name the rejected objects (one action)."""
    # A usable object's entries share one snapshot_ts, so its date adds no group.
    keys = ("raw_key", "reason", "detail", "skip_reason", PARTITION_COLUMN)
    grouped = entries_df.groupBy(*keys).agg(F.count("entry_index").alias("entries"))
    stats = ObjectStats()
    for row in grouped.collect():
        stats.read_keys.add(row["raw_key"])
        if row["reason"] is not None:
            stats.rejected[row["raw_key"]] = (row["reason"], row["detail"])
            continue
        stats.entries += row["entries"]
        if row["skip_reason"] is not None:
            stats.skipped[row["skip_reason"]] += row["entries"]
        elif row["entries"]:
            stats.dates_with_songs.add(row[PARTITION_COLUMN])
    return stats


def persist_clustered(df: DataFrame) -> DataFrame:
    """Persist `df` so that later plans still see its partitioning (by date).

    Spark 3.5 plans a cache with AQE when AQE is on, and such a cache reports no partitioning:
    every later window and repartition by date would shuffle again. The cache is planned (at
    `persist`) with AQE off; the queries that read it keep AQE.
    """
    conf = df.sparkSession.conf
    before = conf.get(AQE_KEY, None)
    conf.set(AQE_KEY, "false")
    try:
        return df.persist(StorageLevel.MEMORY_AND_DISK)
    finally:
        if before is None:
            conf.unset(AQE_KEY)
        else:
            conf.set(AQE_KEY, before)


def cache_entries(spark: SparkSession, folder_uris: list[str]) -> DataFrame:
    """The flat entries of the raw folders, hash-partitioned by date and cached.

    Cached once: the stats action and the five writes all read it, the raw is parsed once.
    Clustered by date before the cache: every table's per-date window and one-file-per-date
    write then reuse this one shuffle instead of two shuffles per table (decision 0034).
    """
    return persist_clustered(
        to_entries(read_raw_snapshots(spark, folder_uris)).repartition(PARTITION_COLUMN)
    )


def to_tables(entries_df: DataFrame, song_df: DataFrame) -> dict[str, DataFrame]:
    """The five tables from the cached entries and the cached song rows (`to_song`)."""
    return {
        "chart_entry": to_chart_entry(entries_df),
        "song": song_df,
        "album": to_album(entries_df),
        "artist": to_artist(entries_df),
        "song_artist": to_song_artist(song_df),
    }


def write_tables(
    entries_df: DataFrame, storage: Storage, dates: list[dt.date], clock: PhaseClock | None = None
) -> dict[str, Written]:
    """Build and write the five tables from the cached entries, then delete the partitions
    of rebuilt dates a table no longer has rows for."""
    # song_artist is exploded from the song rows: keep them rather than dedupe twice.
    song_df = persist_clustered(to_song(entries_df))
    tables = to_tables(entries_df, song_df)
    results = {}
    clock = clock or PhaseClock()
    try:
        for name, table_df in tables.items():
            with clock.phase(write_phase(name)):
                results[name] = write_table(table_df, storage, name)
                delete_partitions(storage, name, sorted(set(dates) - results[name].dates))
    finally:
        song_df.unpersist()
    return results


def plan(storage: Storage, config: JobConfig) -> tuple[RawListing, list[dt.date]]:
    """List raw objects and choose the dates to rebuild: the given ones, or the changed ones."""
    if config.is_backfill:
        return list_raw(storage, config.snapshot_dates), list(config.snapshot_dates)
    listing = list_raw(storage)
    return listing, changed_dates(listing, load_state(storage))


def _rebuild(
    spark: SparkSession,
    storage: Storage,
    listing: RawListing,
    dates: list[dt.date],
    clock: PhaseClock,
    *,
    state: JobState,
) -> tuple[ObjectStats, dict[str, Written]]:
    folders = [storage.uri(raw_date_prefix(day)) for day in dates if day in listing.by_date]
    if not folders:
        _delete_all(storage, dates)
        return ObjectStats(), {}
    with clock.phase("read"):
        entries_df = cache_entries(spark, folders)
    try:
        with clock.phase("read"):
            stats = collect_object_stats(entries_df)
            unread = account_for_unread(storage, listing, dates, stats.read_keys, state.deferred)
        stats.rejected.update(unread.rejected)
        stats.deferred, stats.held_back = unread.deferred, unread.held_back
        with clock.phase("quarantine"):
            quarantine_objects(storage, stats.rejected)
        dates = [day for day in dates if day not in stats.held_back]
        held_back = F.col(PARTITION_COLUMN).isin(sorted(stats.held_back))
        write_df = entries_df.where(~held_back) if stats.held_back else entries_df
        if stats.dates_with_songs - stats.held_back:
            return stats, write_tables(write_df, storage, dates, clock)
        _delete_all(storage, dates)
        return stats, {}
    finally:
        entries_df.unpersist()


def _delete_all(storage: Storage, dates: list[dt.date]) -> None:
    for table in CURATED_TABLES:
        delete_partitions(storage, table, dates)


def run(
    spark: SparkSession,
    config: JobConfig,
    storage: Storage | None = None,
    glue_client: Any = None,
    on_phase: PhaseListener | None = None,
) -> dict[str, Any]:
    """Run the job once and return its summary (also logged as one JSON line).

    The state advances only after every table was written, so a run that dies is simply
    run again: it rebuilds the same whole partitions. `on_phase` is told the name of each
    phase as it starts (the local command shows progress with it).
    """
    started = time.monotonic()
    clock = PhaseClock(spark, on_phase)
    storage = storage or storage_for(config.lake_root)
    with clock.phase("plan"):
        listing, dates = plan(storage, config)
        clean_staging(storage)
        state = load_state(storage)
    stats, written = (
        _rebuild(spark, storage, listing, dates, clock, state=state)
        if dates
        else (ObjectStats(), {})
    )
    undated = undated_changed(listing, state)
    if undated:  # objects outside any date folder: quarantined once, whenever they change
        outside = bad_keys_of(info.key for info in listing.undated)
        with clock.phase("quarantine"):
            quarantine_objects(storage, outside)
        stats.rejected.update(outside)
    registered: dict[str, int] = {}
    if config.catalog_database and written:
        from glue_jobs.charts.catalog import register_partitions

        with clock.phase("register"):
            registered = register_partitions(
                config.catalog_database,
                {table: sorted(result.dates) for table, result in written.items()},
                glue_client,
            )
    if dates or undated:
        state.deferred = next_deferred(state.deferred, dates, stats.deferred)
        advance_state(storage, state, listing, stats.held_back)
    summary = {
        "mode": "backfill" if config.is_backfill else "incremental",
        "raw_objects_read": len(stats.read_keys | set(stats.rejected)),
        "entries_read": stats.entries,
        "rows_written": {table: result.rows for table, result in written.items()},
        "quarantined": dict(sorted(Counter(r for r, _ in stats.rejected.values()).items())),
        "skipped_entries": dict(sorted(stats.skipped.items())),
        "partitions_rebuilt": [day.isoformat() for day in dates if day not in stats.held_back],
        "partitions_held_back": [day.isoformat() for day in sorted(stats.held_back)],
        "catalog_partitions_added": registered,
        "phase_seconds": clock.summary(),
        "seconds": round(time.monotonic() - started, 3),
    }
    LOGGER.info(json.dumps({"event": "charts_job_summary", **summary}))
    return summary
