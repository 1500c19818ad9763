"""Transforms from flat entries to the curated tables (one `to_<table>` per table)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from glue_jobs.charts.schemas import CHART_ENTRY_SCHEMA, PARTITION_COLUMN, SONG_SCHEMA

Transform = Callable[[DataFrame], DataFrame]


def latest_first() -> tuple[Column, ...]:
    """Latest snapshot first; within one snapshot the first playlist by id, then position."""
    return (F.col("snapshot_ts").desc(), F.col("playlist_id").asc(), F.col("position").asc())


def select_schema(schema: T.StructType) -> Transform:
    """Project to a table's declared columns, in order, cast to the declared types.

    Nullability is not cast (Spark cannot narrow it): non-null columns are guaranteed by the
    filters before, and Parquet readers see every column as nullable anyway.
    """

    def _select(df: DataFrame) -> DataFrame:
        current = {f.name: f.dataType.simpleString() for f in df.schema.fields}
        return df.select(
            *[
                F.col(f.name)
                if current.get(f.name) == f.dataType.simpleString()
                else F.col(f.name).cast(f.dataType).alias(f.name)
                for f in schema.fields
            ]
        )

    return _select


def filter_songs(entries_df: DataFrame) -> DataFrame:
    """Keep entries that carry a song (usable snapshot, not local, not null, not an episode)."""
    return entries_df.where(
        F.col("reason").isNull() & F.col("entry_index").isNotNull() & F.col("skip_reason").isNull()
    )


def with_seen_range(key_columns: Sequence[str]) -> Transform:
    """Add `first_seen_ts`/`last_seen_ts`: the key's first and last snapshot_ts in its date."""

    def _with(df: DataFrame) -> DataFrame:
        whole_partition = Window.partitionBy(PARTITION_COLUMN, *key_columns).rowsBetween(
            Window.unboundedPreceding, Window.unboundedFollowing
        )
        return df.withColumns(
            {
                "first_seen_ts": F.min("snapshot_ts").over(whole_partition),
                "last_seen_ts": F.max("snapshot_ts").over(whole_partition),
            }
        )

    return _with


def dedupe_latest(key_columns: Sequence[str], tie_breaks: Sequence[Column] = ()) -> Transform:
    """Keep one row per (snapshot_date, key): the latest snapshot, ties broken by
    (playlist_id, position) and then `tie_breaks`, so every run picks the same row."""

    def _dedupe(df: DataFrame) -> DataFrame:
        window = Window.partitionBy(PARTITION_COLUMN, *key_columns).orderBy(
            *latest_first(), *tie_breaks
        )
        return (
            df.withColumn("_rank", F.row_number().over(window))
            .where(F.col("_rank") == 1)
            .drop("_rank")
        )

    return _dedupe


def dedupe_chart_entries(entries_df: DataFrame) -> DataFrame:
    """One row per (playlist_id, snapshot_ts, position), guarding against an object read twice.

    Keys make a second copy impossible; if one appears, the latest capture (then raw key) wins.
    The date (a function of snapshot_ts) leads the key: entries clustered by date need no shuffle.
    """
    key = Window.partitionBy(PARTITION_COLUMN, "playlist_id", "snapshot_ts", "position").orderBy(
        F.col("captured_at").desc(), F.col("raw_key").asc()
    )
    return (
        entries_df.withColumn("_rank", F.row_number().over(key))
        .where(F.col("_rank") == 1)
        .drop("_rank")
    )


def with_song_fields(entries_df: DataFrame) -> DataFrame:
    """Add the song table's names for the flat entry columns (ids, name, URL, artist ids)."""
    return entries_df.withColumns(
        {
            "name": F.col("song_name"),
            "spotify_url": F.col("song_url"),
            "artist_ids": F.transform("artists", lambda artist: artist["id"]),
            # `get`: a song with no artist id gives null, not INVALID_ARRAY_INDEX (ANSI).
            "primary_artist_id": F.get("artists", 0)["id"],
        }
    )


def to_chart_entry(entries_df: DataFrame) -> DataFrame:
    """chart_entry: one row per (playlist_id, snapshot_ts, position) with a song."""
    return (
        entries_df.transform(filter_songs)
        .transform(dedupe_chart_entries)
        .transform(with_song_fields)
        .transform(select_schema(CHART_ENTRY_SCHEMA))
    )


def to_song(entries_df: DataFrame) -> DataFrame:
    """song: one row per (song_id, snapshot_date), attributes from the latest entry."""
    return (
        entries_df.transform(filter_songs)
        .transform(with_seen_range(["song_id"]))
        .transform(dedupe_latest(["song_id"]))
        .transform(with_song_fields)
        .transform(select_schema(SONG_SCHEMA))
    )
