"""Playlist entries in the 2026 API shape, built from the recorded fixture (fallback content)."""

from __future__ import annotations

import copy
import json
import random
import string
from functools import lru_cache
from pathlib import Path
from typing import Any

FIXTURE = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "spotify-web-api"
    / "fixtures"
    / "playlist_items_page_2026.json"
)
BASE62 = string.digits + string.ascii_letters
ID_LENGTH = 22
POOL_SIZE = 400
NEW_TRACKS_PER_DAY = 3
ENTRIES = 100
HOURS_PER_DAY = 24


def _spotify_id(rng: random.Random) -> str:
    return "".join(rng.choice(BASE62) for _ in range(ID_LENGTH))


def _with_ids(template: dict[str, Any], rng: random.Random, index: int) -> dict[str, Any]:
    track = copy.deepcopy(template)
    track_id, album_id = _spotify_id(rng), _spotify_id(rng)
    artist_ids = [_spotify_id(rng) for _ in track["artists"]]
    track.update(
        id=track_id,
        name=f"Song {index}",
        uri=f"spotify:track:{track_id}",
        href=f"https://api.spotify.com/v1/tracks/{track_id}",
        external_urls={"spotify": f"https://open.spotify.com/track/{track_id}"},
        external_ids={"isrc": f"GBBEN{index:07d}"},
    )
    track["album"].update(id=album_id, name=f"Album {index}", uri=f"spotify:album:{album_id}")
    for artist, artist_id in zip(track["artists"], artist_ids, strict=True):
        artist.update(id=artist_id, uri=f"spotify:artist:{artist_id}")
    track["album"]["artists"] = copy.deepcopy(track["artists"])
    return track


@lru_cache(maxsize=1)
def track_pool(seed: int) -> tuple[dict[str, Any], ...]:
    """A fixed pool of distinct tracks shaped exactly like the recorded 2026 entry."""
    template_entry = json.loads(FIXTURE.read_text(encoding="utf-8"))["items"][0]
    rng = random.Random(seed)
    return tuple(_with_ids(template_entry["track"], rng, index) for index in range(POOL_SIZE))


def playlist_entries(hour_index: int, seed: int) -> list[dict[str, Any]]:
    """The playlist's entries at one hour: a slowly moving chart over the track pool."""
    pool = track_pool(seed)
    day, hour = divmod(hour_index, HOURS_PER_DAY)
    first = day * NEW_TRACKS_PER_DAY
    ranked = [pool[(first + rank) % POOL_SIZE] for rank in range(ENTRIES)]
    # A few neighbours swap places every hour, as real charts shuffle within a day.
    for rank in range(hour % 2, ENTRIES - 1, 7):
        ranked[rank], ranked[rank + 1] = ranked[rank + 1], ranked[rank]
    return [
        {
            "added_at": "1970-01-01T00:00:00Z",
            "added_by": {"id": "", "type": "user"},
            "is_local": False,
            "primary_color": None,
            "item": track,
            "track": track,
            "video_thumbnail": {"url": None},
        }
        for track in ranked
    ]
