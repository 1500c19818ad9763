"""The generator writes exactly what the Lambda would write, fast enough to use at a year."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.generate import BENCH_PLAYLIST_ID, RAW_PREFIX
from ingest_lambda.envelope import SCHEMA_VERSION, decode_envelope
from ingest_lambda.keys import parse_snapshot_key
from spotify_etl.fake_spotify import content
from spotify_etl.fake_spotify.objects import DEV_2026

EXPECTED_HOURS = [
    datetime(2025, 1, 1, 22, tzinfo=UTC),
    datetime(2025, 1, 1, 23, tzinfo=UTC),
    datetime(2025, 1, 2, 0, tzinfo=UTC),
    datetime(2025, 1, 2, 1, tzinfo=UTC),
]
GZIP_MTIME_OFFSET = slice(4, 8)


def _objects(lake: Path) -> list[Path]:
    return sorted((lake / RAW_PREFIX).rglob("*.json.gz"))


def test_one_object_per_scheduled_hour_under_the_lambda_key(tiny_lake: Path) -> None:
    keys = [str(path.relative_to(tiny_lake)) for path in _objects(tiny_lake)]
    assert [parse_snapshot_key(key) for key in keys] == [
        (BENCH_PLAYLIST_ID, hour) for hour in EXPECTED_HOURS
    ]


def test_bodies_are_the_fake_hour_in_the_envelope(tiny_lake: Path) -> None:
    for path, hour in zip(_objects(tiny_lake), EXPECTED_HOURS, strict=True):
        body = path.read_bytes()
        envelope = decode_envelope(body)
        expected_entries = content.playlist_entries(BENCH_PLAYLIST_ID, hour, DEV_2026)
        assert body[GZIP_MTIME_OFFSET] == b"\0\0\0\0"
        assert gzip.decompress(body).count(b"\n") == 0
        assert envelope["schema_version"] == SCHEMA_VERSION
        assert envelope["snapshot_ts"] == hour.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert envelope["api_profile"] == DEV_2026
        assert envelope["entries"] == [
            {**entry, "position": position}
            for position, entry in enumerate(expected_entries, start=1)
        ]
        assert len(envelope["entries"]) == 100
