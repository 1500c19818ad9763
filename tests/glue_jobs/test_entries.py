"""Unit tests of the transforms from parsed snapshots to flat entries (chispa, exact rows)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from chispa import assert_df_equality
from glue_frames import (
    PID_A,
    PID_B,
    TS,
    entry_rows_df,
    item,
    key,
    snapshot,
    snapshots_df,
    top_key,
    top_snapshot,
)
from pyspark.sql import functions as F
from pyspark.sql import types as T

from glue_jobs.charts.entries import (
    added_at,
    explode_entries,
    skip_reason,
    to_entries,
    with_quarantine_reason,
)
from glue_jobs.charts.entry_fields import album_columns, release_date, release_year, song_columns
from glue_jobs.charts.positions import entry_position, with_snapshot_positions
from glue_jobs.charts.raw_keys import raw_date_prefix

pytestmark = pytest.mark.spark
# Credits are filtered and rebuilt, so a list of them never holds a null.
CREDITS = T.ArrayType(
    T.StructType([T.StructField(name, T.StringType()) for name in ("id", "name", "url")]),
    containsNull=False,
)
ONE_TWO = [("AR1", "One", "u1"), ("AR2", "Two", "u2")]


def with_credits(spark: Any, ddl: str, column: str) -> T.StructType:
    """The schema `ddl` plus a list of credits named `column`."""
    fields = spark.createDataFrame([], ddl).schema.fields
    return T.StructType([*fields, T.StructField(column, CREDITS)])


# A key no builder makes: its hour is no hour.
HOUR_25_KEY = key().replace("snapshot_hour=07", "snapshot_hour=25")
PLAYLIST_CHART = {"kind": "playlist", "id": PID_A, "name": "Top"}
TOP_CHART = {"kind": "top_tracks", "id": "top_tracks.short_term.u1", "name": "Top tracks of u1"}


def corrupt(version: str | None, is_object: bool = True) -> tuple[dict[str, Any], bool, str | None]:
    return {"_corrupt_record": "{...}"}, is_object, version


def test_with_quarantine_reason(spark: Any) -> None:
    cases = [
        ("good", key(), snapshot(), None, None),
        ("bad_key", f"{raw_date_prefix(TS.date())}x.json.gz", snapshot(), None, None),
        ("not_json", key(), *corrupt(None, is_object=False)),
        ("unknown_schema_version", key(), *corrupt("3")),
        ("schema_mismatch", key(), *corrupt("1")),
        ("schema_mismatch", key(), *corrupt("2")),
        ("unknown_schema_version", key(), snapshot(schema_version=3), None, None),
        ("good", key(), snapshot(schema_version=2, chart=PLAYLIST_CHART), None, None),
        ("good", top_key(), top_snapshot(), None, None),
        # Keys no builder makes: a range that is none, a user id that is not key-safe.
        ("bad_key", top_key().replace("short_term", "weekly"), top_snapshot(), None, None),
        ("bad_key", top_key().replace(".u1.", ".a:b."), top_snapshot(), None, None),
        ("unknown_schema_version", top_key(), top_snapshot(schema_version=3), None, None),
        ("missing_envelope_fields", key(), snapshot(schema_version=2), None, None),
        ("missing_envelope_fields", top_key(), top_snapshot(chart=None), None, None),
        ("key_mismatch", top_key(), top_snapshot("top_tracks.short_term.u2"), None, None),
        ("key_mismatch", top_key(), top_snapshot(chart={**TOP_CHART, "kind": "x"}), None, None),
        # A version-1 body is a playlist, whatever id it carries.
        ("key_mismatch", top_key(), snapshot(playlist_id=TOP_CHART["id"]), None, None),
        ("key_mismatch", key(), snapshot(schema_version=2, chart=TOP_CHART), None, None),
        ("missing_envelope_fields", key(), snapshot(snapshot_ts=None), None, None),
        ("missing_envelope_fields", key(), snapshot(entries=None), None, None),
        ("key_mismatch", key(), snapshot(playlist_id=PID_B), None, None),
        ("key_mismatch", key(), snapshot(snapshot_ts="2026-11-25T07:30:00Z"), None, None),
        # Not a time, and no hour: null (or a mismatch), never CAST_INVALID_INPUT under ANSI.
        ("missing_envelope_fields", key(), snapshot(snapshot_ts="noon"), None, None),
        ("key_mismatch", HOUR_25_KEY, snapshot(), None, None),
        ("missing_envelope_fields", key(), None, None, None),  # null case: no body at all
    ]
    source_df = snapshots_df(spark, [row[1:] for row in cases])
    actual_df = source_df.transform(with_quarantine_reason).select("reason")
    expected_df = spark.createDataFrame(
        [(None if name == "good" else name,) for name, *_ in cases], "reason string"
    )
    assert_df_equality(actual_df, expected_df)
    details = [row["detail"] for row in source_df.transform(with_quarantine_reason).collect()]
    assert [detail is None for detail in details] == [name == "good" for name, *_ in cases]


def test_a_key_mismatch_names_the_bodys_chart(spark: Any) -> None:
    source_df = snapshots_df(
        spark, [(top_key(), top_snapshot("top_tracks.short_term.u2"), None, None)]
    )
    [row] = source_df.transform(with_quarantine_reason).collect()
    assert row["detail"] == (
        "body: schema_version=2 chart=top_tracks:top_tracks.short_term.u2 "
        "snapshot_ts=2026-11-25T07:00:00Z"
    )


def test_explode_entries_keeps_one_row_per_unusable_or_empty_snapshot(spark: Any) -> None:
    entries = [{"position": 1, "added_at": "a"}, {"position": 2, "added_at": "b"}]
    source_df = (
        snapshots_df(
            spark,
            [
                (key(), snapshot(entries=entries), None, None),
                (key(PID_B), snapshot(playlist_id=PID_B, captured_at="late"), None, None),
                (key(hour=8), None, None, None),
            ],
        )
        .transform(with_quarantine_reason)
        .transform(with_snapshot_positions)
    )
    actual_df = explode_entries(source_df).select(
        "raw_key",
        "reason",
        "playlist_id",
        "playlist_name",
        "snapshot_ts",
        "captured_at",
        "entry_index",
        "entry.added_at",
    )
    captured = dt.datetime(2026, 11, 25, 7, 0, 5, 500000)
    expected_df = spark.createDataFrame(
        [
            (key(), None, PID_A, "Top", TS, captured, 0, "a"),
            (key(), None, PID_A, "Top", TS, captured, 1, "b"),
            # A captured_at that is not a time is null; the snapshot stays usable.
            (key(PID_B), None, PID_B, "Top", TS, None, None, None),
            (key(hour=8), "missing_envelope_fields", None, None, None, None, None, None),
        ],
        "raw_key string, reason string, playlist_id string, playlist_name string, "
        "snapshot_ts timestamp, captured_at timestamp, entry_index int, added_at string",
    )
    assert_df_equality(actual_df, expected_df)


def test_explode_entries_names_the_chart_of_either_kind_and_version(spark: Any) -> None:
    top_entries = [{"position": 1, "item": item("S9")}]
    source_df = snapshots_df(
        spark,
        [
            (key(), snapshot(), None, None),
            (key(PID_B), snapshot(schema_version=2, playlist_id=PID_B,
                                  chart={**PLAYLIST_CHART, "id": PID_B, "name": "v2"}), None, None),
            (top_key(), top_snapshot(entries=top_entries), None, None),
        ],
    ).transform(with_quarantine_reason).transform(with_snapshot_positions)  # fmt: skip
    actual_df = explode_entries(source_df).select("playlist_id", "chart_kind", "playlist_name")
    expected_df = spark.createDataFrame(
        [
            (PID_A, "playlist", "Top"),
            (PID_B, "playlist", "v2"),
            ("top_tracks.short_term.u1", "top_tracks", "Top tracks of u1"),
        ],
        "playlist_id string, chart_kind string, playlist_name string",
    )
    assert_df_equality(actual_df, expected_df)


def test_entry_item_position_and_added_at(spark: Any) -> None:
    # `track` is the reader's part: it is put in `item` there (tests/glue_jobs/test_reader.py).
    source_df = entry_rows_df(
        spark,
        [
            (None, 0, {"position": 1, "added_at": "2026-11-20T10:00:00Z", "item": item("I")}),
            (None, 1, {"position": None, "added_at": "1970-01-01T00:00:00Z", "item": item("T")}),
            (None, 2, {"position": 3, "added_at": None, "item": None}),
            (None, 3, {"position": 4, "added_at": "yesterday", "item": item("Y")}),
            (None, None, None),
        ],
    )
    actual_df = source_df.select(
        "entry.item.id",
        entry_position(F.col("entry"), F.col("entry_index")).alias("position"),
        added_at(F.col("entry")).alias("added_at"),
    )
    expected_df = spark.createDataFrame(
        [
            ("I", 1, dt.datetime(2026, 11, 20, 10)),
            ("T", 2, None),
            (None, 3, None),
            ("Y", 4, None),
            (None, None, None),
        ],
        "id string, position int, added_at timestamp",
    )
    assert_df_equality(actual_df, expected_df)


def test_skip_reason(spark: Any) -> None:
    episode = {"id": "E", "type": "episode"}
    source_df = entry_rows_df(
        spark,
        [
            (None, 0, {"item": item("S")}),
            (None, 1, {"is_local": True, "item": item(None, is_local=True)}),
            (None, 2, {"is_local": False, "item": item(None, is_local=True)}),
            (None, 3, {"item": None}),
            (None, 4, {"item": episode}),
            (None, 5, {"item": item(None)}),
            (None, None, None),
        ],
    )
    position = entry_position(F.col("entry"), F.col("entry_index"))
    actual_df = source_df.select(skip_reason(F.col("entry.item"), position).alias("skip_reason"))
    expected_df = spark.createDataFrame(
        [
            (None,),
            ("local_file",),
            ("local_file",),
            ("null_track",),
            ("episode",),
            ("missing_song_id",),
            (None,),
        ],
        "skip_reason string",
    )
    assert_df_equality(actual_df, expected_df)


def test_snapshot_slot_is_the_utc_date_and_hour_of_snapshot_ts(spark: Any) -> None:
    late = snapshot(snapshot_ts="2026-11-25T23:00:00Z")
    source_df = snapshots_df(spark, [(key(hour=23), late, None, None)])
    actual_df = to_entries(source_df).select("snapshot_ts", "snapshot_date", "snapshot_hour")
    expected_df = spark.createDataFrame(
        [(dt.datetime(2026, 11, 25, 23), dt.date(2026, 11, 25), 23)],
        "snapshot_ts timestamp, snapshot_date date, snapshot_hour int",
    )
    assert_df_equality(actual_df, expected_df)


def test_song_columns(spark: Any) -> None:
    featured = [
        {"id": "AR1", "name": "One", "external_urls": {"spotify": "u1"}},
        {"id": None, "name": "Local", "external_urls": {}},
        {"id": "AR2", "name": "Two", "external_urls": {"spotify": "u2"}},
    ]
    source_df = entry_rows_df(
        spark,
        [
            (None, 0, {"item": item("S1", artists=featured, popularity=None)}),
            (None, 1, {"item": None}),
        ],
    )
    actual_df = source_df.select(*song_columns(F.col("entry.item"))).select(
        "song_id",
        "song_name",
        "duration_ms",
        "explicit",
        "isrc",
        "popularity",
        "song_url",
        "artists",
    )
    expected_df = spark.createDataFrame(
        [
            ("S1", "Song S1", 1000, True, "ISRC1", None, "https://s/S1", ONE_TWO),
            (None, None, None, None, None, None, None, None),
        ],
        with_credits(
            spark,
            "song_id string, song_name string, duration_ms int, explicit boolean, isrc string, "
            "popularity int, song_url string",
            "artists",
        ),
    )
    assert_df_equality(actual_df, expected_df)


def test_release_date_and_year(spark: Any) -> None:
    cases = [
        ("2025-01-13", dt.date(2025, 1, 13), 2025),
        ("1957-11", dt.date(1957, 11, 1), 1957),
        ("2011", dt.date(2011, 1, 1), 2011),
        ("0000", None, None),
        # Days and months that do not exist: null, never an error (Spark 4 runs with ANSI on).
        ("2025-02-30", None, 2025),
        ("2025-04-31", None, 2025),
        ("2025-13", None, 2025),
        ("2025-00-10", None, 2025),
        ("2024-02-29", dt.date(2024, 2, 29), 2024),
        ("soon", None, None),
        (None, None, None),
    ]
    source_df = spark.createDataFrame(
        [(((text,),),) for text, _, _ in cases], "item struct<album:struct<release_date:string>>"
    )
    album = F.col("item.album")
    actual_df = source_df.select(
        album["release_date"].alias("release_date_text"),
        release_date(album).alias("release_date"),
        release_year(album).alias("release_year"),
    )
    expected_df = spark.createDataFrame(
        cases, "release_date_text string, release_date date, release_year int"
    )
    assert_df_equality(actual_df, expected_df)


def test_album_columns_take_the_largest_image(spark: Any) -> None:
    images = [
        {"url": "small", "height": 64, "width": 64},
        {"url": "big", "height": 640, "width": 640},
        {"url": None, "height": 9999, "width": 9999},
    ]
    unsized = [{"url": "a", "height": None, "width": None}, {"url": "b"}]
    # 50,000 x 50,000 overflows an int: the area must still rank it first.
    huge = [*images, {"url": "huge", "height": 50_000, "width": 50_000}]
    rows = [
        (None, 0, {"item": item(album={"id": "AL1", "images": images, "artists": []})}),
        (None, 1, {"item": item(album={"id": "AL2", "images": unsized})}),
        (None, 2, {"item": item(album=None)}),
        (None, 3, {"item": item(album={"id": "AL3", "images": []})}),  # as local files have
        (None, 4, {"item": item(album={"id": "AL4", "images": huge})}),
    ]
    source_df = entry_rows_df(spark, rows)
    actual_df = source_df.select(*album_columns(F.col("entry.item.album"))).select(
        "album_id", "album_image_url", "album_artists"
    )
    expected_df = spark.createDataFrame(
        [
            ("AL1", "big", []),
            ("AL2", "b", None),
            (None, None, None),
            ("AL3", None, None),
            ("AL4", "huge", None),
        ],
        with_credits(spark, "album_id string, album_image_url string", "album_artists"),
    )
    assert_df_equality(actual_df, expected_df)
