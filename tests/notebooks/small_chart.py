"""A small generated chart: twelve songs rotating through a top ten over six hours."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
# The Parquet writer is shared with the report's tests; tests/ folders are not packages.
sys.path.insert(0, str(REPO_ROOT / "tests" / "report"))

from curated_lake import ChartLake, Song, write_chart_lake  # noqa: E402

SONG_COUNT = 12
CHART_SIZE = 10
FIRST_HOUR = datetime(2026, 11, 25, 22)
HOURS = 6


def _song(number: int) -> Song:
    # Every third song features artist a0 after its primary artist.
    primary = f"a{number % 4}"
    artists = (primary, "a0") if number % 3 == 0 and primary != "a0" else (primary,)
    return Song(f"s{number:02d}", f"Song{number:02d}", f"al{number % 3}", artists)


SONGS = [_song(number) for number in range(1, SONG_COUNT + 1)]


def chart_at_hour(hour: int) -> list[Song]:
    """The chart `hour` hours after FIRST_HOUR: the songs rotated by `hour`, first ten."""
    return (SONGS[hour:] + SONGS[:hour])[:CHART_SIZE]


SMALL_CHART = ChartLake(
    playlist_id="37i9dQZEVXbMDoHDwVN2tF",
    playlist_name="Top 50 - Global",
    hours={
        FIRST_HOUR + timedelta(hours=hour): [song.song_id for song in chart_at_hour(hour)]
        for hour in range(HOURS)
    },
    songs={song.song_id: song for song in SONGS},
    albums={"al0": ("Zero", None), "al1": ("One", 2019), "al2": ("Two", 2025)},
    artists={"a0": "Ava", "a1": "Ben", "a2": "Cleo", "a3": "Dee"},
)


def write_small_lake(lake: Path) -> None:
    """Write SMALL_CHART's curated tables under `lake`."""
    write_chart_lake(lake, SMALL_CHART)
