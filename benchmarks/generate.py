"""Write N hourly raw snapshots of one playlist straight into a lake, on every core."""

from __future__ import annotations

import gzip
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks import payload

RAW_PREFIX = "raw/playlist_snapshots"
BENCH_PLAYLIST_ID = "37i9dQZEVXbMDoHDwVN2tF"
BENCH_START = datetime(2025, 1, 1, tzinfo=UTC)
GZIP_LEVEL = 6
DEFAULT_SEED = 7
CAPTURE_DELAY = timedelta(seconds=2, microseconds=123456)
# Hours per task: big enough to amortise process start-up, small enough to balance two cores.
CHUNK_HOURS = 168


@dataclass(frozen=True)
class GenerateSpec:
    """What to generate: `hours` consecutive scheduled hours starting at hour `first_hour`."""

    lake: Path
    hours: int
    first_hour: int = 0
    start: datetime = BENCH_START
    playlist_id: str = BENCH_PLAYLIST_ID
    seed: int = DEFAULT_SEED


def scheduled_hour(spec: GenerateSpec, hour_index: int) -> datetime:
    """The scheduled UTC hour of the `hour_index`-th snapshot."""
    return spec.start + timedelta(hours=hour_index)


def raw_key(playlist_id: str, hour: datetime) -> str:
    """The raw object key of one playlist snapshot (docs/data-model.md)."""
    return (
        f"{RAW_PREFIX}/snapshot_date={hour:%Y-%m-%d}/snapshot_hour={hour:%H}/"
        f"playlist_id={playlist_id}.json.gz"
    )


def snapshot_body(spec: GenerateSpec, hour_index: int) -> bytes:
    """The gzip single-line JSON envelope of one snapshot, as the Lambda writes it."""
    hour = scheduled_hour(spec, hour_index)
    entries = payload.playlist_entries(hour_index, spec.seed)
    envelope: dict[str, Any] = {
        "schema_version": 1,
        "source": "fake-spotify",
        "api_profile": "extended",
        "playlist_id": spec.playlist_id,
        "playlist": {
            "id": spec.playlist_id,
            "name": "Top 50 - Global",
            "snapshot_id": f"snap-{hour_index}",
            "owner": {"id": "spotify", "display_name": "Spotify"},
            "followers": {"total": 20_000_000},
        },
        "snapshot_ts": f"{hour:%Y-%m-%dT%H:%M:%SZ}",
        "captured_at": (hour + CAPTURE_DELAY)
        .isoformat(timespec="microseconds")
        .replace("+00:00", "Z"),
        "market": None,
        "entries": [{**entry, "position": rank} for rank, entry in enumerate(entries, start=1)],
    }
    document = json.dumps(envelope, separators=(",", ":"), ensure_ascii=False)
    return gzip.compress(document.encode("utf-8"), compresslevel=GZIP_LEVEL, mtime=0)


def _write_chunk(spec: GenerateSpec, first: int, stop: int) -> tuple[int, int]:
    written_bytes = 0
    for hour_index in range(first, stop):
        path = spec.lake / raw_key(spec.playlist_id, scheduled_hour(spec, hour_index))
        path.parent.mkdir(parents=True, exist_ok=True)
        body = snapshot_body(spec, hour_index)
        path.write_bytes(body)
        written_bytes += len(body)
    return stop - first, written_bytes


def generate(spec: GenerateSpec, workers: int | None = None) -> dict[str, Any]:
    """Write the snapshots on `workers` processes (default: every core); return counts."""
    stop = spec.first_hour + spec.hours
    chunks = [
        (first, min(first + CHUNK_HOURS, stop))
        for first in range(spec.first_hour, stop, CHUNK_HOURS)
    ]
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(chunks) == 1:
        results = [_write_chunk(spec, first, last) for first, last in chunks]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_write_chunk, spec, first, last) for first, last in chunks]
            results = [future.result() for future in futures]
    objects = sum(count for count, _ in results)
    total_bytes = sum(size for _, size in results)
    return {
        "objects": objects,
        "bytes": total_bytes,
        "mean_object_bytes": total_bytes // max(objects, 1),
    }
