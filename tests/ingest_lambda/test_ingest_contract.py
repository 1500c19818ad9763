"""The raw contract from the Lambda's side: what it writes parses under the Glue job's schema."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
from fake_api import source_for
from ingest_helpers import FAST_POLICY, HOUR, ROOMY, fixed_clock, metadata
from spotify_fixtures import load_fixture

from glue_jobs.charts.schemas import RAW_SNAPSHOT_SCHEMA
from ingest_lambda.core import SnapshotLabels, ingest_hour
from ingest_lambda.envelope import build_envelope, build_top_tracks_envelope, encode_envelope
from ingest_lambda.settings import AuthMode
from spotify_etl.fake_spotify import EDGE_CASE_PLAYLIST_ID, FakeSpotify
from spotify_etl.local_stores import LocalWriter

RECORDED = "0123456789abcdefghijAB"


def recorded_body() -> bytes:
    entries = [
        *load_fixture("playlist_items_page_2026.json")["items"],
        *load_fixture("playlist_tracks_local_files.json")["items"],
        *load_fixture("playlist_tracks_null_track.json")["items"],
        *load_fixture("playlist_tracks_page_year_precision.json")["items"],
    ]
    envelope = build_envelope(
        playlist_id=RECORDED,
        metadata=metadata(RECORDED),
        entries=entries,
        snapshot_ts=HOUR,
        captured_at=fixed_clock(),
        market="US",
        source="spotify-web-api",
        api_profile=None,
    )
    return encode_envelope(envelope)


def recorded_top_tracks_body() -> bytes:
    page = load_fixture("top_tracks.json")
    envelope = build_top_tracks_envelope(
        user=load_fixture("current_user.json"),
        time_range="short_term",
        tracks=page["items"],
        total=page["total"],
        snapshot_ts=HOUR,
        captured_at=fixed_clock(),
        source="spotify-web-api",
        api_profile=None,
    )
    return encode_envelope(envelope)


@pytest.mark.spark
def test_written_snapshots_parse_under_the_glue_schema(spark: Any, lake: Path) -> None:
    from pyspark.sql import functions as F

    with FakeSpotify(profile="extended", now=HOUR) as fake:
        ingest_hour(
            [EDGE_CASE_PLAYLIST_ID],
            snapshot_ts=HOUR,
            source=source_for(fake, AuthMode.REFRESH_TOKEN, FAST_POLICY),
            writer=LocalWriter(lake),
            clock=fixed_clock,
            deadline=ROOMY,
            labels=SnapshotLabels(source="fake-spotify", api_profile="extended", market=None),
            top_tracks=["medium_term"],
        )
    written = [path.read_bytes() for path in sorted(lake.rglob("*.json.gz"))]
    bodies = [*written, recorded_body(), recorded_top_tracks_body()]
    texts = [gzip.decompress(body).decode() for body in bodies]
    rows = (
        spark.createDataFrame([(text,) for text in texts], "body string")
        .select(F.from_json("body", RAW_SNAPSHOT_SCHEMA, {"mode": "FAILFAST"}).alias("s"))
        .select(
            "s.schema_version",
            "s.chart.kind",
            "s.chart.id",
            "s.playlist_id",
            "s.snapshot_ts",
            F.transform("s.entries", lambda entry: entry["position"]).alias("positions"),
            F.transform("s.entries", lambda entry: entry["item"]["id"]).alias("item_ids"),
        )
        .collect()
    )
    medium = "top_tracks.medium_term.fakelistener01"
    ts = "2026-11-26T07:00:00Z"
    assert [tuple(row)[:6] for row in rows] == [
        (2, "top_tracks", medium, None, ts, list(range(1, 101))),
        (2, "playlist", EDGE_CASE_PLAYLIST_ID, EDGE_CASE_PLAYLIST_ID, ts, list(range(1, 8))),
        (2, "playlist", RECORDED, RECORDED, ts, list(range(1, 7))),
        (2, "top_tracks", "top_tracks.short_term.1112264649", None, ts, list(range(1, 49))),
    ]
    recorded_ids = [track["id"] for track in load_fixture("top_tracks.json")["items"]]
    assert rows[3]["item_ids"] == recorded_ids
