"""A one-day, three-song curated lake written with pyarrow, for running commands against."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from curated_parquet import write_table

from glue_jobs.charts.schemas import PARTITION_COLUMN

PLAYLIST_ID = "37i9dQZF1DXcBWIGoYBM5M"
DAY = date(2026, 11, 26)
HOURS = [datetime(2026, 11, 26, hour, tzinfo=UTC) for hour in (0, 1)]
SONGS = {"s1": "One", "s2": "Two", "s3": "Three"}


def write_small_lake(lake: Path) -> Path:
    """Write the five curated tables of a two-hour chart of three songs; return the lake."""
    entries = [
        {
            "playlist_id": PLAYLIST_ID,
            "chart_kind": "playlist",
            "playlist_name": "Small Chart",
            "snapshot_ts": ts,
            "snapshot_hour": ts.hour,
            "position": position,
            "song_id": song_id,
            "album_id": "al1",
            "primary_artist_id": "a1",
            PARTITION_COLUMN: DAY,
        }
        for ts in HOURS
        for position, song_id in enumerate(SONGS, start=1)
    ]
    seen = {"first_seen_ts": HOURS[0], "last_seen_ts": HOURS[-1], PARTITION_COLUMN: DAY}
    songs = [
        {"song_id": song_id, "name": name, "album_id": "al1", "artist_ids": ["a1"], **seen}
        for song_id, name in SONGS.items()
    ]
    credits = [
        {"song_id": song_id, "artist_id": "a1", "artist_position": 1, PARTITION_COLUMN: DAY}
        for song_id in SONGS
    ]
    write_table(lake, "chart_entry", entries)
    write_table(lake, "song", songs)
    write_table(lake, "album", [{"album_id": "al1", "name": "Album", "release_year": 2026, **seen}])
    write_table(lake, "artist", [{"artist_id": "a1", "name": "Ava", **seen}])
    write_table(lake, "song_artist", credits)
    return lake
