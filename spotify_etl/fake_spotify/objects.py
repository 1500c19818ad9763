"""Spotify Web API object builders (track, album, artist, episode, local file) for both profiles."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from spotify_etl.fake_spotify.catalog import Album, Artist, Song

API_ROOT = "https://api.spotify.com/v1"
OPEN_ROOT = "https://open.spotify.com"
IMAGE_ROOT = "https://i.scdn.co/image/"
# Spotify's cover-art URL prefixes for the three sizes it serves (640, 300 and 64 pixels).
IMAGE_SIZES = (("ab67616d0000b273", 640), ("ab67616d00001e02", 300), ("ab67616d00004851", 64))
EXTENDED = "extended"
DEV_2026 = "dev-2026"
PROFILES = (EXTENDED, DEV_2026)
MARKETS = (
    "AD",
    "AE",
    "AR",
    "AT",
    "AU",
    "BE",
    "BG",
    "BO",
    "BR",
    "CA",
    "CH",
    "CL",
    "CO",
    "CR",
    "CY",
    "CZ",
    "DE",
    "DK",
    "DO",
    "EC",
    "EE",
    "EG",
    "ES",
    "FI",
    "FR",
    "GB",
    "GR",
    "GT",
    "HK",
    "HN",
    "HU",
    "ID",
    "IE",
    "IL",
    "IN",
    "IS",
    "IT",
    "JP",
    "KR",
    "LT",
    "LU",
    "LV",
    "MA",
    "MX",
    "MY",
    "NG",
    "NL",
    "NO",
    "NZ",
    "PA",
    "PE",
    "PH",
    "PL",
    "PT",
    "PY",
    "RO",
    "SA",
    "SE",
    "SG",
    "SK",
    "SV",
    "TH",
    "TR",
    "TW",
    "UA",
    "US",
    "UY",
    "VN",
    "ZA",
)
# Markets where "restricted" songs are not licensed: makes `is_playable: false` observable.
RESTRICTED_MARKETS = frozenset({"JP", "KR", "IN"})
# Fields the February 2026 changes removed from development-mode answers (API.md section 1).
REMOVED_TRACK_FIELDS = ("popularity", "available_markets", "linked_from")
REMOVED_ALBUM_FIELDS = ("popularity", "label", "available_markets", "album_group")

Json = dict[str, Any]


def links(kind: str, object_id: str) -> Json:
    """The `external_urls`, `href` and `uri` trio every Spotify object carries."""
    return {
        "external_urls": {"spotify": f"{OPEN_ROOT}/{kind}/{object_id}"},
        "href": f"{API_ROOT}/{kind}s/{object_id}",
        "uri": f"spotify:{kind}:{object_id}",
    }


def user_object(user_id: str, display_name: str | None = None) -> Json:
    """A playlist user (`added_by`) or, with a display name, a playlist owner."""
    user: Json = {}
    if display_name is not None:
        user["display_name"] = display_name
    user |= {
        "external_urls": {"spotify": f"{OPEN_ROOT}/user/{user_id}"},
        "href": f"{API_ROOT}/users/{user_id}",
        "id": user_id,
        "type": "user",
        "uri": f"spotify:user:{user_id}",
    }
    return user


def images(image_key: str) -> list[Json]:
    """The three cover sizes, widest first."""
    return [
        {"url": f"{IMAGE_ROOT}{prefix}{image_key}", "width": size, "height": size}
        for prefix, size in IMAGE_SIZES
    ]


def artist_object(artist: Artist) -> Json:
    """A simplified artist."""
    link = links("artist", artist.id)
    return {
        "external_urls": link["external_urls"],
        "href": link["href"],
        "id": artist.id,
        "name": artist.name,
        "type": "artist",
        "uri": link["uri"],
    }


def album_object(album: Album, markets: list[str]) -> Json:
    """A simplified album, as embedded in a track (extended fields; the profile trims them)."""
    link = links("album", album.id)
    return {
        "available_markets": markets,
        "type": "album",
        "album_type": album.album_type,
        "href": link["href"],
        "id": album.id,
        "images": images(album.image_key),
        "name": album.name,
        "release_date": album.release_date,
        "release_date_precision": album.release_date_precision,
        "uri": link["uri"],
        "artists": [artist_object(a) for a in album.artists],
        "external_urls": link["external_urls"],
        "total_tracks": album.total_tracks,
    }


def song_markets(song: Song) -> list[str]:
    """The markets a song (and its album) is available in."""
    if not song.restricted:
        return list(MARKETS)
    return [m for m in MARKETS if m not in RESTRICTED_MARKETS]


def track_object(song: Song, popularity: int) -> Json:
    """A full track object with every pre-2026 field (see `apply_profile` and `apply_market`)."""
    link = links("track", song.id)
    markets = song_markets(song)
    return {
        "preview_url": None,
        "available_markets": markets,
        "explicit": song.explicit,
        "type": "track",
        # Undocumented flags the playlist endpoints send on every track (see the fixtures).
        "episode": False,
        "track": True,
        "album": album_object(song.album, markets),
        "artists": [artist_object(a) for a in song.artists],
        "disc_number": 1,
        "track_number": song.track_number,
        "duration_ms": song.duration_ms,
        "external_ids": {"isrc": song.isrc},
        "external_urls": link["external_urls"],
        "href": link["href"],
        "id": song.id,
        "name": song.name,
        "popularity": popularity,
        "uri": link["uri"],
        "is_local": False,
    }


def local_track_object(artist: str, album: str, title: str, duration_s: int) -> Json:
    """A local file: no ids, empty link objects, zero disc/track numbers (like the fixture)."""
    uri_parts = ":".join(quote_plus(part) for part in (artist, album, title))
    return {
        "album": {
            "album_type": None,
            "artists": [],
            "available_markets": [],
            "external_urls": {},
            "href": None,
            "id": None,
            "images": [],
            "name": album,
            "release_date": None,
            "release_date_precision": None,
            "type": "album",
            "uri": None,
        },
        "artists": [
            {
                "external_urls": {},
                "href": None,
                "id": None,
                "name": artist,
                "type": "artist",
                "uri": None,
            }
        ],
        "available_markets": [],
        "disc_number": 0,
        "duration_ms": duration_s * 1000,
        "explicit": False,
        "external_ids": {},
        "external_urls": {},
        "href": None,
        "id": None,
        "is_local": True,
        "name": title,
        "popularity": 0,
        "preview_url": None,
        "track_number": 0,
        "type": "track",
        "uri": f"spotify:local:{uri_parts}:{duration_s}",
    }


def apply_profile(item: Json | None, profile: str) -> Json | None:
    """Drop the fields the 2026 development mode no longer sends (a new dict; input untouched)."""
    if item is None or profile == EXTENDED:
        return item
    trimmed = {k: v for k, v in item.items() if k not in REMOVED_TRACK_FIELDS}
    if isinstance(item.get("album"), dict):
        album = {k: v for k, v in item["album"].items() if k not in REMOVED_ALBUM_FIELDS}
        trimmed["album"] = album
    return trimmed


def apply_market(item: Json | None, market: str | None) -> Json | None:
    """Track relinking for `market`: add `is_playable` (and `restrictions`), drop markets lists.

    Call it on the full (extended) object, before `apply_profile`, since it reads the markets.
    """
    if item is None or market is None or item.get("type") != "track" or item.get("is_local"):
        return item
    playable = market in item.get("available_markets", ())
    relinked = {k: v for k, v in item.items() if k != "available_markets"}
    relinked["album"] = {k: v for k, v in item["album"].items() if k != "available_markets"}
    relinked["is_playable"] = playable
    if not playable:
        relinked["restrictions"] = {"reason": "market"}
    return relinked
