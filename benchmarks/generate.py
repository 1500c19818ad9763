"""Write N hourly raw snapshots of one playlist straight into a lake, on every core.

Each object is what the Lambda would land for that hour: the fake's entries and metadata for the
hour, wrapped and encoded by the Lambda's own envelope and key functions (docs/data-model.md).
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ingest_lambda.envelope import SOURCE_FAKE, build_envelope, encode_envelope
from ingest_lambda.keys import RAW_SNAPSHOTS_PREFIX, snapshot_key
from spotify_etl.fake_spotify import content
from spotify_etl.fake_spotify.ids import DEFAULT_SEED, USER_CHART_PLAYLIST_ID
from spotify_etl.fake_spotify.objects import DEV_2026

RAW_PREFIX = RAW_SNAPSHOTS_PREFIX.rstrip("/")
# A development-mode app under the 2026 rules reads a user's copy of a chart (API.md section 1).
BENCH_PLAYLIST_ID = USER_CHART_PLAYLIST_ID
BENCH_PROFILE = DEV_2026
# 2025 has 365 days: a year of hours fills exactly 365 snapshot_date partitions.
BENCH_START = datetime(2025, 1, 1, tzinfo=UTC)
# Two 50-entry pages a couple of seconds after the scheduled hour.
CAPTURE_DELAY = timedelta(seconds=2, microseconds=345_678)
# Hours per task: big enough to amortise process start-up, small enough to balance the cores.
CHUNK_HOURS = 168
GZIP_ISIZE_BYTES = 4


@dataclass(frozen=True)
class GenerateSpec:
    """What to generate: `hours` consecutive scheduled hours starting at hour `first_hour`."""

    lake: Path
    hours: int
    first_hour: int = 0
    start: datetime = BENCH_START
    playlist_id: str = BENCH_PLAYLIST_ID
    seed: int = DEFAULT_SEED
    # The fake's playlist whose entries and metadata fill the bodies, and the API profile.
    content_id: str = BENCH_PLAYLIST_ID
    profile: str = BENCH_PROFILE


def scheduled_hour(spec: GenerateSpec, hour_index: int) -> datetime:
    """The scheduled UTC hour of the `hour_index`-th snapshot."""
    return spec.start + timedelta(hours=hour_index)


def snapshot_object(spec: GenerateSpec, hour_index: int) -> tuple[str, bytes]:
    """The key and gzip body the Lambda would write for one scheduled hour."""
    hour = scheduled_hour(spec, hour_index)
    envelope = build_envelope(
        playlist_id=spec.playlist_id,
        metadata=content.playlist_object(spec.content_id, hour, spec.profile, spec.seed),
        entries=content.playlist_entries(spec.content_id, hour, spec.profile, spec.seed),
        snapshot_ts=hour,
        captured_at=hour + CAPTURE_DELAY,
        market=None,
        source=SOURCE_FAKE,
        api_profile=spec.profile,
    )
    return snapshot_key(spec.playlist_id, hour), encode_envelope(envelope)


def _write_chunk(spec: GenerateSpec, first: int, stop: int) -> tuple[int, int, int]:
    written_bytes = json_bytes = 0
    for hour_index in range(first, stop):
        key, body = snapshot_object(spec, hour_index)
        path = spec.lake / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        written_bytes += len(body)
        # The gzip trailer's ISIZE: the uncompressed length (objects are far below 4 GiB).
        json_bytes += int.from_bytes(body[-GZIP_ISIZE_BYTES:], "little")
    return stop - first, written_bytes, json_bytes


def generate(spec: GenerateSpec, workers: int | None = None) -> dict[str, Any]:
    """Write the snapshots on `workers` processes (default: every core); return counts."""
    stop = spec.first_hour + spec.hours
    starts = range(spec.first_hour, stop, CHUNK_HOURS)
    chunks = [(first, min(first + CHUNK_HOURS, stop)) for first in starts]
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(chunks) == 1:
        results = [_write_chunk(spec, first, last) for first, last in chunks]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_write_chunk, spec, first, last) for first, last in chunks]
            results = [future.result() for future in futures]
    objects = sum(count for count, _, _ in results)
    total_bytes = sum(size for _, size, _ in results)
    return {
        "objects": objects,
        "bytes": total_bytes,
        "mean_bytes": total_bytes // max(objects, 1),
        "json_bytes": sum(size for _, _, size in results),
    }


def chart_playlist_id(index: int) -> str:
    """The playlist id of the `index`-th chart of the many-charts benchmark (22 base62 chars)."""
    return f"fakeChart{index:013d}"


def generate_charts(lake: Path, charts: int, hours: int) -> dict[str, Any]:
    """`charts` playlists of `hours` hourly snapshots each; every chart its own content seed."""
    totals: dict[str, Any] = {"objects": 0, "bytes": 0, "json_bytes": 0}
    for index in range(charts):
        spec = GenerateSpec(
            lake, hours, playlist_id=chart_playlist_id(index), seed=DEFAULT_SEED + index
        )
        made = generate(spec)
        for name in totals:
            totals[name] += made[name]
    totals["mean_bytes"] = totals["bytes"] // max(totals["objects"], 1)
    return totals
