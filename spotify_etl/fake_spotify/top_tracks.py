"""The fake user's top tracks and profile: pure functions of (seed, user, time range, day)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from spotify_etl.fake_spotify.catalog import ENTRY_GAP_HOURS, entry_hour, song
from spotify_etl.fake_spotify.chart import hour_index, score
from spotify_etl.fake_spotify.ids import FAKE_USER_NAME, digest, hex_key, unit
from spotify_etl.fake_spotify.objects import (
    API_ROOT,
    EXTENDED,
    IMAGE_ROOT,
    OPEN_ROOT,
    apply_profile,
    track_object,
)

Json = dict[str, Any]
TIME_RANGES = ("short_term", "medium_term", "long_term")
DEFAULT_TIME_RANGE = "medium_term"
# "approximately last 4 weeks", "approximately last 6 months", "~1 year" (the API reference).
WINDOW_DAYS = {"short_term": 28, "medium_term": 182, "long_term": 365}
HOURS_PER_DAY = 24
# Listening habits: the share of new songs the user takes up, how long after release, how
# much and for how long they play them (plays decay exponentially and stop after 3 decays).
LISTENED_SHARE = 0.1
MAX_DISCOVERY_DAYS = 14
MIN_DECAY_DAYS, DECAY_SPREAD_DAYS = 4.0, 40.0
PLAY_DAYS_IN_DECAYS = 3.0
MAX_PLAY_DAYS = PLAY_DAYS_IN_DECAYS * (MIN_DECAY_DAYS + DECAY_SPREAD_DAYS)
MARKET = "US"  # the fake user's country: top tracks are relinked to it
USER_FOLLOWERS = 12
# Profile fields granted by scopes, and those the February 2026 changes removed in dev mode.
PRIVATE_FIELDS = ("country", "explicit_content", "product")
EMAIL_FIELD = "email"
REMOVED_USER_FIELDS = ("country", "email", "explicit_content", "followers", "product")
USER_IMAGE_SIZES = (("ab6775700000ee85", 300), ("ab67757000003b82", 64))


@dataclass(frozen=True)
class Listening:
    """How the user listens to one song: from which day, how much, how long."""

    start_day: float
    plays_per_day: float
    decay_days: float

    @property
    def end_day(self) -> float:
        """The day the user stops playing the song."""
        return self.start_day + PLAY_DAYS_IN_DECAYS * self.decay_days


def day_index(moment: datetime) -> int:
    """Days since the epoch of the UTC day containing `moment`: top tracks change once a day."""
    return hour_index(moment) // HOURS_PER_DAY


def listening(seed: int, user_id: str, song_index: int) -> Listening | None:
    """The user's listening to song `song_index`, or None when they never play it."""
    if unit(seed, "listen", user_id, song_index) >= LISTENED_SHARE:
        return None
    released = entry_hour(seed, song_index) / HOURS_PER_DAY
    return Listening(
        start_day=released + digest(seed, "discover", user_id, song_index) % MAX_DISCOVERY_DAYS,
        # Cubed: most songs are played a little, a few are favourites.
        plays_per_day=1 + 20 * unit(seed, "plays", user_id, song_index) ** 3,
        decay_days=MIN_DECAY_DAYS + DECAY_SPREAD_DAYS * unit(seed, "decay", user_id, song_index),
    )


def affinity(life: Listening, window_start: float, window_end: float) -> float:
    """Plays within [window_start, window_end]: the integral of the decaying play rate."""
    start, end = max(window_start, life.start_day), min(window_end, life.end_day)
    if end <= start:
        return 0.0
    tau = life.decay_days

    def played_by(day: float) -> float:
        return life.plays_per_day * tau * (1 - math.exp(-(day - life.start_day) / tau))

    return played_by(end) - played_by(start)


@lru_cache(maxsize=64)
def ranking(seed: int, user_id: str, time_range: str, day: int) -> tuple[int, ...]:
    """Song indices by affinity over the range's window ending at `day`, strongest first."""
    window_start = day - WINDOW_DAYS[time_range]
    oldest_release = window_start - MAX_PLAY_DAYS - MAX_DISCOVERY_DAYS
    first = max(0, math.floor(oldest_release * HOURS_PER_DAY / ENTRY_GAP_HOURS) - 1)
    last = (day + 1) * HOURS_PER_DAY // ENTRY_GAP_HOURS
    scored = []
    for index in range(first, last + 1):
        life = listening(seed, user_id, index)
        if life is None:
            continue
        plays = affinity(life, window_start, day)
        if plays > 0:
            scored.append((-plays, index))
    scored.sort()
    return tuple(index for _, index in scored)


def _popularity(seed: int, song_index: int, day: int) -> int:
    # Spotify-wide popularity, taken at the day's first hour: a whole day's answers are equal.
    strength = max(0.0, score(seed, song_index, day * HOURS_PER_DAY))
    return max(0, min(100, round(25 + 75 * strength)))


def top_track(seed: int, song_index: int, day: int, profile: str) -> Json:
    """A song as /me/top/tracks sends it: a full track relinked to the user's country."""
    track = track_object(song(seed, song_index), _popularity(seed, song_index, day))
    # The playlist endpoints' undocumented `episode`/`track` flags are not sent here.
    track = {k: v for k, v in track.items() if k not in ("episode", "track")}
    playable = MARKET in track["available_markets"]
    track["is_playable"] = playable
    track["album"] = {**track["album"], "is_playable": playable}
    shaped = apply_profile(track, profile)
    assert shaped is not None
    return shaped


def top_tracks(
    seed: int, user_id: str, time_range: str, moment: datetime, profile: str
) -> list[Json]:
    """Every ranked top track of the user at `moment` (the API serves only the first 100)."""
    day = day_index(moment)
    return [
        top_track(seed, index, day, profile) for index in ranking(seed, user_id, time_range, day)
    ]


def user_object(
    user_id: str, profile: str, scopes: frozenset[str], display_name: str = FAKE_USER_NAME
) -> Json:
    """GET /me: the public fields, plus what `user-read-private`/`user-read-email` grant."""
    user: Json = {
        "country": MARKET,
        "display_name": display_name,
        "email": f"{user_id}@example.com",
        "explicit_content": {"filter_enabled": False, "filter_locked": False},
        "external_urls": {"spotify": f"{OPEN_ROOT}/user/{user_id}"},
        "followers": {"href": None, "total": USER_FOLLOWERS},
        "href": f"{API_ROOT}/users/{user_id}",
        "id": user_id,
        "images": [
            {
                "height": size,
                "url": f"{IMAGE_ROOT}{prefix}{hex_key(0, 'user', user_id)}",
                "width": size,
            }
            for prefix, size in USER_IMAGE_SIZES
        ],
        "product": "premium",
        "type": "user",
        "uri": f"spotify:user:{user_id}",
    }
    hidden: set[str] = set()
    if "user-read-private" not in scopes:
        hidden.update(PRIVATE_FIELDS)
    if "user-read-email" not in scopes:
        hidden.add(EMAIL_FIELD)
    if profile != EXTENDED:
        hidden.update(REMOVED_USER_FIELDS)
    return {k: v for k, v in user.items() if k not in hidden}
