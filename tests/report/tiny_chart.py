"""A tiny hand-checked chart: five snapshots over three days, one featured credit."""

from __future__ import annotations

from datetime import UTC, datetime

from curated_lake import ChartLake, Song

PLAYLIST_ID = "37i9dQZF1DXcBWIGoYBM5M"


def _hour(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# Five snapshots over three days; s2 credits a1 as a featured artist. Expected values in the
# tests are counted by hand from this table.
TINY_CHART = ChartLake(
    playlist_id=PLAYLIST_ID,
    playlist_name="Today's Top Hits",
    hours={
        _hour("2026-11-24T22:00"): ["s1", "s2", "s3"],
        _hour("2026-11-24T23:00"): ["s2", "s1", "s3"],
        _hour("2026-11-25T00:00"): ["s2", "s4", "s1"],
        _hour("2026-11-25T01:00"): ["s4", "s2", "s1"],
        _hour("2026-11-26T00:00"): ["s3", "s4", "s1"],
    },
    songs={
        "s1": Song("s1", "One", "al1", ("a1",)),
        "s2": Song("s2", "Two", "al2", ("a2", "a1")),
        "s3": Song("s3", "Three", "al2", ("a3",)),
        "s4": Song("s4", "Four", "al3", ("a2",)),
    },
    albums={"al1": ("First", 2020), "al2": ("Second", 2024), "al3": ("Third", None)},
    artists={"a1": "Ava", "a2": "Ben", "a3": "Cleo"},
)

VIRAL_ID = "37i9dQZEVXbLiRSasKsNU9"
# A second, shorter playlist: s5 alone on the 25th, then s1 (#3 on TINY_CHART then) and s5.
VIRAL_CHART = ChartLake(
    playlist_id=VIRAL_ID,
    playlist_name="Viral",
    hours={
        _hour("2026-11-25T01:00"): ["s5"],
        _hour("2026-11-26T00:00"): ["s1", "s5"],
    },
    songs={
        "s1": TINY_CHART.songs["s1"],
        "s5": Song("s5", "Five", "al3", ("a3",)),
    },
    albums={"al1": ("First", 2020), "al3": ("Third", None)},
    artists={"a1": "Ava", "a3": "Cleo"},
)
