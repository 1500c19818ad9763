"""Transforms that flatten an entry's `item` into song and album columns (before the cache).

Spark 4 (Glue 6.0) runs with ANSI mode on: an out-of-range index, an impossible date or an
overflow raises instead of giving null. Every expression here gives the same value with ANSI
on and off (docs/glue-versions.md).
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

# Spotify sends "2011" (year), "1957-11" (month) or "2025-01-13" (day); "0000" means unknown.
RELEASE_DATE_PATTERN = r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$"
FIRST_DAY = 1
MONTHS_IN_YEAR = 12


def _credited(artists: Column) -> Column:
    # Credited order kept; artists without id (local files) cannot be joined to anything.
    return F.transform(
        F.filter(artists, lambda artist: artist["id"].isNotNull()),
        lambda artist: F.struct(
            artist["id"].alias("id"),
            artist["name"].alias("name"),
            artist["external_urls"]["spotify"].alias("url"),
        ),
    )


def with_song_columns(entries_df: DataFrame) -> DataFrame:
    """Add the song's columns from `item`; `artists` holds (id, name, url) in credited order."""
    item = F.col("item")
    return entries_df.withColumns(
        {
            "song_id": item["id"],
            "song_name": item["name"],
            "duration_ms": item["duration_ms"],
            "explicit": item["explicit"],
            "disc_number": item["disc_number"],
            "track_number": item["track_number"],
            "isrc": item["external_ids"]["isrc"],
            "popularity": item["popularity"],
            "song_url": item["external_urls"]["spotify"],
            "artists": _credited(item["artists"]),
        }
    )


def _release_part(group: int) -> Column:
    text = F.regexp_extract(F.col("item.album.release_date"), RELEASE_DATE_PATTERN, group)
    return F.when(text != "", text.cast("int"))


def valid_date(year: Column, month: Column, day: Column) -> Column:
    """`make_date`, but null for a day or month that does not exist (February 30, month 13).

    Under ANSI `make_date` raises DATETIME_FIELD_OUT_OF_BOUNDS for those; the guards decide
    first, and Spark evaluates a CASE branch only when its condition holds.
    """
    days_in_month = F.dayofmonth(F.last_day(F.make_date(year, month, F.lit(FIRST_DAY))))
    return F.when(
        month.between(1, MONTHS_IN_YEAR),
        F.when(day.between(FIRST_DAY, days_in_month), F.make_date(year, month, day)),
    )


def with_release_date(entries_df: DataFrame) -> DataFrame:
    """Add `release_date` (first day of the period for month/year precision), `release_year`."""
    year = _release_part(1)
    known_year = F.when(year > 0, year)
    release_date = valid_date(
        known_year,
        F.coalesce(_release_part(2), F.lit(FIRST_DAY)),
        F.coalesce(_release_part(3), F.lit(FIRST_DAY)),
    )
    return entries_df.withColumns({"release_date": release_date, "release_year": known_year})


def _area(image: Column) -> Column:
    # As longs: two int sizes can overflow an int (ANSI raises, non-ANSI wraps around).
    return image["width"].cast("long") * image["height"].cast("long")


def largest_image_url(images: Column) -> Column:
    """The URL of the image with the largest area (ties and unknown sizes: greatest URL)."""
    sized = F.transform(
        F.filter(images, lambda image: image["url"].isNotNull()),
        lambda image: F.struct(
            F.coalesce(_area(image), F.lit(0)).alias("area"),
            image["url"].alias("url"),
        ),
    )
    # `get`, not `[0]`: no image at all (local files) is null, not INVALID_ARRAY_INDEX.
    return F.get(F.sort_array(sized, asc=False), 0)["url"]


def with_album_columns(entries_df: DataFrame) -> DataFrame:
    """Add the album's columns from `item.album`."""
    album = F.col("item.album")
    return entries_df.withColumns(
        {
            "album_id": album["id"],
            "album_name": album["name"],
            "album_type": album["album_type"],
            "total_tracks": album["total_tracks"],
            "release_date_precision": album["release_date_precision"],
            "album_image_url": largest_image_url(album["images"]),
            "album_url": album["external_urls"]["spotify"],
            "album_artists": _credited(album["artists"]),
        }
    ).transform(with_release_date)
