"""The real Glue job on raw snapshots of the chart scenario, crawled, answers like the test lake.

playlist_1 lands as a playlist, playlist_2 as a top-tracks chart: every named query answers the
same for both kinds of chart.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from chart_lake import ALBUMS, ARTISTS, CHARTS, PLAYLISTS, SONGS
from curated_parquet import arrow_schema
from test_athena_named_queries import EXPECTED

from glue_jobs.charts.schemas import CURATED_TABLES
from ingest_lambda.envelope import build_top_tracks_envelope, encode_envelope
from ingest_lambda.keys import top_tracks_chart_id, top_tracks_key
from spotify_etl.catalog import crawl, open_catalog
from spotify_etl.catalog.hive_types import hive_type
from spotify_etl.local_stores import LocalWriter
from spotify_etl.query import named_queries, run_athena_sql

pytestmark = pytest.mark.spark

_RAW_BUILDER = Path(__file__).resolve().parent.parent / "glue_jobs" / "glue_raw_builder.py"
# The job checks raw keys: playlist ids are 22 base62 characters; playlist_2 is a user's top
# tracks (decision 0086: chart_entry.playlist_id is the chart id of either kind).
TOP_USER = {"id": "viral.listener", "display_name": "Viral Hits"}
PLAYLIST_IDS = {
    "playlist_1": "37i9dQZEVXbMDoHDwVN2tF",
    "playlist_2": top_tracks_chart_id(TOP_USER["id"], "short_term"),
}
CHART_NAMES = {"Viral Hits": "Top tracks of Viral Hits (last 4 weeks)"}
UNKNOWN_RELEASE_DATE = "0000"


def _raw_builder() -> ModuleType:
    # tests/ is not a package: load the Glue job area's raw builder by path.
    spec = importlib.util.spec_from_file_location("athena_raw_builder", _RAW_BUILDER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write_raw_snapshots(lake: Path) -> None:
    raw = _raw_builder()
    for (playlist, snapshot_ts), song_ids in CHARTS.items():
        entries: list[dict[str, Any]] = []
        for song_id in song_ids:
            old_name, new_name, album_id, artist_ids = SONGS[song_id]
            year = ALBUMS[album_id]
            entries.append(
                raw.track_entry(
                    song_id,
                    album_id,
                    [raw.artist(a, ARTISTS[a]) for a in artist_ids],
                    name=old_name if snapshot_ts.day == 25 else new_name,
                    release_date=UNKNOWN_RELEASE_DATE if year is None else str(year),
                    precision="year",
                )
            )
        if playlist == "playlist_2":
            _put_top_tracks(lake, snapshot_ts, [entry["item"] for entry in entries])
            continue
        body = raw.envelope(
            PLAYLIST_IDS[playlist], snapshot_ts.replace(tzinfo=None), entries, PLAYLISTS[playlist]
        )
        raw.put_snapshot(lake, body)


def _put_top_tracks(lake: Path, snapshot_ts: Any, tracks: list[dict[str, Any]]) -> None:
    envelope = build_top_tracks_envelope(
        user=TOP_USER,
        time_range="short_term",
        tracks=tracks,
        total=len(tracks),
        snapshot_ts=snapshot_ts,
        captured_at=snapshot_ts,
        source="spotify-web-api",
        api_profile="dev-2026",
    )
    key = top_tracks_key(TOP_USER["id"], "short_term", snapshot_ts)
    LocalWriter(lake).write(key, encode_envelope(envelope))


@pytest.fixture(scope="module")
def job_lake(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Raw snapshots of the scenario, turned into curated tables by the job, then crawled."""
    from glue_jobs.charts.config import JobConfig
    from glue_jobs.charts.pipeline import run

    lake = tmp_path_factory.mktemp("job") / "lake"
    _write_raw_snapshots(lake)
    run(spark, JobConfig(lake_root=str(lake)))
    crawl(lake)
    return lake


def _with_real_playlist_ids(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    real = PLAYLIST_IDS | CHART_NAMES
    return [tuple(real.get(v, v) if isinstance(v, str) else v for v in r) for r in rows]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_named_query_on_the_jobs_output(job_lake: Path, name: str) -> None:
    result = run_athena_sql(job_lake, named_queries()[name].sql)

    columns, rows = EXPECTED[name]
    assert result.columns == columns
    expected = _with_real_playlist_ids(rows)
    # The real ids sort the other way round: compare each playlist's rows in order.
    for playlist_id in PLAYLIST_IDS.values():
        assert [r for r in result.rows if r[0] == playlist_id] == [
            r for r in expected if r[0] == playlist_id
        ], playlist_id
    assert len(result.rows) == len(expected)


def test_the_jobs_files_catalogue_as_the_declared_schemas(job_lake: Path) -> None:
    con = open_catalog(job_lake)
    try:
        rows = con.execute(
            "SELECT table_name, column_name, column_type FROM glue.columns "
            "WHERE NOT is_partition_key ORDER BY table_name, ordinal"
        ).fetchall()
    finally:
        con.close()

    expected = [
        (table, field.name, hive_type(field.type))
        for table in sorted(CURATED_TABLES)
        for field in arrow_schema(table)
    ]
    assert rows == expected
