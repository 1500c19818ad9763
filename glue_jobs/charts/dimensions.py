"""The dimension tables: album and artist from flat entries, song_artist from song rows
(each ends in `select_table`, as glue_jobs/charts/tables.py says)."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from glue_jobs.charts.schemas import (
    ALBUM_SCHEMA,
    ARTIST_SCHEMA,
    PARTITION_COLUMN,
    SONG_ARTIST_SCHEMA,
)
from glue_jobs.charts.table_steps import (
    artist_ids,
    dedupe_first,
    filter_songs,
    latest_first,
    select_table,
    with_seen_range,
)

ARTIST_FROM_TRACK, ARTIST_FROM_ALBUM = 0, 1


def to_album(entries_df: DataFrame) -> DataFrame:
    """album: one row per (album_id, snapshot_date), attributes from the latest entry."""
    return (
        entries_df.transform(filter_songs)
        .where(F.col("album_id").isNotNull())
        .transform(with_seen_range(["album_id"]))
        .transform(dedupe_first(["album_id"], latest_first()))
        .transform(
            select_table(
                ALBUM_SCHEMA,
                "album_id",
                F.col("album_name").alias("name"),
                "album_type",
                "total_tracks",
                "release_date",
                "release_date_precision",
                "release_year",
                artist_ids("album_artists").alias("artist_ids"),
                F.col("album_image_url").alias("image_url"),
                F.col("album_url").alias("spotify_url"),
                "first_seen_ts",
                "last_seen_ts",
                PARTITION_COLUMN,
            )
        )
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
    """One row per credited artist of each song entry: the track's artists, then the album's;
    `artist` is the credit (id, name, url), `artist_id` its id (the artist table's key).

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
        .withColumn("artist_id", F.col("artist.id"))
    )


def to_artist(entries_df: DataFrame) -> DataFrame:
    """artist: one row per (artist_id, snapshot_date), featured and album artists included;
    attributes from the latest entry, then the track's credits before the album's."""
    credit_order = (F.col("artist_source"), F.col("artist_index"))
    return (
        entries_df.transform(filter_songs)
        .transform(explode_artists)
        .transform(with_seen_range(["artist_id"]))
        .transform(dedupe_first(["artist_id"], latest_first(*credit_order)))
        .transform(
            select_table(
                ARTIST_SCHEMA,
                "artist_id",
                F.col("artist.name").alias("name"),
                F.col("artist.url").alias("spotify_url"),
                "first_seen_ts",
                "last_seen_ts",
                PARTITION_COLUMN,
            )
        )
    )


def explode_song_artists(song_df: DataFrame) -> DataFrame:
    """One row per (song, credited artist) with the 1-based `artist_position`."""
    return song_df.select(
        "song_id",
        PARTITION_COLUMN,
        F.posexplode("artist_ids").alias("artist_index", "artist_id"),
    ).withColumn("artist_position", F.col("artist_index") + 1)


def to_song_artist(song_df: DataFrame) -> DataFrame:
    """song_artist: one row per (song_id, artist_id, snapshot_date), from the song table; an
    artist credited twice on one song is kept once, at the first position."""
    return (
        song_df.transform(explode_song_artists)
        .transform(dedupe_first(["song_id", "artist_id"], [F.col("artist_position").asc()]))
        .transform(
            select_table(
                SONG_ARTIST_SCHEMA, "song_id", "artist_id", "artist_position", PARTITION_COLUMN
            )
        )
    )
