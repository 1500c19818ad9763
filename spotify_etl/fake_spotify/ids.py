"""Deterministic hashing and Spotify-style ids: every synthetic value derives from the seed."""

from __future__ import annotations

import hashlib

BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
SPOTIFY_ID_LENGTH = 22
_ID_SPACE = 62**SPOTIFY_ID_LENGTH
_UNIT_SCALE = float(1 << 64)

DEFAULT_SEED = 2026
FAKE_USER_ID = "fakelistener01"
FAKE_USER_NAME = "Fake Listener"
SPOTIFY_USER_ID = "spotify"

# Readable on purpose: a log line naming one of these says at once that it came from the fake.
CHART_PLAYLIST_ID = "37i9dQZEVXbFAKEtop1000"
USER_CHART_PLAYLIST_ID = "4fakeUserTop100Copy000"
EDGE_CASE_PLAYLIST_ID = "5fakeEdgeCasesPlaylist"


def digest(seed: int, *parts: object, size: int = 16) -> int:
    """A stable `size`-byte integer hash of the seed and the parts (unlike `hash`, not salted)."""
    text = ":".join([str(seed), *map(str, parts)])
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=size).digest(), "big")


def unit(seed: int, *parts: object) -> float:
    """A stable pseudo-random float in [0, 1) for the seed and the parts."""
    return (digest(seed, *parts) >> 64) / _UNIT_SCALE


def choose(options: tuple[str, ...], seed: int, *parts: object) -> str:
    """Pick one of `options` deterministically."""
    return options[digest(seed, *parts) % len(options)]


def spotify_id(seed: int, kind: str, index: object) -> str:
    """A 22-character base62 id, like Spotify's, derived from the seed, the kind and the index."""
    # 20 bytes (160 bits) cover the 62**22 (~2**131) id space evenly, so every position varies.
    number = digest(seed, "id", kind, index, size=20) % _ID_SPACE
    chars = []
    for _ in range(SPOTIFY_ID_LENGTH):
        number, remainder = divmod(number, 62)
        chars.append(BASE62_ALPHABET[remainder])
    return "".join(chars)


def hex_key(seed: int, *parts: object, length: int = 24) -> str:
    """A stable lowercase hex string (image keys, snapshot ids)."""
    return format(digest(seed, *parts), "032x")[:length]


def is_spotify_id(value: str) -> bool:
    """True when `value` has the shape of a Spotify id (22 base62 characters)."""
    return len(value) == SPOTIFY_ID_LENGTH and all(c in BASE62_ALPHABET for c in value)
