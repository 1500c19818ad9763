"""Both chart kinds in one lake: old objects as before, two users' top tracks, quarantine."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import glue_raw_builder as rb
import pytest
from chispa import assert_df_equality
from glue_frames import made
from glue_shared_lake import fixture_entries
from pyspark.sql import functions as F
from pyspark.sql import types as T
from spotify_fixtures import FIXTURES_DIR, load_fixture

from glue_jobs.charts.schemas import CURATED_TABLES, PARTITION_COLUMN, TABLE_KEYS
from ingest_lambda.envelope import build_envelope, build_top_tracks_envelope, encode_envelope
from ingest_lambda.keys import snapshot_key, top_tracks_chart_id, top_tracks_key
from spotify_etl.local_stores import LocalWriter

pytestmark = pytest.mark.spark

RAW_V1 = FIXTURES_DIR.parent / "raw_v1"
GOLDEN_DATE = "2026-11-26"  # the recorded version-1 object's date
V1_HOUR = dt.datetime(2026, 11, 22, 7, tzinfo=dt.UTC)  # the same playlist as v1 ...
V2_HOUR = dt.datetime(2026, 11, 23, 7, tzinfo=dt.UTC)  # ... and as v2
TOP_HOUR = dt.datetime(2026, 11, 25, 7, tzinfo=dt.UTC)
CAPTURED = dt.timedelta(seconds=7)
RECORDED_USER = "1112264649"
SECOND_USER = "john.doe-99"
ODD_USER = "Ünï:x/y"  # not path-safe: goes into the key encoded


def _write(lake: Path, key: str, envelope: dict[str, Any]) -> None:
    LocalWriter(lake).write(key, encode_envelope(envelope))


def _top(user: dict[str, Any], time_range: str, tracks: list[Any], total: int) -> dict[str, Any]:
    return build_top_tracks_envelope(
        user=user,
        time_range=time_range,
        tracks=tracks,
        total=total,
        snapshot_ts=TOP_HOUR,
        captured_at=TOP_HOUR + CAPTURED,
        source="spotify-web-api",
        api_profile="extended",
    )


def build_lake(lake: Path) -> None:
    """Every kind of object the job meets after the change (see module constants)."""
    golden = (RAW_V1 / "edge_cases_snapshot.json").read_bytes().strip()
    rb.put(
        lake,
        snapshot_key("5fakeEdgeCasesPlaylist", dt.datetime(2026, 11, 26, 7, tzinfo=dt.UTC)),
        gzip.compress(golden, mtime=0),
    )
    entries = fixture_entries("playlist_tracks_page_year_precision.json")
    v1 = rb.legacy_envelope(rb.PLAYLIST_B, V1_HOUR, entries, name="Same")
    rb.put_snapshot(lake, v1)
    v2 = build_envelope(
        playlist_id=rb.PLAYLIST_B,
        metadata={"id": rb.PLAYLIST_B, "name": "Same", "snapshot_id": "snap", "owner": {}},
        entries=entries,
        snapshot_ts=V2_HOUR,
        captured_at=V2_HOUR + dt.timedelta(microseconds=123456, seconds=7),
        market="US",
        source="spotify-web-api",
        api_profile="extended",
    )
    _write(lake, snapshot_key(rb.PLAYLIST_B, V2_HOUR), v2)
    page = load_fixture("top_tracks.json")
    user = load_fixture("current_user.json")
    for user_id, time_range, size in (
        (RECORDED_USER, "short_term", 48),
        (SECOND_USER, "long_term", 48),
        (ODD_USER, "short_term", 3),
    ):
        envelope = _top({**user, "id": user_id}, time_range, page["items"][:size], page["total"])
        _write(lake, top_tracks_key(user_id, time_range, TOP_HOUR), envelope)
    # One bad object per reason, at top-tracks keys.
    good = _top(user, "medium_term", page["items"][:1], 1)
    base = top_tracks_key(RECORDED_USER, "medium_term", TOP_HOUR)
    rb.put(lake, base, encode_envelope({**good, "schema_version": 3}))
    other = top_tracks_key(SECOND_USER, "medium_term", TOP_HOUR)
    rb.put(lake, other, encode_envelope(good))  # the body's user is not the key's
    rb.put(lake, base.replace("medium_term", "weekly"), encode_envelope(good))


@pytest.fixture(scope="module")
def top_lake(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    from glue_jobs.charts.config import JobConfig
    from glue_jobs.charts.pipeline import run

    lake = tmp_path_factory.mktemp("top") / "lake"
    build_lake(lake)
    return lake, run(spark, JobConfig(str(lake)))


def read(spark: Any, lake: Path, table: str) -> Any:
    return spark.read.parquet(str(lake / "curated" / table))


def test_the_new_kind_is_quarantined_for_the_same_reasons(top_lake: Any) -> None:
    _, summary = top_lake
    assert summary["quarantined"] == {"bad_key": 1, "key_mismatch": 1, "unknown_schema_version": 1}
    assert summary["raw_objects_read"] == 9
    records = sorted((top_lake[0] / "quarantine").rglob("*.reason.json"))
    assert sorted(
        json.loads(path.read_text())["raw_key"].rsplit("/", 1)[1] for path in records
    ) == [
        "chart_id=top_tracks.medium_term.1112264649.json.gz",
        "chart_id=top_tracks.medium_term.john.doe-99.json.gz",
        "chart_id=top_tracks.weekly.1112264649.json.gz",
    ]


def _parsed(data_type: T.DataType, value: Any) -> Any:
    """A value of curated_rows.json (ISO text for dates and timestamps) as Spark reads it."""
    if value is None:
        return None
    if isinstance(data_type, T.TimestampType):
        return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    if isinstance(data_type, T.DateType):
        return dt.date.fromisoformat(value)
    return value


@pytest.mark.parametrize("table", list(CURATED_TABLES))
def test_a_version_1_object_gives_exactly_the_rows_it_gave_before(
    spark: Any, top_lake: Any, table: str
) -> None:
    """curated_rows.json: what the job wrote from this object before top-tracks charts."""
    recorded = json.loads((RAW_V1 / "curated_rows.json").read_text())[table]
    schema = made(T.StructType([f for f in CURATED_TABLES[table].fields if f.name in recorded[0]]))
    rows = [tuple(_parsed(f.dataType, row[f.name]) for f in schema.fields) for row in recorded]
    order = list(TABLE_KEYS[table])
    actual_df = read(spark, top_lake[0], table).where(
        F.col(PARTITION_COLUMN) == F.lit(GOLDEN_DATE).cast("date")
    )
    assert_df_equality(
        actual_df.select(*schema.fieldNames()).orderBy(*order),
        spark.createDataFrame(rows, schema).orderBy(*order),
    )
    if table == "chart_entry":
        assert {row["chart_kind"] for row in actual_df.collect()} == {"playlist"}


@pytest.mark.parametrize("table", list(CURATED_TABLES))
def test_the_same_playlist_as_version_1_and_2_gives_the_same_rows(
    spark: Any, top_lake: Any, table: str
) -> None:
    drop = [PARTITION_COLUMN, "snapshot_ts", "first_seen_ts", "last_seen_ts"]
    by_date = [
        read(spark, top_lake[0], table)
        .where(F.col(PARTITION_COLUMN) == F.lit(day).cast("date"))
        .drop(*drop)
        .orderBy(*[k for k in TABLE_KEYS[table] if k not in drop])
        for day in (V1_HOUR.date().isoformat(), V2_HOUR.date().isoformat())
    ]
    assert by_date[0].count() > 0
    assert_df_equality(by_date[0], by_date[1])


def test_top_tracks_of_two_users_become_chart_entries_in_rank_order(
    spark: Any, top_lake: Any
) -> None:
    items = load_fixture("top_tracks.json")["items"]
    charts = {
        top_tracks_chart_id(RECORDED_USER, "short_term"): items,
        top_tracks_chart_id(SECOND_USER, "long_term"): items,
        top_tracks_chart_id(ODD_USER, "short_term"): items[:3],
    }
    expected = [
        (chart_id, "top_tracks", rank, t["id"], t["album"]["id"], t["artists"][0]["id"],
         t["popularity"])
        for chart_id, tracks in charts.items()
        for rank, t in enumerate(tracks, start=1)
    ]  # fmt: skip
    columns = ["playlist_id", "chart_kind", "position", "song_id", "album_id",
               "primary_artist_id", "popularity"]  # fmt: skip
    actual = (
        read(spark, top_lake[0], "chart_entry")
        .where(F.col("chart_kind") == "top_tracks")
        .select(*columns)
        .orderBy("playlist_id", "position")
        .collect()
    )
    assert [tuple(row) for row in actual] == sorted(expected, key=lambda r: (r[0], r[2]))
    names = {
        row["playlist_id"]: row["playlist_name"]
        for row in read(spark, top_lake[0], "chart_entry").collect()
    }
    assert names[top_tracks_chart_id(SECOND_USER, "long_term")] == (
        "Top tracks of Joost Lekkerkerker (last year)"
    )


def test_top_tracks_feed_the_song_table(spark: Any, top_lake: Any) -> None:
    items = load_fixture("top_tracks.json")["items"]
    songs = read(spark, top_lake[0], "song").where(
        F.col(PARTITION_COLUMN) == F.lit(TOP_HOUR.date().isoformat()).cast("date")
    )
    assert sorted(row["song_id"] for row in songs.collect()) == sorted({t["id"] for t in items})
