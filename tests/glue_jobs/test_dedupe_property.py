"""Property: the song table is unique per (song_id, date) and picks the latest entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from glue_frames import DAY, flat_df, flat_row
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glue_jobs.charts.tables import to_song

pytestmark = pytest.mark.spark

HOURS = [dt.datetime(2026, 11, 25, hour) for hour in range(3)]
PLAYLISTS = ["A" * 22, "B" * 22]
Slots = dict[tuple[str, dt.datetime, int], tuple[str, str]]

# Distinct (playlist, hour, position) slots, as chart_entry's key guarantees.
entry_slots = st.dictionaries(
    keys=st.tuples(st.sampled_from(PLAYLISTS), st.sampled_from(HOURS), st.integers(1, 3)),
    values=st.tuples(st.sampled_from(["S1", "S2", "S3"]), st.text("xyz", max_size=2)),
    min_size=1,
    max_size=12,
)


def latest_pick(slots: Slots) -> dict[str, tuple[str, dt.datetime, dt.datetime]]:
    """The reference: per song, the name of the entry latest by (ts desc, playlist, position)."""
    picks = {}
    for song in {song for song, _ in slots.values()}:
        mine = [(slot, name) for slot, (s, name) in slots.items() if s == song]
        _, name = min(mine, key=lambda pair: (-pair[0][1].timestamp(), pair[0][0], pair[0][2]))
        times = [slot[1] for slot, _ in mine]
        picks[song] = (name, min(times), max(times))
    return picks


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(datasets=st.lists(entry_slots, min_size=1, max_size=15))
def test_song_is_the_latest_pick_per_key(spark: Any, datasets: list[Slots]) -> None:
    # Each dataset gets its own snapshot_date: one Spark job checks them all independently.
    rows = [
        flat_row(
            playlist_id=playlist,
            snapshot_ts=ts,
            position=position,
            song_id=song,
            song_name=name,
            snapshot_date=DAY + dt.timedelta(days=index),
        )
        for index, slots in enumerate(datasets)
        for (playlist, ts, position), (song, name) in slots.items()
    ]
    song_rows = flat_df(spark, rows).transform(to_song).collect()
    actual = {
        (row["snapshot_date"], row["song_id"]): (
            row["name"],
            row["first_seen_ts"],
            row["last_seen_ts"],
        )
        for row in song_rows
    }
    expected = {
        (DAY + dt.timedelta(days=index), song): pick
        for index, slots in enumerate(datasets)
        for song, pick in latest_pick(slots).items()
    }
    assert len(song_rows) == len(actual)  # unique on (snapshot_date, song_id)
    assert actual == expected
