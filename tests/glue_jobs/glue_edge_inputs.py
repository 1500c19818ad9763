"""Raw inputs that Spark 4's ANSI mode (Glue 6.0) turns from a null into a failed run.

Each is a value the job must survive: an odd entry keeps its row with a null column, a body
the declared schema or the envelope rules reject is quarantined, as on Spark 3.5 (Glue 5.1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import glue_raw_builder as rb

from ingest_lambda.envelope import encode_envelope

EDGE_HOUR = dt.datetime(2026, 11, 26, 5)
EDGE_PLAYLIST = "3dgeCasesP1ay1ist00000"
EDGE_ARTIST = rb.artist("3dgeArtist000000000001", "Edge Artist")
# Each overflows an int when multiplied: 50,000 x 50,000 wraps to a negative int.
HUGE_SIDE = 50_000
# A JSON number past the declared type's range (int for position, long for schema_version).
INT_OVERFLOW = 3_000_000_000
LONG_OVERFLOW = 10**30


def song_id(number: int) -> str:
    """The 22-character id of edge song `number`."""
    return f"3dgeSong{number:014d}"


def album_id(number: int) -> str:
    """The 22-character id of edge album `number` (one album per song)."""
    return f"3dgeAlbm{number:014d}"


def _entry(number: int, **kwargs: Any) -> dict[str, Any]:
    return rb.track_entry(song_id(number), album_id(number), [EDGE_ARTIST], **kwargs)


def _album(entry: dict[str, Any]) -> dict[str, Any]:
    album: dict[str, Any] = entry["item"]["album"]
    return album


# Album (song) number -> what is odd about it.
NO_IMAGES, FEB_30, MONTH_13, UNKNOWN_YEAR, HUGE_IMAGE, BAD_ADDED_AT, NO_ARTIST_ID = range(1, 8)
# The song of the snapshot whose captured_at is not a time (its entries are still used).
BAD_CAPTURED_AT_SONG = 8


def edge_entries() -> list[dict[str, Any]]:
    """One entry per odd value; item and track share one dict, so both carry the oddity."""
    no_images = _entry(NO_IMAGES)
    _album(no_images)["images"] = []
    huge = _entry(HUGE_IMAGE)
    _album(huge)["images"] = [
        {"url": "https://i.scdn.co/image/small", "height": 64, "width": 64},
        {"url": "https://i.scdn.co/image/huge", "height": HUGE_SIDE, "width": HUGE_SIDE},
        {"url": "https://i.scdn.co/image/unsized", "height": None, "width": None},
    ]
    bad_added_at = _entry(BAD_ADDED_AT)
    bad_added_at["added_at"] = "yesterday"
    no_artist_id = rb.track_entry(
        song_id(NO_ARTIST_ID), album_id(NO_ARTIST_ID), [{"id": None, "name": "Local Hero"}]
    )
    return [
        no_images,
        _entry(FEB_30, release_date="2021-02-30"),
        _entry(MONTH_13, release_date="2021-13", precision="month"),
        _entry(UNKNOWN_YEAR, release_date="0000", precision="year"),
        huge,
        bad_added_at,
        no_artist_id,
    ]


def playlist_of(kind: str) -> str:
    """The 22-character playlist id of the edge object of `kind` (its raw key names it)."""
    return f"3dge{kind.replace('_', '')[:18]:0>18}"


def _overflowing_position(playlist_id: str) -> dict[str, Any]:
    body = rb.envelope(playlist_id, EDGE_HOUR, [_entry(9)])
    body["entries"][0]["position"] = INT_OVERFLOW
    return body


def _popularity_as_text(playlist_id: str) -> dict[str, Any]:
    body = rb.envelope(playlist_id, EDGE_HOUR, [_entry(10)])
    body["entries"][0]["item"]["popularity"] = "high"
    return body


def _snapshot_ts_not_a_time(playlist_id: str) -> dict[str, Any]:
    return {**rb.envelope(playlist_id, EDGE_HOUR, []), "snapshot_ts": "noon"}


def _schema_version_overflows_long(playlist_id: str) -> dict[str, Any]:
    return {**rb.envelope(playlist_id, EDGE_HOUR, []), "schema_version": LONG_OVERFLOW}


# Bodies the job must quarantine: kind -> (reason, body for the kind's playlist).
EDGE_QUARANTINED: dict[str, tuple[str, Callable[[str], dict[str, Any]]]] = {
    "snapshot_ts_not_a_time": ("missing_envelope_fields", _snapshot_ts_not_a_time),
    "position_overflows_int": ("schema_mismatch", _overflowing_position),
    "popularity_is_text": ("schema_mismatch", _popularity_as_text),
    "schema_version_overflows_long": ("unknown_schema_version", _schema_version_overflows_long),
}
# A key whose hour is no hour: its body says 05:00, the key says 25.
HOUR_25_PLAYLIST = playlist_of("hour_25")


def build_edge_raw(lake: Path) -> None:
    """Write the edge snapshot, the one with a bad captured_at, and every quarantined kind."""
    rb.put_snapshot(lake, rb.envelope(EDGE_PLAYLIST, EDGE_HOUR, edge_entries()))
    late = rb.envelope(playlist_of("captured_at"), EDGE_HOUR, [_entry(BAD_CAPTURED_AT_SONG)])
    rb.put_snapshot(lake, {**late, "captured_at": "not a time"})
    for kind, (_, make_body) in EDGE_QUARANTINED.items():
        playlist_id = playlist_of(kind)
        rb.put(lake, rb.raw_key(playlist_id, EDGE_HOUR), encode_envelope(make_body(playlist_id)))
    hour_25 = rb.raw_key(HOUR_25_PLAYLIST, EDGE_HOUR).replace(
        "snapshot_hour=05", "snapshot_hour=25"
    )
    rb.put(lake, hour_25, encode_envelope(rb.envelope(HOUR_25_PLAYLIST, EDGE_HOUR, [_entry(11)])))
