"""Each named query on the deterministic chart lake (tests/athena/chart_lake.py): exact rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from spotify_etl.query import named_queries, run_athena_sql

NAMES = sorted(named_queries())
EXPECTED_NAMES = [
    "biggest_climbers_24h",
    "current_top_10",
    "longest_run_at_number_1",
    "new_entries_today",
    "reentries",
    "release_year_distribution",
    "top_10_hours",
    "top_artists_by_songs",
]


def at(day: int, hour: int) -> dt.datetime:
    """A snapshot hour as the views return it: a naive UTC timestamp."""
    return dt.datetime(2026, 11, day, hour)


P1, P2 = "playlist_1", "playlist_2"
EXPECTED: dict[str, tuple[list[str], list[tuple[object, ...]]]] = {
    "current_top_10": (
        ["playlist_id", "playlist_name", "snapshot_ts", "position", "song_id", "song_name",
         "primary_artist"],
        [
            (P1, "Top Songs", at(26, 23), 1, "song_a", "Alpha", "Ann"),
            (P1, "Top Songs", at(26, 23), 2, "song_e", "Echo", "Bob"),
            (P1, "Top Songs", at(26, 23), 3, "song_d", "Delta", "Bob"),
            (P1, "Top Songs", at(26, 23), 4, "song_b", "Bravo", "Ann"),
            (P1, "Top Songs", at(26, 23), 5, "song_f", "FFF", "Cleo"),
            (P1, "Top Songs", at(26, 23), 6, "song_g", "GGG", "Cleo"),
            (P1, "Top Songs", at(26, 23), 7, "song_h", "HHH", "Cleo"),
            (P1, "Top Songs", at(26, 23), 8, "song_i", "III", "Cleo"),
            (P1, "Top Songs", at(26, 23), 9, "song_j", "JJJ", "Cleo"),
            (P1, "Top Songs", at(26, 23), 10, "song_k", "KKK", "Cleo"),
            (P2, "Viral Hits", at(26, 23), 1, "song_a", "Alpha", "Ann"),
            (P2, "Viral Hits", at(26, 23), 2, "song_m", "Mike", "Dee"),
        ],
    ),
    # playlist_1: song_b at #1 from 23:00 to 01:00 (3 hours) beats song_a's two 2-hour runs.
    # playlist_2: song_m's 1-hour run on the 25th is cut off from 21:00-22:00 by missing hours.
    "longest_run_at_number_1": (
        ["playlist_id", "song_id", "song_name", "hours_at_1", "run_start", "run_end"],
        [
            (P1, "song_b", "Bravo", 3, at(25, 23), at(26, 1)),
            (P2, "song_m", "Mike", 2, at(26, 21), at(26, 22)),
        ],
    ),
    # 2026-11-25 23:00 -> 2026-11-26 23:00; song_b (1 -> 4) fell, song_e is new, song_x left.
    "biggest_climbers_24h": (
        ["playlist_id", "song_id", "song_name", "position_24h_ago", "position_now", "climb"],
        [
            (P1, "song_d", "Delta", 5, 3, 2),
            (P1, "song_a", "Alpha", 2, 1, 1),
            (P2, "song_a", "Alpha", 3, 1, 2),
        ],
    ),
    # song_l entered at #11: new, though outside the top 10. playlist_2 has nothing new today.
    "new_entries_today": (
        ["playlist_id", "song_id", "song_name", "primary_artist", "entered_at", "entry_position"],
        [
            (P1, "song_e", "Echo", "Bob", at(26, 22), 3),
            *[
                (P1, f"song_{x}", x.upper() * 3, "Cleo", at(26, 23), position)
                for position, x in enumerate("fghijkl", start=5)
            ],
        ],
    ),
    # song_c missed the 00:00 snapshot, song_x too; the 02:00-21:00 gap is not leaving.
    "reentries": (
        ["playlist_id", "song_id", "song_name", "reentries", "first_entered_at",
         "last_reentered_at"],
        [
            (P1, "song_c", "Charlie", 1, at(25, 21), at(26, 1)),
            (P1, "song_x", "XXX", 1, at(25, 23), at(26, 1)),
        ],
    ),
    "top_10_hours": (
        ["playlist_id", "song_id", "song_name", "hours_in_top_10", "best_position"],
        [
            (P1, "song_a", "Alpha", 7, 1),
            (P1, "song_b", "Bravo", 7, 1),
            (P1, "song_c", "Charlie", 5, 2),
            (P1, "song_d", "Delta", 5, 2),
            (P1, "song_e", "Echo", 2, 2),
            (P1, "song_x", "XXX", 2, 4),
            *[(P1, f"song_{x}", x.upper() * 3, 1, p) for p, x in enumerate("fghijk", start=5)],
            (P2, "song_a", "Alpha", 4, 1),
            (P2, "song_m", "Mike", 4, 1),
            (P2, "song_n", "November", 1, 2),
        ],
    ),
    # Ann is featured on song_c (Bob's): it counts for both.
    "top_artists_by_songs": (
        ["playlist_id", "artist_id", "artist_name", "songs", "featured_songs"],
        [
            (P1, "artist_3", "Cleo", 8, 0),
            (P1, "artist_1", "Ann", 3, 1),
            (P1, "artist_2", "Bob", 3, 0),
            (P2, "artist_4", "Dee", 2, 0),
            (P2, "artist_1", "Ann", 1, 0),
        ],
    ),
    "release_year_distribution": (
        ["playlist_id", "release_year", "songs"],
        [
            (P1, 2024, 2),
            (P1, 2025, 2),
            (P1, 2026, 1),
            (P1, None, 8),
            (P2, 2024, 1),
            (P2, 2025, 2),
        ],
    ),
}  # fmt: skip


def test_the_named_queries_are_the_documented_ones() -> None:
    assert NAMES == EXPECTED_NAMES
    assert sorted(EXPECTED) == EXPECTED_NAMES


@pytest.mark.parametrize("name", NAMES)
def test_named_query_returns_the_expected_rows(crawled_lake: Path, name: str) -> None:
    result = run_athena_sql(crawled_lake, named_queries()[name].sql)

    columns, rows = EXPECTED[name]
    assert result.columns == columns
    assert result.rows == rows
