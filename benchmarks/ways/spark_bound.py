"""Spark's lower bound for the five tables: the least a Spark job that builds them can do.

The same keys, the same per-date dedupe and one Parquet file per date partition as the job,
and nothing else: Spark's own multiLine JSON reader with the declared schema (no body checks,
no quarantine, no legacy bodies, no positions), the key columns and a name per table instead
of every column, one seen-range-free window per table. A Spark job that builds the job's
tables cannot do less work than this; its time is what Spark itself costs here, and its
ratio to DuckDB is the best any Spark job of these tables can show on this machine
(decision 0098, round 4). It writes the same row counts per table as the job (checked).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pyspark.sql import Column, DataFrame, Observation, SparkSession
from pyspark.sql import functions as F

from benchmarks.ways.floor import parsed_snapshots
from glue_jobs.charts.schemas import PARTITION_COLUMN
from glue_jobs.charts.table_steps import dedupe_first, latest_first


def _entries(spark: SparkSession, lake: Path) -> DataFrame:
    raw = parsed_snapshots(spark, lake)
    snapshots = raw.select(
        F.col("chart.id").alias("playlist_id"),
        F.col("snapshot_ts").cast("timestamp").alias("snapshot_ts"),
        F.posexplode("entries").alias("index", "entry"),
    )
    item = F.col("entry.item")
    return (
        snapshots.where(item["id"].isNotNull())
        .select(
            "playlist_id",
            "snapshot_ts",
            F.to_date("snapshot_ts").alias(PARTITION_COLUMN),
            (F.col("index") + 1).alias("position"),
            item["id"].alias("song_id"),
            item["name"].alias("song_name"),
            item["album"]["id"].alias("album_id"),
            item["album"]["name"].alias("album_name"),
            item["artists"].alias("artists"),
            item["album"]["artists"].alias("album_artists"),
        )
        .repartition(PARTITION_COLUMN)
    )


def _latest(df: DataFrame, keys: Sequence[str], *tie_breaks: Column) -> DataFrame:
    """The job's own dedupe and order (glue_jobs/charts/table_steps.py): one row per date and
    key, the latest snapshot first."""
    return df.transform(dedupe_first(keys, latest_first(*tie_breaks)))


def _artists(entries: DataFrame) -> DataFrame:
    def tagged(path: str, source: int) -> Column:
        return F.transform(
            path, lambda a, i: F.struct(F.lit(source).alias("s"), i.alias("i"), a.alias("a"))
        )

    credits = F.concat(tagged("artists", 0), tagged("album_artists", 1))
    return entries.select(
        PARTITION_COLUMN, "snapshot_ts", "playlist_id", "position", F.explode(credits).alias("c")
    ).select(
        PARTITION_COLUMN,
        "snapshot_ts",
        "playlist_id",
        "position",
        F.col("c.s").alias("s"),
        F.col("c.i").alias("i"),
        F.col("c.a.id").alias("artist_id"),
        F.col("c.a.name").alias("name"),
    )


def tables(entries: DataFrame) -> dict[str, tuple[DataFrame, tuple[str, ...]]]:
    """The five tables from the cached entries, each with its key (for the file order)."""
    song = _latest(entries, ["song_id"]).select(
        PARTITION_COLUMN, "song_id", "song_name", "album_id", "artists"
    )
    return {
        "chart_entry": (
            _latest(entries, ["playlist_id", "snapshot_ts", "position"]).select(
                PARTITION_COLUMN, "playlist_id", "snapshot_ts", "position", "song_id", "album_id"
            ),
            ("playlist_id", "snapshot_ts", "position"),
        ),
        "song": (song.drop("artists"), ("song_id",)),
        "album": (
            _latest(entries.where(F.col("album_id").isNotNull()), ["album_id"]).select(
                PARTITION_COLUMN, "album_id", "album_name"
            ),
            ("album_id",),
        ),
        "artist": (
            _latest(_artists(entries), ["artist_id"], F.col("s"), F.col("i")).select(
                PARTITION_COLUMN, "artist_id", "name"
            ),
            ("artist_id",),
        ),
        "song_artist": (
            song.select(
                PARTITION_COLUMN, "song_id", F.posexplode("artists").alias("index", "artist")
            )
            .select(PARTITION_COLUMN, "song_id", F.col("artist.id").alias("artist_id"), "index")
            .where(F.col("artist_id").isNotNull())
            .transform(dedupe_first(["song_id", "artist_id"], [F.col("index").asc()])),
            ("song_id", "artist_id"),
        ),
    }


def five_tables(spark: SparkSession, lake: Path, out: Path) -> dict[str, Any]:
    """Read, parse, flatten and cache the entries; write the five tables; their row counts
    (observed during each write, as the job counts them)."""
    entries = _entries(spark, lake).cache()
    try:
        rows = {}
        for name, (table_df, keys) in tables(entries).items():
            observation = Observation(name)
            (
                table_df.observe(observation, F.count(F.lit(1)).alias("rows"))
                .repartition(PARTITION_COLUMN)
                .sortWithinPartitions(PARTITION_COLUMN, *keys)
                .write.mode("overwrite")
                .partitionBy(PARTITION_COLUMN)
                .parquet(str(out / name))
            )
            rows[name] = int(observation.get["rows"])
        return {"rows": rows}
    finally:
        entries.unpersist()
