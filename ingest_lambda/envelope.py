"""The raw snapshot envelope (docs/data-model.md) and its deterministic gzip encoding."""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from ingest_lambda.keys import (
    TOP_TRACKS_KIND,
    format_precise_timestamp,
    format_timestamp,
    top_tracks_chart_id,
    truncate_to_hour,
    validate_playlist_id,
    validate_time_range,
)

# 2 added `chart` (kind, id, name) and top-tracks charts; 1 (playlists only) stays readable.
SCHEMA_VERSION = 2
PLAYLIST_KIND = "playlist"
TIME_RANGE_LABELS = {
    "short_term": "last 4 weeks",
    "medium_term": "last 6 months",
    "long_term": "last year",
}
SOURCE_SPOTIFY = "spotify-web-api"
SOURCE_FAKE = "fake-spotify"
API_PROFILES = ("extended", "dev-2026")
# Fixed gzip header time: equal content gives equal bytes, so a rerun is a no-op in effect.
GZIP_MTIME = 0
GZIP_LEVEL = 9


def entry_content(entry: Mapping[str, Any]) -> Any:
    """The track or episode of an entry: the 2026 key `item` first, then the deprecated `track`."""
    if entry.get("item") is not None:
        return entry["item"]
    return entry.get("track")


def playlist_summary(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """The playlist fields the envelope keeps: id, name, snapshot_id, owner, followers if sent."""
    owner = metadata.get("owner") or {}
    summary: dict[str, Any] = {
        "id": metadata.get("id"),
        "name": metadata.get("name"),
        "snapshot_id": metadata.get("snapshot_id"),
        "owner": {"id": owner.get("id"), "display_name": owner.get("display_name")},
    }
    followers = metadata.get("followers")
    if isinstance(followers, Mapping) and "total" in followers:
        summary["followers"] = {"total": followers["total"]}
    return summary


def with_positions(entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Entries unchanged, in playlist order, each with its 1-based `position` added."""
    positioned = []
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            raise TypeError(f"playlist entry {position} is {type(entry).__name__}, not an object")
        positioned.append({**entry, "position": position})
    return positioned


def build_envelope(
    *,
    playlist_id: str,
    metadata: Mapping[str, Any],
    entries: Sequence[Mapping[str, Any]],
    snapshot_ts: datetime,
    captured_at: datetime,
    market: str | None,
    source: str,
    api_profile: str | None,
) -> dict[str, Any]:
    """Build the envelope of one playlist snapshot (docs/data-model.md).

    Args:
        playlist_id: the playlist id (checked: 22 base62 characters).
        metadata: the Get Playlist answer (only the documented fields are kept).
        entries: every entry object, in playlist order, as the API sent it.
        snapshot_ts: the scheduled time; truncated to its UTC hour.
        captured_at: when the last page arrived.
        market: the `market` query parameter used, or None.
        source: `spotify-web-api` or `fake-spotify`.
        api_profile: `extended`, `dev-2026` or None when unknown.
    """
    summary = playlist_summary(metadata)
    return {
        "schema_version": SCHEMA_VERSION,
        "source": source,
        "api_profile": api_profile,
        "chart": {
            "kind": PLAYLIST_KIND,
            "id": validate_playlist_id(playlist_id),
            "name": summary["name"],
        },
        "playlist_id": playlist_id,
        "playlist": summary,
        "snapshot_ts": format_timestamp(truncate_to_hour(snapshot_ts)),
        "captured_at": format_precise_timestamp(captured_at),
        "market": market,
        "entries": with_positions(entries),
    }


def top_tracks_chart_name(display_name: str | None, user_id: str, time_range: str) -> str:
    """`Top tracks of <user> (last 4 weeks)`: the chart's name, as `playlist.name` is one."""
    return f"Top tracks of {display_name or user_id} ({TIME_RANGE_LABELS[time_range]})"


def build_top_tracks_envelope(
    *,
    user: Mapping[str, Any],
    time_range: str,
    tracks: Sequence[Mapping[str, Any]],
    total: int,
    snapshot_ts: datetime,
    captured_at: datetime,
    source: str,
    api_profile: str | None,
) -> dict[str, Any]:
    """Build the envelope of one user's top tracks for one time range (docs/data-model.md).

    Args:
        user: the Get Current User answer (`id` and `display_name` are kept).
        time_range: `short_term`, `medium_term` or `long_term`.
        tracks: the track objects in rank order, as the API sent them; each becomes an entry
            `{"item": <track>, "position": <rank>}`, the shape of a playlist entry.
        total: the API's `total` (it may exceed the entries: only the first 100 are served).
        snapshot_ts, captured_at, source, api_profile: as for `build_envelope`.
    """
    user_id = str(user["id"])
    checked_range = validate_time_range(time_range)
    display_name = user.get("display_name")
    return {
        "schema_version": SCHEMA_VERSION,
        "source": source,
        "api_profile": api_profile,
        "chart": {
            "kind": TOP_TRACKS_KIND,
            "id": top_tracks_chart_id(user_id, checked_range),
            "name": top_tracks_chart_name(display_name, user_id, checked_range),
            "time_range": checked_range,
            "user": {"id": user_id, "display_name": display_name},
            "total": total,
        },
        "snapshot_ts": format_timestamp(truncate_to_hour(snapshot_ts)),
        "captured_at": format_precise_timestamp(captured_at),
        # GET /me/top/tracks takes no market: Spotify relinks to the user's own country.
        "market": None,
        "entries": with_positions([{"item": track} for track in tracks]),
    }


def encode_envelope(envelope: Mapping[str, Any]) -> bytes:
    """Compact single-line UTF-8 JSON, gzip with header mtime 0: same envelope, same bytes."""
    text = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return gzip.compress(text.encode("utf-8"), compresslevel=GZIP_LEVEL, mtime=GZIP_MTIME)


def decode_envelope(body: bytes) -> dict[str, Any]:
    """Read back an encoded snapshot (for tests and local tools)."""
    decoded: dict[str, Any] = json.loads(gzip.decompress(body).decode("utf-8"))
    return decoded
