"""Build raw snapshot objects for tests: the envelope of docs/data-model.md, gzip JSON."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

PLAYLIST_A = "37i9dQZEVXbMDoHDwVN2tF"
PLAYLIST_B = "1Cp6VQCKf2VL4sP09jN9oX"


def raw_key(playlist_id: str, snapshot_ts: dt.datetime) -> str:
    """The raw key the Lambda writes for one playlist and scheduled hour."""
    return (
        f"raw/playlist_snapshots/snapshot_date={snapshot_ts:%Y-%m-%d}/"
        f"snapshot_hour={snapshot_ts:%H}/playlist_id={playlist_id}.json.gz"
    )


def envelope(
    playlist_id: str,
    snapshot_ts: dt.datetime,
    entries: list[dict[str, Any]],
    name: str = "Top 50",
    schema_version: int = 1,
) -> dict[str, Any]:
    """A raw snapshot body; entries get their 1-based `position` as the Lambda adds it."""
    return {
        "schema_version": schema_version,
        "source": "spotify-web-api",
        "api_profile": "extended",
        "playlist_id": playlist_id,
        "playlist": {"id": playlist_id, "name": name, "snapshot_id": "snap"},
        "snapshot_ts": f"{snapshot_ts:%Y-%m-%dT%H:00:00Z}",
        "captured_at": f"{snapshot_ts:%Y-%m-%dT%H:00:07.123456Z}",
        "market": "US",
        "entries": [{**entry, "position": index} for index, entry in enumerate(entries, 1)],
    }


def gzip_json(document: Any) -> bytes:
    """Gzip a JSON document the way the Lambda does (single line, mtime 0)."""
    return gzip.compress(json.dumps(document, separators=(",", ":")).encode(), mtime=0)


def put(lake: Path, key: str, data: bytes) -> str:
    """Write bytes under the lake root and return the key."""
    path = lake / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return key


def put_snapshot(lake: Path, body: dict[str, Any]) -> str:
    """Write a snapshot body at its key; return the key."""
    snapshot_ts = dt.datetime.strptime(body["snapshot_ts"], "%Y-%m-%dT%H:%M:%SZ")
    return put(lake, raw_key(body["playlist_id"], snapshot_ts), gzip_json(body))


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
