"""The edge-case user playlist: local file, removed track, episode, duplicate, several artists."""

from __future__ import annotations

from typing import Any

from spotify_etl.fake_spotify.catalog import Album, Artist, Song, artist, various_artists
from spotify_etl.fake_spotify.ids import hex_key, spotify_id
from spotify_etl.fake_spotify.objects import (
    MARKETS,
    OPEN_ROOT,
    images,
    links,
    local_track_object,
    track_object,
)

Json = dict[str, Any]
EPISODE_DURATION_MS = 2_712_000
SHOW_PUBLISHER = "Fake Audio Network"
EDGE_POPULARITY = 41


def _edge_song(seed: int, n: int, name: str, artists: tuple[Artist, ...], album: Album) -> Song:
    return Song(
        index=-n,
        id=spotify_id(seed, "edge-track", n),
        name=name,
        artists=artists,
        album=album,
        track_number=n,
        duration_ms=180_000 + 7_919 * n,
        explicit=False,
        isrc=f"GBFAK{album.release_date[2:4]}0000{n}",
        restricted=False,
    )


def edge_songs(seed: int) -> dict[str, Song]:
    """The catalogue songs of the edge-case playlist, by role."""
    trio = (artist(seed, 7), artist(seed, 19), artist(seed, 33))
    single = Album(
        spotify_id(seed, "edge-album", 1),
        "Three Voices",
        "single",
        1,
        "2025-08-01",
        "day",
        trio,
        hex_key(seed, "edge-img", 1),
        "Fake Records",
    )
    classic = Album(
        spotify_id(seed, "edge-album", 2),
        "Golden Oldies",
        "compilation",
        24,
        "1983",
        "year",
        (various_artists(seed),),
        hex_key(seed, "edge-img", 2),
        "Fake Records",
    )
    vintage = Album(
        spotify_id(seed, "edge-album", 3),
        "Night Tapes",
        "album",
        11,
        "1997-11",
        "month",
        (artist(seed, 52),),
        hex_key(seed, "edge-img", 3),
        "Fake Records",
    )
    return {
        "multi_artist": _edge_song(
            seed, 1, f"Three Voices (feat. {trio[1].name} & {trio[2].name})", trio, single
        ),
        "year_precision": _edge_song(seed, 2, "Paper Sky", (artist(seed, 88),), classic),
        "month_precision": _edge_song(seed, 3, "Silver Roads", (artist(seed, 52),), vintage),
    }


def show_object(seed: int) -> Json:
    """A simplified show (the podcast the edge-case episode belongs to)."""
    show_id = spotify_id(seed, "show", 1)
    return {
        "available_markets": list(MARKETS),
        "copyrights": [],
        "description": "A synthetic podcast about data pipelines.",
        "html_description": "<p>A synthetic podcast about data pipelines.</p>",
        "explicit": False,
        **links("show", show_id),
        "id": show_id,
        "images": images(hex_key(seed, "show-img", 1)),
        "is_externally_hosted": False,
        "languages": ["en"],
        "media_type": "audio",
        "name": "Lake Talk",
        "publisher": SHOW_PUBLISHER,
        "total_episodes": 42,
        "type": "show",
    }


def episode_object(seed: int) -> Json:
    """A full episode object (answered when `additional_types` includes `episode`)."""
    episode_id = spotify_id(seed, "episode", 1)
    return {
        "audio_preview_url": None,
        "description": "Why hourly snapshots beat daily ones.",
        "html_description": "<p>Why hourly snapshots beat daily ones.</p>",
        "duration_ms": EPISODE_DURATION_MS,
        "explicit": False,
        **links("episode", episode_id),
        "id": episode_id,
        "images": images(hex_key(seed, "episode-img", 1)),
        "is_externally_hosted": False,
        "is_playable": True,
        "language": "en",
        "languages": ["en"],
        "name": "Episode 42: Snapshots",
        "release_date": "2025-10-02",
        "release_date_precision": "day",
        "type": "episode",
        "show": show_object(seed),
    }


def legacy_episode_object(seed: int) -> Json:
    """An episode in the track-like form sent when `additional_types` lacks `episode`.

    The flags (`episode: false`, `track: true`), `external_ids.spotify`, zero disc/track numbers
    and `popularity: 0` follow a recorded body (github.com/spotify/web-api/issues/1528); the
    album and artist stand-ins are built from the show.
    """
    episode, show = episode_object(seed), show_object(seed)
    show_as_artist = {k: show[k] for k in ("external_urls", "href", "id", "name", "uri")}
    return {
        "album": {
            "album_type": "show",
            "artists": [],
            "available_markets": show["available_markets"],
            "external_urls": show["external_urls"],
            "href": show["href"],
            "id": show["id"],
            "images": show["images"],
            "name": show["name"],
            "release_date": episode["release_date"],
            "release_date_precision": "day",
            "type": "show",
            "uri": show["uri"],
        },
        "artists": [show_as_artist | {"type": "show"}],
        "available_markets": show["available_markets"],
        "disc_number": 0,
        "duration_ms": episode["duration_ms"],
        "episode": False,
        "explicit": False,
        "external_ids": {"spotify": f"{OPEN_ROOT}/episode/{episode['id']}"},
        "external_urls": episode["external_urls"],
        "href": episode["href"],
        "id": episode["id"],
        "is_local": False,
        "name": episode["name"],
        "popularity": 0,
        "preview_url": None,
        "track": True,
        "track_number": 0,
        "type": "episode",
        "uri": episode["uri"],
    }


def edge_items(seed: int, include_episodes: bool) -> list[tuple[str, Json | None, bool]]:
    """The playlist's items in order: (added_at, item or None when removed, added by nobody)."""
    songs = edge_songs(seed)
    multi = track_object(songs["multi_artist"], EDGE_POPULARITY)
    episode = episode_object(seed) if include_episodes else legacy_episode_object(seed)
    return [
        ("2025-08-02T10:15:00Z", multi, False),
        (
            "2025-08-03T21:40:12Z",
            local_track_object("The Waymores", "Heart of Stone", "Heart of Stone", 128),
            False,
        ),
        ("2020-11-08T22:12:50Z", None, True),
        ("2025-10-03T07:05:33Z", episode, False),
        ("2025-11-20T18:00:00Z", multi, False),
        ("2025-12-01T12:00:00Z", track_object(songs["year_precision"], 12), False),
        ("2026-01-15T08:30:00Z", track_object(songs["month_precision"], 27), False),
    ]
