"""Playlist bodies without HTTP: Get Playlist metadata and entry lists for any hour and profile."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from spotify_etl.fake_spotify.catalog import song
from spotify_etl.fake_spotify.chart import chart_at, chart_life, hour_index, hour_start
from spotify_etl.fake_spotify.edge_cases import edge_items
from spotify_etl.fake_spotify.ids import (
    CHART_PLAYLIST_ID,
    DEFAULT_SEED,
    EDGE_CASE_PLAYLIST_ID,
    FAKE_USER_ID,
    FAKE_USER_NAME,
    SPOTIFY_USER_ID,
    USER_CHART_PLAYLIST_ID,
)
from spotify_etl.fake_spotify.objects import (
    DEV_2026,
    PROFILES,
    apply_market,
    apply_profile,
    links,
    track_object,
    user_object,
)

Json = dict[str, Any]
# Chart playlists are rebuilt wholesale, so Spotify stamps every entry with the epoch.
CHART_ADDED_AT = "1970-01-01T00:00:00Z"
ANONYMOUS_ADDER = ""  # real bodies carry `added_by.id: ""` when nobody is named
CHART_FOLLOWERS = 21_000_000
FOLLOWER_GROWTH_PER_HOUR = 7
FOLLOWER_CYCLE_HOURS = 100_000
DEFAULT_ADDITIONAL_TYPES = ("track", "episode")  # what spotipy 2.26 `playlist_items` sends


class UnknownPlaylistError(LookupError):
    """The fake has no playlist with this id (the API answers 404)."""


class UnknownProfileError(ValueError):
    """The profile is not one of `PROFILES`."""


@dataclass(frozen=True)
class PlaylistInfo:
    """What the fake knows about one of its playlists."""

    id: str
    name: str
    description: str
    owner_id: str
    owner_name: str
    is_chart: bool
    image_url: str

    @property
    def spotify_owned(self) -> bool:
        """Editorial and chart playlists: 404 for development-mode apps since 2024-11-27."""
        return self.owner_id == SPOTIFY_USER_ID


PLAYLISTS = {
    info.id: info
    for info in (
        PlaylistInfo(
            CHART_PLAYLIST_ID,
            "Top 100: Fake Global",
            "Your hourly update of the most played tracks right now (synthetic).",
            SPOTIFY_USER_ID,
            "Spotify",
            True,
            "https://charts-images.scdn.co/assets/locale_en/regional/daily/global.jpg",
        ),
        PlaylistInfo(
            USER_CHART_PLAYLIST_ID,
            "Top 100 (my hourly copy)",
            "A user-maintained copy of the fake Top 100, readable by a development app.",
            FAKE_USER_ID,
            FAKE_USER_NAME,
            True,
            "https://mosaic.scdn.co/640/ab67616d0000b273fake0user0chart0copy00",
        ),
        PlaylistInfo(
            EDGE_CASE_PLAYLIST_ID,
            "Edge cases",
            "Local file, removed track, podcast episode, duplicate, several artists.",
            FAKE_USER_ID,
            FAKE_USER_NAME,
            False,
            "https://mosaic.scdn.co/640/ab67616d0000b273fake0edge0cases0playlist0",
        ),
    )
}


def playlist_info(playlist_id: str) -> PlaylistInfo:
    """The fake's playlist `playlist_id`, or `UnknownPlaylistError`."""
    try:
        return PLAYLISTS[playlist_id]
    except KeyError:
        raise UnknownPlaylistError(f"no playlist {playlist_id!r} in the fake") from None


def _check_profile(profile: str) -> None:
    if profile not in PROFILES:
        raise UnknownProfileError(f"profile must be one of {PROFILES}, got {profile!r}")


def _popularity(score: float) -> int:
    return max(0, min(100, round(25 + 75 * score)))


def _raw_items(
    info: PlaylistInfo, hour: int, seed: int, include_episodes: bool
) -> list[tuple[str, Json | None, str]]:
    """(added_at, full item or None, added_by id) per entry, in playlist order."""
    if not info.is_chart:
        return [
            (added_at, item, ANONYMOUS_ADDER if anonymous else info.owner_id)
            for added_at, item, anonymous in edge_items(seed, include_episodes)
        ]
    rows: list[tuple[str, Json | None, str]] = []
    for place in chart_at(seed, hour):
        track = song(seed, place.song_index)
        if info.spotify_owned:
            added_at, adder = CHART_ADDED_AT, ANONYMOUS_ADDER
        else:  # the copy adds a song when it becomes a chart candidate
            entered = chart_life(seed, place.song_index).entry_hour
            added_at = hour_start(entered).strftime("%Y-%m-%dT%H:%M:%SZ")
            adder = info.owner_id
        rows.append((added_at, track_object(track, _popularity(place.score)), adder))
    return rows


def _entry(added_at: str, item: Json | None, adder: str, profile: str, market: str | None) -> Json:
    shaped = apply_profile(apply_market(item, market), profile)
    entry: Json = {
        "added_at": added_at,
        "added_by": user_object(adder),
        "is_local": bool(shaped and shaped.get("is_local")),
        "primary_color": None,
        "track": shaped,
    }
    if profile == DEV_2026:  # 2026: `item` is the new name, `track` still sent alongside
        entry["item"] = shaped
    entry["video_thumbnail"] = {"url": None}
    return entry


def playlist_entries(
    playlist_id: str,
    hour: datetime,
    profile: str,
    seed: int = DEFAULT_SEED,
    market: str | None = None,
    *,
    additional_types: Iterable[str] = DEFAULT_ADDITIONAL_TYPES,
) -> list[Json]:
    """All entry objects of the playlist at `hour`, in order, as the profile's API sends them.

    Args:
        playlist_id: one of the fake's playlist ids.
        hour: any moment in the wanted hour (naive means UTC).
        profile: "extended" (pre-2026 shapes) or "dev-2026".
        seed: content seed; the same seed and hour always give the same entries.
        market: ISO country code: adds `is_playable` and drops `available_markets`.
        additional_types: without "episode", episodes come in their legacy track-like form.
    """
    _check_profile(profile)
    info = playlist_info(playlist_id)
    rows = _raw_items(info, hour_index(hour), seed, "episode" in set(additional_types))
    return [_entry(added_at, item, adder, profile, market) for added_at, item, adder in rows]


def snapshot_id(playlist_id: str, hour: datetime, seed: int = DEFAULT_SEED) -> str:
    """A 32-character snapshot id that changes exactly when the playlist's contents change."""
    info = playlist_info(playlist_id)
    rows = _raw_items(info, hour_index(hour), seed, include_episodes=True)
    ids = ",".join(str(item and item.get("id")) for _, item, _ in rows)
    digest = hashlib.blake2b(f"{seed}:{playlist_id}:{ids}".encode(), digest_size=21).digest()
    return "AAAA" + base64.b64encode(digest).decode()[:28]


def playlist_object(
    playlist_id: str, hour: datetime, profile: str, seed: int = DEFAULT_SEED
) -> Json:
    """The Get Playlist body at `hour` without its embedded page of entries."""
    _check_profile(profile)
    info = playlist_info(playlist_id)
    link = links("playlist", playlist_id)
    followers = 0
    if info.spotify_owned:
        growth = hour_index(hour) % FOLLOWER_CYCLE_HOURS * FOLLOWER_GROWTH_PER_HOUR
        followers = CHART_FOLLOWERS + growth
    return {
        "collaborative": False,
        "description": info.description,
        "external_urls": link["external_urls"],
        "followers": {"href": None, "total": followers},
        "href": link["href"],
        "id": playlist_id,
        "images": [{"height": None, "url": info.image_url, "width": None}],
        "name": info.name,
        "owner": user_object(info.owner_id, info.owner_name),
        "primary_color": None,
        "public": True,
        "snapshot_id": snapshot_id(playlist_id, hour, seed),
        "type": "playlist",
        "uri": link["uri"],
    }
