"""Entries whose position cannot place them are skipped by name, never merged or kept."""

from __future__ import annotations

from typing import Any

import pytest
from chispa import assert_df_equality
from glue_frames import PID_A, PID_B, item, key, snapshot, snapshots_df

from glue_jobs.charts.entries import to_entries
from glue_jobs.charts.pipeline import collect_object_stats
from glue_jobs.charts.tables import to_chart_entry

pytestmark = pytest.mark.spark


def entries_at(*positions: int | None) -> list[dict[str, Any]]:
    """One song entry per position (song S<n> for the n-th entry)."""
    return [{"position": p, "item": item(f"S{n}")} for n, p in enumerate(positions, 1)]


def test_repeated_and_out_of_range_positions_are_skipped_by_name(spark: Any) -> None:
    source_df = snapshots_df(
        spark,
        [
            # Issue 12: five entries at 1,1,3,1,5 became three rows, two counted nowhere.
            (key(), snapshot(entries=entries_at(1, 1, 3, 1, 5)), None, None),
            # 0 and -7 below the first position, 9 past the third entry; None is the 4th.
            (
                key(PID_B),
                snapshot(playlist_id=PID_B, entries=entries_at(0, -7, 9, None)),
                None,
                None,
            ),
        ],
    )
    actual_df = to_entries(source_df).select("playlist_id", "song_id", "position", "skip_reason")
    expected_df = spark.createDataFrame(
        [
            (PID_A, "S1", 1, "duplicate_position"),
            (PID_A, "S2", 1, "duplicate_position"),
            (PID_A, "S3", 3, None),
            (PID_A, "S4", 1, "duplicate_position"),
            (PID_A, "S5", 5, None),
            (PID_B, "S1", 0, "position_out_of_range"),
            (PID_B, "S2", -7, "position_out_of_range"),
            (PID_B, "S3", 9, "position_out_of_range"),
            (PID_B, "S4", 4, None),
        ],
        "playlist_id string, song_id string, position int, skip_reason string",
    )
    assert_df_equality(actual_df, expected_df, ignore_row_order=True)


def test_every_entry_read_is_a_row_or_a_counted_skip(spark: Any) -> None:
    source_df = snapshots_df(
        spark,
        [
            (key(), snapshot(entries=entries_at(1, 1, 3, 1, 5)), None, None),
            (key(PID_B), snapshot(playlist_id=PID_B, entries=entries_at(1, 2, 3)), None, None),
        ],
    )
    entries_df = to_entries(source_df)
    stats = collect_object_stats(entries_df)
    rows = to_chart_entry(entries_df).count()
    assert (stats.entries, rows, dict(stats.skipped)) == (8, 5, {"duplicate_position": 3})
    assert stats.entries == rows + sum(stats.skipped.values())
