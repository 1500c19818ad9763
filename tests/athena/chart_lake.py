"""A small deterministic lake written with pyarrow, following glue_jobs/charts/schemas.py."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from curated_parquet import write_table

from glue_jobs.charts.schemas import PARTITION_COLUMN

UTC = dt.UTC


def hour(day: int, hour_of_day: int) -> dt.datetime:
    """A snapshot hour in November 2026, UTC."""
    return dt.datetime(2026, 11, day, hour_of_day, tzinfo=UTC)


# Songs: id -> (name on 2026-11-25, name on 2026-11-26, album, credited artists in order).
SONGS: dict[str, tuple[str, str, str, list[str]]] = {
    "song_a": ("Alpha (old title)", "Alpha", "album_1", ["artist_1"]),
    "song_b": ("Bravo", "Bravo", "album_1", ["artist_1"]),
    "song_c": ("Charlie", "Charlie", "album_2", ["artist_2", "artist_1"]),
    "song_d": ("Delta", "Delta", "album_2", ["artist_2"]),
    "song_e": ("Echo", "Echo", "album_3", ["artist_2"]),
    **{
        f"song_{x}": (x.upper() * 3, x.upper() * 3, "album_4", ["artist_3"])
        for x in ("f", "g", "h", "i", "j", "k", "l", "x")
    },
    "song_m": ("Mike", "Mike", "album_5", ["artist_4"]),
    "song_n": ("November", "November", "album_5", ["artist_4"]),
}
ARTISTS = {"artist_1": "Ann", "artist_2": "Bob", "artist_3": "Cleo", "artist_4": "Dee"}
# Album id -> release year (None: Spotify gave no usable release date).
ALBUMS: dict[str, int | None] = {
    "album_1": 2024,
    "album_2": 2025,
    "album_3": 2026,
    "album_4": None,
    "album_5": 2025,
}
PLAYLISTS = {"playlist_1": "Top Songs", "playlist_2": "Viral Hits"}
# playlist_2 is a user's top tracks: the queries treat both kinds of chart alike.
CHART_KINDS = {"playlist_1": "playlist", "playlist_2": "top_tracks"}

# (playlist, hour) -> songs by position. playlist_1 has no snapshot from 02:00 to 21:00 on the
# 26th (a gap); its last hour lists 12 songs so the top 10 cuts two.
CHARTS: dict[tuple[str, dt.datetime], list[str]] = {
    ("playlist_1", hour(25, 21)): ["song_a", "song_b", "song_c"],
    ("playlist_1", hour(25, 22)): ["song_a", "song_c", "song_b"],
    ("playlist_1", hour(25, 23)): ["song_b", "song_a", "song_c", "song_x", "song_d"],
    ("playlist_1", hour(26, 0)): ["song_b", "song_a", "song_d"],
    ("playlist_1", hour(26, 1)): ["song_b", "song_d", "song_a", "song_c", "song_x"],
    ("playlist_1", hour(26, 22)): ["song_a", "song_b", "song_e", "song_d", "song_c"],
    ("playlist_1", hour(26, 23)): [f"song_{x}" for x in "aedbfghijklc"],
    ("playlist_2", hour(25, 23)): ["song_m", "song_n", "song_a"],
    ("playlist_2", hour(26, 21)): ["song_m", "song_a"],
    ("playlist_2", hour(26, 22)): ["song_m", "song_a"],
    ("playlist_2", hour(26, 23)): ["song_a", "song_m"],
}


def _dimension_rows(seen: dict[dt.date, set[str]]) -> dict[str, list[dict[str, Any]]]:
    """Song, album, artist and song_artist rows: one per id seen on each snapshot date."""
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for day, song_ids in sorted(seen.items()):
        first = dt.datetime.combine(day, dt.time(), UTC)
        stamps = {"first_seen_ts": first, "last_seen_ts": first, PARTITION_COLUMN: day}
        albums, artists = set(), set()
        for song_id in sorted(song_ids):
            old_name, new_name, album_id, artist_ids = SONGS[song_id]
            name = old_name if day.day == 25 else new_name
            tables["song"].append(
                {"song_id": song_id, "name": name, "album_id": album_id,
                 "artist_ids": artist_ids, "primary_artist_id": artist_ids[0], **stamps}
            )  # fmt: skip
            tables["song_artist"] += [
                {"song_id": song_id, "artist_id": a, "artist_position": i, PARTITION_COLUMN: day}
                for i, a in enumerate(artist_ids, start=1)
            ]
            albums.add(album_id)
            artists.update(artist_ids)
        tables["album"] += [
            {"album_id": a, "name": a, "release_year": ALBUMS[a], **stamps} for a in sorted(albums)
        ]
        tables["artist"] += [
            {"artist_id": a, "name": ARTISTS[a], **stamps} for a in sorted(artists)
        ]
    return tables


def build_chart_lake(lake: Path) -> Path:
    """Write the whole scenario above as the Glue job would lay it out; return the lake."""
    entries, seen = [], defaultdict(set)
    for (playlist_id, snapshot_ts), song_ids in CHARTS.items():
        for position, song_id in enumerate(song_ids, start=1):
            _, _, album_id, artist_ids = SONGS[song_id]
            entries.append(
                {"playlist_id": playlist_id, "chart_kind": CHART_KINDS[playlist_id],
                 "playlist_name": PLAYLISTS[playlist_id],
                 "snapshot_ts": snapshot_ts, "snapshot_hour": snapshot_ts.hour,
                 "position": position, "song_id": song_id, "album_id": album_id,
                 "primary_artist_id": artist_ids[0], PARTITION_COLUMN: snapshot_ts.date()}
            )  # fmt: skip
            seen[snapshot_ts.date()].add(song_id)
    write_table(lake, "chart_entry", entries)
    for table, rows in _dimension_rows(seen).items():
        write_table(lake, table, rows)
    return lake
