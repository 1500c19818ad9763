"""Small explicit-schema frames for the charts transforms' unit tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from glue_jobs.charts.entries import to_entries
from glue_jobs.charts.reader import ITEM_PARSE_SCHEMA, PARSED_ENTRY_SCHEMA
from ingest_lambda.keys import snapshot_key, top_tracks_key

SNAPSHOT_ROW_SCHEMA = T.StructType(
    [
        T.StructField("raw_key", T.StringType()),
        T.StructField("snapshot", ITEM_PARSE_SCHEMA),
        T.StructField("is_json_object", T.BooleanType()),
        T.StructField("schema_version_text", T.StringType()),
        T.StructField("body_problem", T.StringType()),
    ]
)

ENTRY_ROW_SCHEMA = T.StructType(
    [
        T.StructField("reason", T.StringType()),
        T.StructField("entry_index", T.IntegerType()),
        T.StructField("entry", PARSED_ENTRY_SCHEMA),
    ]
)

TS = dt.datetime(2026, 11, 25, 7)
DAY = dt.date(2026, 11, 25)
PID_A = "A" * 22
PID_B = "B" * 22


def key(playlist_id: str = PID_A, hour: int = TS.hour) -> str:
    """The raw key the Lambda writes for a playlist's snapshot at `hour` of DAY."""
    return snapshot_key(playlist_id, TS.replace(hour=hour, tzinfo=dt.UTC))


def top_key(user_id: str = "u1", time_range: str = "short_term") -> str:
    """The raw key the Lambda writes for a user's top tracks at TS."""
    return top_tracks_key(user_id, time_range, TS.replace(tzinfo=dt.UTC))


def top_snapshot(chart_id: str = "top_tracks.short_term.u1", **overrides: Any) -> dict[str, Any]:
    """A parsed version-2 top-tracks body with overrides."""
    body: dict[str, Any] = {
        "schema_version": 2,
        "chart": {"kind": "top_tracks", "id": chart_id, "name": "Top tracks of u1"},
        "snapshot_ts": "2026-11-25T07:00:00Z",
        "captured_at": "2026-11-25T07:00:05.5Z",
        "entries": [],
    }
    body.update(overrides)
    return body


def snapshot(**overrides: Any) -> dict[str, Any]:
    """A parsed snapshot body (dict for ITEM_PARSE_SCHEMA) with overrides."""
    body: dict[str, Any] = {
        "schema_version": 1,
        "playlist_id": PID_A,
        "playlist": {"id": PID_A, "name": "Top"},
        "snapshot_ts": "2026-11-25T07:00:00Z",
        "captured_at": "2026-11-25T07:00:05.5Z",
        "entries": [],
    }
    body.update(overrides)
    return body


def snapshots_df(spark: SparkSession, rows: list[tuple[Any, ...]]) -> DataFrame:
    """Reader-shaped rows: (raw_key, snapshot dict, is_json_object, schema_version_text[,
    body_problem]); a row without `body_problem` has none."""
    full = [row if len(row) == len(SNAPSHOT_ROW_SCHEMA) else (*row, None) for row in rows]
    return spark.createDataFrame(full, SNAPSHOT_ROW_SCHEMA)


def item(song_id: str | None = "S1", **overrides: Any) -> dict[str, Any]:
    """A raw track item dict."""
    body: dict[str, Any] = {
        "id": song_id,
        "type": "track",
        "name": f"Song {song_id}",
        "is_local": False,
        "duration_ms": 1000,
        "explicit": True,
        "disc_number": 1,
        "track_number": 2,
        "popularity": 50,
        "external_ids": {"isrc": "ISRC1"},
        "external_urls": {"spotify": f"https://s/{song_id}"},
        "album": {
            "id": "AL1",
            "name": "Album",
            "album_type": "single",
            "total_tracks": 3,
            "release_date": "2025-01-13",
            "release_date_precision": "day",
            "images": [{"url": "small", "height": 64, "width": 64}],
            "artists": [{"id": "AR1", "name": "One", "external_urls": {"spotify": "u1"}}],
            "external_urls": {"spotify": "https://s/AL1"},
        },
        "artists": [{"id": "AR1", "name": "One", "external_urls": {"spotify": "u1"}}],
    }
    body.update(overrides)
    return body


def entry_rows_df(
    spark: SparkSession, rows: list[tuple[Any, ...]], entry_count: int = 100
) -> DataFrame:
    """Exploded-entry rows: (reason, entry_index, entry dict), from a snapshot of
    `entry_count` entries without repeated positions."""
    return spark.createDataFrame(rows, ENTRY_ROW_SCHEMA).withColumns(
        {
            "entry_count": F.lit(entry_count),
            "repeated_positions": F.lit(None).cast("array<int>"),
        }
    )


def flat_schema(spark: SparkSession) -> T.StructType:
    """The schema of the flat entries frame (what `to_entries` returns)."""
    return to_entries(spark.createDataFrame([], SNAPSHOT_ROW_SCHEMA)).schema


def flat_row(**overrides: Any) -> dict[str, Any]:
    """One flat song entry (an entry of a usable snapshot that has a song)."""
    row: dict[str, Any] = {
        "raw_key": key(),
        "entry_index": 0,
        "playlist_id": PID_A,
        "chart_kind": "playlist",
        "playlist_name": "Top",
        "snapshot_ts": TS,
        "captured_at": TS,
        "snapshot_hour": 7,
        "position": 1,
        "snapshot_date": DAY,
        "song_id": "S1",
        "song_name": "Song",
        "duration_ms": 1000,
        "explicit": False,
        "disc_number": 1,
        "track_number": 2,
        "isrc": "ISRC1",
        "popularity": None,
        "song_url": "https://s/S1",
        "artists": [{"id": "AR1", "name": "One", "url": "u1"}],
        "album_id": "AL1",
        "album_name": "Album",
        "album_type": "album",
        "total_tracks": 3,
        "release_date": dt.date(2025, 1, 13),
        "release_date_precision": "day",
        "release_year": 2025,
        "album_image_url": "big",
        "album_url": "https://s/AL1",
        "album_artists": [{"id": "AR1", "name": "One", "url": "u1"}],
    }
    row.update(overrides)
    return row


def flat_df(spark: SparkSession, rows: list[dict[str, Any]]) -> DataFrame:
    """Flat entries with the exact schema `to_entries` produces."""
    return spark.createDataFrame(rows, flat_schema(spark))


def made(schema: T.StructType, *non_null: str) -> T.StructType:
    """A table's schema as its final select makes it: nullable but for `non_null`.

    A select cannot narrow nullability, so the schemas' non-null columns (and array elements)
    come out nullable in the frame and in Parquet; test_contract checks that they hold no null
    in written tables.
    """
    return T.StructType(
        [
            T.StructField(f.name, _with_null(f.dataType), f.name not in non_null)
            for f in schema.fields
        ]
    )


def _with_null(data_type: T.DataType) -> T.DataType:
    if isinstance(data_type, T.ArrayType):
        return T.ArrayType(data_type.elementType, containsNull=True)
    return data_type
