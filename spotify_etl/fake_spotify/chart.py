"""Chart dynamics: the top 100 at any hour, computed from the hour index alone (no stepping)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from spotify_etl.fake_spotify.catalog import ENTRY_GAP_HOURS, entry_hour
from spotify_etl.fake_spotify.ids import unit

CHART_SIZE = 100
MIN_LIFETIME_HOURS = 72
LIFETIME_SPREAD_HOURS = 1200
MAX_LIFETIME_HOURS = MIN_LIFETIME_HOURS + LIFETIME_SPREAD_HOURS
# Hour-to-hour jitter: big enough to swap neighbours now and then, small enough that most stay.
HOURLY_NOISE = 0.004
SECONDS_PER_HOUR = 3600


@dataclass(frozen=True)
class ChartLife:
    """How one song lives in the chart: when it enters, how long it lasts, how high it goes."""

    entry_hour: int
    lifetime_hours: int
    peak: float
    peak_at: float  # fraction of the lifetime at which the song peaks


@dataclass(frozen=True)
class ChartPlace:
    """One chart position at one hour."""

    position: int
    song_index: int
    score: float


@lru_cache(maxsize=16_384)
def chart_life(seed: int, song_index: int) -> ChartLife:
    """The chart life parameters of a song (pure function of the seed and the index)."""
    return ChartLife(
        entry_hour=entry_hour(seed, song_index),
        lifetime_hours=MIN_LIFETIME_HOURS
        + int(unit(seed, "life", song_index) * LIFETIME_SPREAD_HOURS),
        # Squaring makes most songs modest and a few huge hits.
        peak=0.2 + 0.8 * unit(seed, "peak", song_index) ** 2,
        peak_at=0.05 + 0.3 * unit(seed, "peak-at", song_index),
    )


def score(seed: int, song_index: int, hour: int) -> float:
    """The song's strength at `hour`: rises to its peak then decays; negative once it has left."""
    life = chart_life(seed, song_index)
    age = (hour - life.entry_hour) / life.lifetime_hours
    if age >= 1:
        return -age  # gone: ranked after every live song, most recently gone first
    ratio = age / life.peak_at
    curve = ratio * math.exp(1 - ratio)
    return life.peak * curve * (1 + HOURLY_NOISE * (unit(seed, "noise", song_index, hour) - 0.5))


def hour_index(moment: datetime) -> int:
    """Hours since the epoch of the hour containing `moment` (naive datetimes count as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return math.floor(moment.timestamp() / SECONDS_PER_HOUR)


def hour_start(hour: int) -> datetime:
    """The UTC datetime at which hour `hour` (since the epoch) starts."""
    return datetime.fromtimestamp(hour * SECONDS_PER_HOUR, UTC)


def chart_at(seed: int, hour: int, size: int = CHART_SIZE) -> list[ChartPlace]:
    """The chart at `hour` (hours since the epoch): the `size` strongest candidate songs."""
    newest = hour // ENTRY_GAP_HOURS
    oldest = (hour - MAX_LIFETIME_HOURS) // ENTRY_GAP_HOURS - 1
    candidates = [
        (score(seed, k, hour), k)
        for k in range(oldest, newest + 1)
        if chart_life(seed, k).entry_hour <= hour
    ]
    candidates.sort(key=lambda item: (-item[0], item[1]))
    return [
        ChartPlace(position=i + 1, song_index=k, score=s)
        for i, (s, k) in enumerate(candidates[:size])
    ]
