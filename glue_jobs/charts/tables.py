"""The fact tables from flat entries: chart_entry and song (one `to_<table>` each).

Each table ends in `select_table`: every output column named there with the entry column
(made on one line in glue_jobs/charts/entries.py or entry_fields.py) or the helper it comes from.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from glue_jobs.charts.schemas import CHART_ENTRY_SCHEMA, PARTITION_COLUMN, SONG_SCHEMA
from glue_jobs.charts.table_steps import (
    artist_ids,
    dedupe_first,
    filter_songs,
    latest_first,
    primary_artist_id,
    select_table,
    with_seen_range,
)

CHART_ENTRY_KEY = ("playlist_id", "snapshot_ts", "position")


def latest_capture() -> tuple[Column, ...]:
    """The order among copies of one chart entry: the latest capture, then the raw key.

    Keys make a second copy impossible (an object read twice would be one); if one appears,
    this decides which wins, the same way every run.
    """
    return (F.col("captured_at").desc(), F.col("raw_key").asc())


def to_chart_entry(entries_df: DataFrame) -> DataFrame:
    """chart_entry: one row per (playlist_id, snapshot_ts, position) with a song."""
    return (
        entries_df.transform(filter_songs)
        .transform(dedupe_first(CHART_ENTRY_KEY, latest_capture()))
        .transform(
            select_table(
                CHART_ENTRY_SCHEMA,
                "playlist_id",
                "chart_kind",
                "playlist_name",
                "snapshot_ts",
                "snapshot_hour",
                "position",
                "song_id",
                "album_id",
                primary_artist_id().alias("primary_artist_id"),
                "added_at",
                "popularity",
                PARTITION_COLUMN,
            )
        )
    )


def to_song(entries_df: DataFrame) -> DataFrame:
    """song: one row per (song_id, snapshot_date), attributes from the latest entry."""
    return (
        entries_df.transform(filter_songs)
        .transform(with_seen_range(["song_id"]))
        .transform(dedupe_first(["song_id"], latest_first()))
        .transform(
            select_table(
                SONG_SCHEMA,
                "song_id",
                F.col("song_name").alias("name"),
                "duration_ms",
                "explicit",
                "disc_number",
                "track_number",
                "isrc",
                "album_id",
                artist_ids("artists").alias("artist_ids"),
                primary_artist_id().alias("primary_artist_id"),
                "popularity",
                F.col("song_url").alias("spotify_url"),
                "first_seen_ts",
                "last_seen_ts",
                PARTITION_COLUMN,
            )
        )
    )
