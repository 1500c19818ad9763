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
from ingest_lambda.envelope import build_envelope, encode_envelope
from ingest_lambda.settings import AuthMode
from ingest_lambda.storage import LocalWriter
from spotify_etl.fake_spotify import EDGE_CASE_PLAYLIST_ID, FakeSpotify

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


@pytest.mark.spark
def test_written_snapshots_parse_under_the_glue_schema(spark: Any, lake: Path) -> None:
    from pyspark.sql import functions as F

    with FakeSpotify(profile="extended", now=HOUR) as fake:
        ingest_hour(
            [EDGE_CASE_PLAYLIST_ID],
            snapshot_ts=HOUR,
            source=source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY),
            writer=LocalWriter(lake),
            clock=fixed_clock,
            deadline=ROOMY,
            labels=SnapshotLabels(source="fake-spotify", api_profile="extended", market=None),
        )
    [written] = list(lake.rglob("*.json.gz"))
    texts = [gzip.decompress(body).decode() for body in (written.read_bytes(), recorded_body())]
    rows = (
        spark.createDataFrame([(text,) for text in texts], "body string")
        .select(F.from_json("body", RAW_SNAPSHOT_SCHEMA, {"mode": "FAILFAST"}).alias("s"))
        .select(
            "s.schema_version",
            "s.playlist_id",
            "s.snapshot_ts",
            F.transform("s.entries", lambda entry: entry["position"]).alias("positions"),
        )
        .collect()
    )
    assert [tuple(row) for row in rows] == [
        (1, EDGE_CASE_PLAYLIST_ID, "2026-11-26T07:00:00Z", list(range(1, 8))),
        (1, RECORDED, "2026-11-26T07:00:00Z", list(range(1, 7))),
    ]
