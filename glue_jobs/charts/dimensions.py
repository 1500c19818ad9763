"""Transforms to the album, artist and song_artist tables."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from glue_jobs.charts.schemas import (
    ALBUM_SCHEMA,
    ARTIST_SCHEMA,
    PARTITION_COLUMN,
    SONG_ARTIST_SCHEMA,
)
from glue_jobs.charts.tables import (
    dedupe_latest,
    filter_songs,
    select_schema,
    with_seen_range,
)

ARTIST_FROM_TRACK, ARTIST_FROM_ALBUM = 0, 1


def with_album_fields(entries_df: DataFrame) -> DataFrame:
    """Add the album table's names for the flat entry columns."""
    return entries_df.withColumns(
        {
            "name": F.col("album_name"),
            "artist_ids": F.transform("album_artists", lambda artist: artist["id"]),
            "image_url": F.col("album_image_url"),
            "spotify_url": F.col("album_url"),
        }
    )


def to_album(entries_df: DataFrame) -> DataFrame:
    """album: one row per (album_id, snapshot_date), attributes from the latest entry."""
    return (
        entries_df.transform(filter_songs)
        .where(F.col("album_id").isNotNull())
        .transform(with_seen_range(["album_id"]))
        .transform(dedupe_latest(["album_id"]))
        .transform(with_album_fields)
        .transform(select_schema(ALBUM_SCHEMA))
    )


def _tagged_artists(path: str, source: int) -> Column:
    return F.transform(
        path,
        lambda artist, index: F.struct(
            F.lit(source).alias("artist_source"),
            index.alias("artist_index"),
            artist.alias("artist"),
        ),
    )


def explode_artists(entries_df: DataFrame) -> DataFrame:
    """One row per credited artist of each song entry: the track's artists, then the album's.

    One explode over both lists (not a union of two): the rows keep the entries' clustering
    by date, so the per-date windows after it need no shuffle.
    """
    keep = [PARTITION_COLUMN, "snapshot_ts", "playlist_id", "position"]
    sources = {ARTIST_FROM_TRACK: "artists", ARTIST_FROM_ALBUM: "album_artists"}
    tagged = [_tagged_artists(path, source) for source, path in sources.items()]
    return (
        # A null list (no album) adds nothing and must not hide the other one.
        entries_df.select(
            *keep,
            F.explode(F.flatten(F.filter(F.array(*tagged), lambda part: part.isNotNull()))).alias(
                "credit"
            ),
        )
        .select(*keep, "credit.*")
        .withColumns(
            {
                "artist_id": F.col("artist.id"),
                "name": F.col("artist.name"),
                "spotify_url": F.col("artist.url"),
            }
        )
    )


def to_artist(entries_df: DataFrame) -> DataFrame:
    """artist: one row per (artist_id, snapshot_date), featured and album artists included."""
    return (
        entries_df.transform(filter_songs)
        .transform(explode_artists)
        .transform(with_seen_range(["artist_id"]))
        .transform(dedupe_latest(["artist_id"], (F.col("artist_source"), F.col("artist_index"))))
        .transform(select_schema(ARTIST_SCHEMA))
    )


def explode_song_artists(song_df: DataFrame) -> DataFrame:
    """One row per (song, credited artist) with the 1-based `artist_position`."""
    return song_df.select(
        "song_id",
        PARTITION_COLUMN,
        F.posexplode("artist_ids").alias("artist_index", "artist_id"),
    ).withColumn("artist_position", F.col("artist_index") + 1)


def dedupe_song_artists(song_artist_df: DataFrame) -> DataFrame:
    """Keep an artist credited twice on one song once, at the first position."""
    first = Window.partitionBy(PARTITION_COLUMN, "song_id", "artist_id").orderBy("artist_position")
    return (
        song_artist_df.withColumn("_rank", F.row_number().over(first))
        .where(F.col("_rank") == 1)
        .drop("_rank")
    )


def to_song_artist(song_df: DataFrame) -> DataFrame:
    """song_artist: one row per (song_id, artist_id, snapshot_date), from the song table."""
    return (
        song_df.transform(explode_song_artists)
        .transform(dedupe_song_artists)
        .transform(select_schema(SONG_ARTIST_SCHEMA))
    )
