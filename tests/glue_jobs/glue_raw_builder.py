"""Build raw snapshot objects for tests with the Lambda's own key, envelope and encoding."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from glue_jobs.charts.schemas import LEGACY_RAW_SCHEMA_VERSION
from ingest_lambda.envelope import SOURCE_SPOTIFY, build_envelope, encode_envelope
from ingest_lambda.keys import parse_timestamp, snapshot_key

PLAYLIST_A = "37i9dQZEVXbMDoHDwVN2tF"
PLAYLIST_B = "1Cp6VQCKf2VL4sP09jN9oX"
CAPTURE_DELAY = dt.timedelta(seconds=7, microseconds=123456)


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def raw_key(playlist_id: str, snapshot_ts: dt.datetime) -> str:
    """The raw key the Lambda writes for one playlist and scheduled hour (naive means UTC)."""
    return snapshot_key(playlist_id, _utc(snapshot_ts))


def envelope(
    playlist_id: str,
    snapshot_ts: dt.datetime,
    entries: list[dict[str, Any]],
    name: str = "Top 50",
) -> dict[str, Any]:
    """The Lambda's envelope of one playlist snapshot (version 2), captured 7.123456 s into
    the hour; entries get their 1-based `position` as the Lambda adds it."""
    hour = _utc(snapshot_ts)
    return build_envelope(
        playlist_id=playlist_id,
        metadata={"id": playlist_id, "name": name, "snapshot_id": "snap"},
        entries=entries,
        snapshot_ts=hour,
        captured_at=hour + CAPTURE_DELAY,
        market="US",
        source=SOURCE_SPOTIFY,
        api_profile="extended",
    )


def legacy_envelope(
    playlist_id: str, snapshot_ts: dt.datetime, entries: list[dict[str, Any]], name: str = "Top 50"
) -> dict[str, Any]:
    """The same snapshot as a version-1 Lambda wrote it: no `chart`, a playlist only."""
    body = envelope(playlist_id, snapshot_ts, entries, name)
    del body["chart"]
    return {**body, "schema_version": LEGACY_RAW_SCHEMA_VERSION}


def put(lake: Path, key: str, data: bytes) -> str:
    """Write bytes under the lake root and return the key."""
    path = lake / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return key


def put_snapshot(lake: Path, body: dict[str, Any]) -> str:
    """Write a playlist snapshot body at its key, encoded as the Lambda encodes it; return the
    key."""
    chart_id, hour = body["playlist_id"], parse_timestamp(body["snapshot_ts"])
    return put(lake, raw_key(chart_id, hour), encode_envelope(body))


def artist(artist_id: str, name: str) -> dict[str, Any]:
    """A simplified artist object."""
    return {
        "id": artist_id,
        "name": name,
        "type": "artist",
        "uri": f"spotify:artist:{artist_id}",
        "external_urls": {"spotify": f"https://open.spotify.com/artist/{artist_id}"},
    }


def track_entry(
    song_id: str,
    album_id: str,
    artists: list[dict[str, Any]],
    album_artists: list[dict[str, Any]] | None = None,
    name: str | None = None,
    release_date: str = "2025-01-13",
    precision: str = "day",
    popularity: int | None = None,
    both_keys: bool = True,
) -> dict[str, Any]:
    """A playlist entry with a track under `item` (and `track`, as the 2026 API sends both)."""
    track = {
        "id": song_id,
        "type": "track",
        "name": name or f"Song {song_id}",
        "is_local": False,
        "duration_ms": 200000,
        "explicit": False,
        "disc_number": 1,
        "track_number": 3,
        "external_ids": {"isrc": f"ISRC{song_id[:8]}"},
        "external_urls": {"spotify": f"https://open.spotify.com/track/{song_id}"},
        "album": {
            "id": album_id,
            "name": f"Album {album_id}",
            "album_type": "album",
            "total_tracks": 10,
            "release_date": release_date,
            "release_date_precision": precision,
            "images": [
                {"url": f"https://i.scdn.co/image/{album_id}-64", "height": 64, "width": 64},
                {"url": f"https://i.scdn.co/image/{album_id}-640", "height": 640, "width": 640},
            ],
            "artists": album_artists if album_artists is not None else artists[:1],
            "external_urls": {"spotify": f"https://open.spotify.com/album/{album_id}"},
        },
        "artists": artists,
    }
    if popularity is not None:
        track["popularity"] = popularity
    entry: dict[str, Any] = {
        "added_at": "2026-11-20T10:00:00Z",
        "is_local": False,
        "item": track,
    }
    if both_keys:
        entry["track"] = track
    return entry
