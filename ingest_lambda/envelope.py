"""The raw snapshot envelope (docs/data-model.md) and its deterministic gzip encoding."""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from ingest_lambda.keys import (
    format_precise_timestamp,
    format_timestamp,
    truncate_to_hour,
    validate_playlist_id,
)

SCHEMA_VERSION = 1
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
    """Build the schema-version-1 envelope of one playlist snapshot.

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
    return {
        "schema_version": SCHEMA_VERSION,
        "source": source,
        "api_profile": api_profile,
        "playlist_id": validate_playlist_id(playlist_id),
        "playlist": playlist_summary(metadata),
        "snapshot_ts": format_timestamp(truncate_to_hour(snapshot_ts)),
        "captured_at": format_precise_timestamp(captured_at),
        "market": market,
        "entries": with_positions(entries),
    }


def encode_envelope(envelope: Mapping[str, Any]) -> bytes:
    """Compact single-line UTF-8 JSON, gzip with header mtime 0: same envelope, same bytes."""
    text = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return gzip.compress(text.encode("utf-8"), compresslevel=GZIP_LEVEL, mtime=GZIP_MTIME)


def decode_envelope(body: bytes) -> dict[str, Any]:
    """Read back an encoded snapshot (for tests and local tools)."""
    decoded: dict[str, Any] = json.loads(gzip.decompress(body).decode("utf-8"))
    return decoded
