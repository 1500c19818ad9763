"""Unit tests of the transforms from flat entries to the curated tables (chispa, exact rows)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from chispa import assert_df_equality
from glue_frames import DAY, PID_A, PID_B, TS, flat_df, flat_row, key, made
from pyspark.sql import functions as F

from glue_jobs.charts.dimensions import (
    explode_artists,
    explode_song_artists,
    to_album,
    to_artist,
    to_song_artist,
)
from glue_jobs.charts.schemas import (
    ALBUM_SCHEMA,
    ARTIST_SCHEMA,
    CHART_ENTRY_SCHEMA,
    SONG_ARTIST_SCHEMA,
    SONG_SCHEMA,
)
from glue_jobs.charts.table_steps import (
    dedupe_first,
    filter_songs,
    latest_first,
    select_schema,
    select_table,
    with_seen_range,
)
from glue_jobs.charts.tables import CHART_ENTRY_KEY, latest_capture, to_chart_entry, to_song

pytestmark = pytest.mark.spark

LATER = TS + dt.timedelta(hours=1)
ONE = {"id": "AR1", "name": "One", "url": "u1"}
TWO = {"id": "AR2", "name": "Two", "url": "u2"}


def test_filter_songs_drops_quarantined_empty_and_skipped(spark: Any) -> None:
    rows = [
        flat_row(position=1),
        flat_row(position=2, skip_reason="local_file"),
        flat_row(position=3, reason="not_json"),
        flat_row(position=4, entry_index=None),
    ]
    actual_df = flat_df(spark, rows).transform(filter_songs).select("position")
    assert_df_equality(actual_df, spark.createDataFrame([(1,)], "position int"))


def test_with_seen_range_and_dedupe_first_latest(spark: Any) -> None:
    rows = [
        flat_row(song_id="S1", snapshot_ts=TS, playlist_id=PID_A, position=1, song_name="old"),
        flat_row(song_id="S1", snapshot_ts=LATER, playlist_id=PID_B, position=5, song_name="b5"),
        flat_row(song_id="S1", snapshot_ts=LATER, playlist_id=PID_A, position=9, song_name="a9"),
        flat_row(song_id="S1", snapshot_ts=LATER, playlist_id=PID_A, position=2, song_name="a2"),
        flat_row(song_id="S2", snapshot_ts=TS, snapshot_date=DAY + dt.timedelta(days=1)),
        flat_row(song_id="S2", snapshot_ts=TS, song_name=None),  # null attributes still win
    ]
    actual_df = (
        flat_df(spark, rows)
        .transform(with_seen_range(["song_id"]))
        .transform(dedupe_first(["song_id"], latest_first()))
        .select("snapshot_date", "song_id", "song_name", "first_seen_ts", "last_seen_ts")
        .orderBy("snapshot_date", "song_id")
    )
    expected_df = spark.createDataFrame(
        [
            (DAY, "S1", "a2", TS, LATER),
            (DAY, "S2", None, TS, TS),
            (DAY + dt.timedelta(days=1), "S2", "Song", TS, TS),
        ],
        "snapshot_date date, song_id string, song_name string, first_seen_ts timestamp, "
        "last_seen_ts timestamp",
    )
    assert_df_equality(actual_df, expected_df)


def test_dedupe_first_latest_capture_keeps_the_latest_capture(spark: Any) -> None:
    rows = [
        flat_row(raw_key=key(), captured_at=TS, song_id="early"),
        flat_row(raw_key=key(hour=9), captured_at=LATER, song_id="late"),
        flat_row(raw_key=key(hour=8), captured_at=LATER, song_id="late-second-key"),
        flat_row(position=2, captured_at=None, song_id="only"),
    ]
    actual_df = (
        flat_df(spark, rows)
        .transform(dedupe_first(CHART_ENTRY_KEY, latest_capture()))
        .select("position", "song_id")
    ).orderBy("position")
    expected_df = spark.createDataFrame(
        [(1, "late-second-key"), (2, "only")], "position int, song_id string"
    )
    assert_df_equality(actual_df, expected_df)


def test_to_chart_entry(spark: Any) -> None:
    top = "top_tracks.long_term.u1"
    rows = [
        flat_row(popularity=7, added_at=TS, artists=[TWO, ONE]),
        flat_row(position=2, album_id=None, artists=[], popularity=None),
        flat_row(position=3, skip_reason="episode", song_id=None),
        flat_row(playlist_id=top, chart_kind="top_tracks", playlist_name="Mine", popularity=3),
    ]
    actual_df = flat_df(spark, rows).transform(to_chart_entry).orderBy("playlist_id", "position")
    expected_df = spark.createDataFrame(
        [
            (PID_A, "playlist", "Top", TS, 7, 1, "S1", "AL1", "AR2", TS, 7, DAY),
            (PID_A, "playlist", "Top", TS, 7, 2, "S1", None, None, None, None, DAY),
            (top, "top_tracks", "Mine", TS, 7, 1, "S1", "AL1", "AR1", None, 3, DAY),
        ],
        made(CHART_ENTRY_SCHEMA),
    )
    assert_df_equality(actual_df, expected_df)


def test_to_song(spark: Any) -> None:
    rows = [
        flat_row(artists=[ONE, TWO], popularity=None),
        flat_row(snapshot_ts=LATER, artists=[TWO], popularity=80, isrc=None),
        flat_row(song_id="S2", artists=[], album_id=None),
    ]
    actual_df = flat_df(spark, rows).transform(to_song).orderBy("song_id")
    expected_df = spark.createDataFrame(
        [
            (
                "S1",
                "Song",
                1000,
                False,
                1,
                2,
                None,
                "AL1",
                ["AR2"],
                "AR2",
                80,
                "https://s/S1",
                TS,
                LATER,
                DAY,
            ),
            (
                "S2",
                "Song",
                1000,
                False,
                1,
                2,
                "ISRC1",
                None,
                [],
                None,
                None,
                "https://s/S1",
                TS,
                TS,
                DAY,
            ),
        ],
        made(SONG_SCHEMA),
    )
    assert_df_equality(actual_df, expected_df)


def test_to_album(spark: Any) -> None:
    rows = [
        flat_row(album_name="old name"),
        flat_row(snapshot_ts=LATER, album_artists=[ONE, TWO], release_date=None, release_year=None),
        flat_row(album_id=None),
    ]
    actual_df = flat_df(spark, rows).transform(to_album)
    expected_df = spark.createDataFrame(
        [
            (
                "AL1",
                "Album",
                "album",
                3,
                None,
                "day",
                None,
                ["AR1", "AR2"],
                "big",
                "https://s/AL1",
                TS,
                LATER,
                DAY,
            )
        ],
        made(ALBUM_SCHEMA),
    )
    assert_df_equality(actual_df, expected_df)


def test_explode_artists_lists_track_then_album_artists(spark: Any) -> None:
    rows = [
        flat_row(artists=[ONE, TWO], album_artists=[TWO]),
        flat_row(artists=None, album_artists=None),
        # One list missing (no album) must not hide the other.
        flat_row(position=2, artists=[TWO], album_artists=None),
        flat_row(position=3, artists=None, album_artists=[ONE]),
    ]
    actual_df = (
        flat_df(spark, rows)
        .transform(explode_artists)
        .select(
            "position",
            "artist_source",
            "artist_index",
            "artist_id",
            F.col("artist.name").alias("name"),
            F.col("artist.url").alias("spotify_url"),
        )
        .orderBy("position", "artist_source", "artist_index")
    )
    expected_df = spark.createDataFrame(
        [
            (1, 0, 0, "AR1", "One", "u1"),
            (1, 0, 1, "AR2", "Two", "u2"),
            (1, 1, 0, "AR2", "Two", "u2"),
            (2, 0, 0, "AR2", "Two", "u2"),
            (3, 1, 0, "AR1", "One", "u1"),
        ],
        # The source and index are made for every credit (a literal, an array index).
        "position int, artist_source int not null, artist_index int not null, artist_id string, "
        "name string, spotify_url string",
    )
    assert_df_equality(actual_df, expected_df)


def test_to_artist_includes_featured_and_album_artists(spark: Any) -> None:
    renamed = {"id": "AR1", "name": "One (renamed)", "url": "u1"}
    three = {"id": "AR3", "name": "Three", "url": None}
    rows = [
        flat_row(artists=[ONE, TWO], album_artists=[three]),
        flat_row(snapshot_ts=LATER, artists=[renamed], album_artists=[ONE]),
    ]
    actual_df = flat_df(spark, rows).transform(to_artist).orderBy("artist_id")
    expected_df = spark.createDataFrame(
        [
            ("AR1", "One (renamed)", "u1", TS, LATER, DAY),
            ("AR2", "Two", "u2", TS, TS, DAY),
            ("AR3", "Three", None, TS, TS, DAY),
        ],
        made(ARTIST_SCHEMA),
    )
    assert_df_equality(actual_df, expected_df)


def test_song_artist_positions_and_repeated_credit(spark: Any) -> None:
    song_df = spark.createDataFrame(
        [("S1", ["AR1", "AR2", "AR1"], DAY), ("S2", [], DAY), ("S3", None, DAY)],
        "song_id string, artist_ids array<string>, snapshot_date date",
    )
    exploded_df = song_df.transform(explode_song_artists)
    assert exploded_df.count() == 3
    first_credit = [F.col("artist_position").asc()]
    actual_df = exploded_df.transform(
        dedupe_first(["song_id", "artist_id"], first_credit)
    ).transform(select_schema(SONG_ARTIST_SCHEMA))
    expected_df = spark.createDataFrame(
        [("S1", "AR1", 1, DAY), ("S1", "AR2", 2, DAY)], made(SONG_ARTIST_SCHEMA, "artist_position")
    )
    assert_df_equality(actual_df.orderBy("artist_id"), expected_df)
    assert_df_equality(to_song_artist(song_df).orderBy("artist_id"), expected_df)


def test_select_schema_orders_and_casts(spark: Any) -> None:
    source_df = spark.createDataFrame(
        [(DAY, "AR1", 5, "extra")],
        "snapshot_date date, artist_id string, artist_position long, x string",
    ).withColumn("song_id", F.lit("S1"))
    actual_df = source_df.transform(select_schema(SONG_ARTIST_SCHEMA))
    expected_df = spark.createDataFrame(
        [("S1", "AR1", 5, DAY)], made(SONG_ARTIST_SCHEMA, "song_id")
    )
    assert_df_equality(actual_df, expected_df)


def test_select_table_refuses_columns_that_are_not_the_schemas(spark: Any) -> None:
    source_df = spark.createDataFrame([("S1", "AR1", 1, DAY)], SONG_ARTIST_SCHEMA)
    in_wrong_order = select_table(
        SONG_ARTIST_SCHEMA, "artist_id", "song_id", "artist_position", "snapshot_date"
    )
    with pytest.raises(ValueError, match="select makes"):
        source_df.transform(in_wrong_order)
