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

# Spotify sends "2011" (year), "1957-11" (month) or "2025-01-13" (day); "0000" means unknown.
RELEASE_DATE_PATTERN = r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$"
ARTIST_FROM_TRACK, ARTIST_FROM_ALBUM = 0, 1
FIRST_DAY = 1


def _release_part(group: int) -> Column:
    text = F.regexp_extract(F.col("item.album.release_date"), RELEASE_DATE_PATTERN, group)
    return F.when(text != "", text.cast("int"))


def with_release_date(entries_df: DataFrame) -> DataFrame:
    """Add `release_date` (the first day of the period for month/year precision), `release_year`."""
    year = _release_part(1)
    known_year = F.when(year > 0, year)
    release_date = F.make_date(
        known_year,
        F.coalesce(_release_part(2), F.lit(FIRST_DAY)),
        F.coalesce(_release_part(3), F.lit(FIRST_DAY)),
    )
    return entries_df.withColumns({"release_date": release_date, "release_year": known_year})


def _largest_image_url(images: Column) -> Column:
    sized = F.transform(
        F.filter(images, lambda image: image["url"].isNotNull()),
        lambda image: F.struct(
            F.coalesce(image["width"] * image["height"], F.lit(0)).alias("area"),
            image["url"].alias("url"),
        ),
    )
    # Largest area first; equal areas (or unknown sizes) fall back to the URL, never to order.
    return F.sort_array(sized, asc=False)[0]["url"]


def with_album_fields(entries_df: DataFrame) -> DataFrame:
    """Add the album columns read from `item.album`."""
    album = F.col("item.album")
    return entries_df.withColumns(
        {
            "album_id": album["id"],
            "name": album["name"],
            "album_type": album["album_type"],
            "total_tracks": album["total_tracks"],
            "release_date_precision": album["release_date_precision"],
            "artist_ids": F.array_compact(F.transform(album["artists"], lambda a: a["id"])),
            "image_url": _largest_image_url(album["images"]),
            "spotify_url": album["external_urls"]["spotify"],
        }
    ).transform(with_release_date)


def to_album(entries_df: DataFrame) -> DataFrame:
    """album: one row per (album_id, snapshot_date), attributes from the latest entry."""
    return (
        entries_df.transform(filter_songs)
        .transform(with_album_fields)
        .where(F.col("album_id").isNotNull())
        .transform(with_seen_range(["album_id"]))
        .transform(dedupe_latest(["album_id"]))
        .transform(select_schema(ALBUM_SCHEMA))
    )


def explode_artists(entries_df: DataFrame) -> DataFrame:
    """One row per credited artist of each song entry: the track's artists, then the album's."""
    keep = [PARTITION_COLUMN, "snapshot_ts", "playlist_id", "position"]
    sources = {ARTIST_FROM_TRACK: "item.artists", ARTIST_FROM_ALBUM: "item.album.artists"}
    exploded = [
        entries_df.select(
            *keep,
            F.lit(source).alias("artist_source"),
            F.posexplode(path).alias("artist_index", "artist"),
        )
        for source, path in sources.items()
    ]
    return (
        exploded[0]
        .unionByName(exploded[1])
        .where(F.col("artist.id").isNotNull())
        .withColumns(
            {
                "artist_id": F.col("artist.id"),
                "name": F.col("artist.name"),
                "spotify_url": F.col("artist.external_urls.spotify"),
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
