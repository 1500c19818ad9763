"""An entry's song and album columns, one line each, from its `item` (before the cache).

Spark 4 (Glue 6.0) runs with ANSI mode on: an out-of-range index, an impossible date or an
overflow raises instead of giving null. Every expression here gives the same value with ANSI
on and off (docs/glue-versions.md).
"""

from __future__ import annotations

from pyspark.sql import Column
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


def song_columns(item: Column) -> list[Column]:
    """The entry's song columns; `artists` holds (id, name, url) in credited order."""
    return [
        item["id"].alias("song_id"),
        item["name"].alias("song_name"),
        item["duration_ms"].alias("duration_ms"),
        item["explicit"].alias("explicit"),
        item["disc_number"].alias("disc_number"),
        item["track_number"].alias("track_number"),
        item["external_ids"]["isrc"].alias("isrc"),
        item["popularity"].alias("popularity"),
        item["external_urls"]["spotify"].alias("song_url"),
        _credited(item["artists"]).alias("artists"),
    ]


def _release_part(album: Column, group: int) -> Column:
    text = F.regexp_extract(album["release_date"], RELEASE_DATE_PATTERN, group)
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


def release_year(album: Column) -> Column:
    """The album's release year; null for Spotify's unknown year "0000" or an unreadable date."""
    year = _release_part(album, 1)
    return F.when(year > 0, year)


def release_date(album: Column) -> Column:
    """The album's release date; the first day of the period for month or year precision."""
    return valid_date(
        release_year(album),
        F.coalesce(_release_part(album, 2), F.lit(FIRST_DAY)),
        F.coalesce(_release_part(album, 3), F.lit(FIRST_DAY)),
    )


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


def album_columns(album: Column) -> list[Column]:
    """The entry's album columns, from its item's `album`."""
    return [
        album["id"].alias("album_id"),
        album["name"].alias("album_name"),
        album["album_type"].alias("album_type"),
        album["total_tracks"].alias("total_tracks"),
        release_date(album).alias("release_date"),
        album["release_date_precision"].alias("release_date_precision"),
        release_year(album).alias("release_year"),
        largest_image_url(album["images"]).alias("album_image_url"),
        album["external_urls"]["spotify"].alias("album_url"),
        _credited(album["artists"]).alias("album_artists"),
    ]
