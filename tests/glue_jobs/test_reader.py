"""The reader parses `item` once and `track` only for entries without `item` (all shapes)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import glue_raw_builder as rb
import pytest
from chispa import assert_df_equality

from glue_jobs.charts.entries import to_entries
from glue_jobs.charts.reader import read_raw_snapshots

pytestmark = pytest.mark.spark

WHEN = dt.datetime(2026, 11, 24, 22)
ARTISTS = [rb.artist("4Z8W4fKeB5YxbusRsdQVPb", "A"), rb.artist("0OdUWJ0sBjDrqHygGUXeCF", "B")]
SONGS = ["3ZL9gPzeCnKG9l5SB1SlcZ", "7ATyvp3TmYBmGW7YuC8DJ3"]
ALBUM = "7cynQpUNbqg7ZqYQu11Yng"


def entries_in_shape(shape: str) -> list[dict[str, Any]]:
    """Two songs and a removed track, as the 2026 API (`item` and `track`), legacy or item-only."""
    entries = [rb.track_entry(song, ALBUM, ARTISTS, popularity=40) for song in SONGS]
    entries.append({"added_at": "2026-11-20T10:00:00Z", "item": None, "track": None})
    for entry in entries:
        if shape == "legacy":
            entry.pop("item")
        elif shape == "item_only":
            entry.pop("track")
    return entries


def read_entries(spark: Any, tmp_path: Path, bodies: dict[str, dict[str, Any]]) -> Any:
    """Write each body under its own lake; read them back as flat entries (raw_key dropped)."""
    folders = []
    for name, body in bodies.items():
        rb.put_snapshot(tmp_path / name, body)
        folders.append(str(tmp_path / name / "raw" / "playlist_snapshots"))
    return to_entries(read_raw_snapshots(spark, folders)).drop("raw_key")


@pytest.mark.parametrize("shape", ["legacy", "item_only"])
def test_every_entry_shape_gives_the_rows_of_the_2026_shape(
    spark: Any, tmp_path: Path, shape: str
) -> None:
    body_2026 = rb.envelope(rb.PLAYLIST_A, WHEN, entries_in_shape("2026"))
    body_other = rb.envelope(rb.PLAYLIST_A, WHEN, entries_in_shape(shape))
    expected_df = read_entries(spark, tmp_path / "a", {"x": body_2026}).orderBy("position")
    actual_df = read_entries(spark, tmp_path / "b", {"x": body_other}).orderBy("position")
    assert expected_df.where("song_id is not null").count() == len(SONGS)
    assert_df_equality(actual_df, expected_df)


def test_a_mixed_body_takes_item_where_present_and_track_elsewhere(
    spark: Any, tmp_path: Path
) -> None:
    legacy, modern = entries_in_shape("legacy"), entries_in_shape("2026")
    mixed = rb.envelope(rb.PLAYLIST_A, WHEN, [legacy[0], modern[1], legacy[2]])
    expected = rb.envelope(rb.PLAYLIST_A, WHEN, modern)
    actual_df = read_entries(spark, tmp_path / "a", {"x": mixed}).orderBy("position")
    expected_df = read_entries(spark, tmp_path / "b", {"x": expected}).orderBy("position")
    assert_df_equality(actual_df, expected_df)


def test_a_legacy_track_of_the_wrong_type_is_a_schema_mismatch(spark: Any, tmp_path: Path) -> None:
    entries = entries_in_shape("legacy")
    entries[0]["track"] = "not an object"
    body = rb.envelope(rb.PLAYLIST_A, WHEN, entries)
    reasons = read_entries(spark, tmp_path, {"x": body}).select("reason").collect()
    assert [row["reason"] for row in reasons] == ["schema_mismatch"]
