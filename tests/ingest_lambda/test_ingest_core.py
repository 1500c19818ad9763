"""The hour's run with injected source, writer and clock: isolation, all or nothing, reruns."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import (
    HOUR,
    PLAYLIST_A,
    PLAYLIST_B,
    PLAYLIST_C,
    ROOMY,
    BoomError,
    MemoryWriter,
    ScriptedSource,
    entry,
    fixed_clock,
    metadata,
)

from ingest_lambda.core import RunSummary, SnapshotLabels, ingest_hour, raise_for_failures
from ingest_lambda.envelope import decode_envelope
from ingest_lambda.errors import IngestRunError, InvalidCredentialsError
from ingest_lambda.keys import snapshot_key
from ingest_lambda.source import FetchedPlaylist
from spotify_etl.local_stores import LocalWriter

LABELS = SnapshotLabels(source="fake-spotify", api_profile="extended", market=None)


def fetched(playlist_id: str, size: int, attempts: int = 2) -> FetchedPlaylist:
    return FetchedPlaylist(
        metadata=metadata(playlist_id),
        entries=[entry(number) for number in range(size)],
        attempts=attempts,
    )


def run(source: ScriptedSource, writer: MemoryWriter | LocalWriter, ids: list[str]) -> RunSummary:
    return ingest_hour(
        ids,
        snapshot_ts=HOUR.replace(minute=3),
        source=source,
        writer=writer,
        clock=fixed_clock,
        deadline=ROOMY,
        labels=LABELS,
    )


def test_one_failing_playlist_does_not_stop_the_others() -> None:
    source = ScriptedSource(
        {
            PLAYLIST_A: fetched(PLAYLIST_A, 3),
            PLAYLIST_B: BoomError("b broke"),
            PLAYLIST_C: fetched(PLAYLIST_C, 100, attempts=3),
        }
    )
    writer = MemoryWriter()
    summary = run(source, writer, [PLAYLIST_A, PLAYLIST_B, PLAYLIST_C])
    assert sorted(writer.objects) == sorted(
        [snapshot_key(PLAYLIST_A, HOUR), snapshot_key(PLAYLIST_C, HOUR)]
    )
    result = summary.as_dict()
    for outcome in result["playlists"]:
        outcome["duration_ms"] = 0
    assert result == {
        "snapshot_ts": "2026-11-26T07:00:00Z",
        "written": 2,
        "failed": 1,
        "skipped": 0,
        "playlists": [
            {
                "playlist_id": PLAYLIST_A,
                "status": "written",
                "key": snapshot_key(PLAYLIST_A, HOUR),
                "entries": 3,
                "attempts": 2,
                "duration_ms": 0,
                "location": f"memory://{snapshot_key(PLAYLIST_A, HOUR)}",
                "error_code": None,
                "error": None,
                "chart_kind": "playlist",
            },
            {
                "playlist_id": PLAYLIST_B,
                "status": "failed",
                "key": snapshot_key(PLAYLIST_B, HOUR),
                "entries": 0,
                "attempts": 0,
                "duration_ms": 0,
                "location": None,
                "error_code": "boom",
                "error": "b broke",
                "chart_kind": "playlist",
            },
            {
                "playlist_id": PLAYLIST_C,
                "status": "written",
                "key": snapshot_key(PLAYLIST_C, HOUR),
                "entries": 100,
                "attempts": 3,
                "duration_ms": 0,
                "location": f"memory://{snapshot_key(PLAYLIST_C, HOUR)}",
                "error_code": None,
                "error": None,
                "chart_kind": "playlist",
            },
        ],
    }
    with pytest.raises(IngestRunError, match=f"1 of 3 charts not written .* {PLAYLIST_B}: boom"):
        raise_for_failures(summary)


def test_an_error_that_would_fail_every_playlist_skips_the_rest() -> None:
    source = ScriptedSource(
        {
            PLAYLIST_A: InvalidCredentialsError("memory", "Invalid client"),
            PLAYLIST_B: fetched(PLAYLIST_B, 1),
        }
    )
    summary = run(source, MemoryWriter(), [PLAYLIST_A, PLAYLIST_B])
    assert [(o.status, o.error_code) for o in summary.outcomes] == [
        ("failed", "invalid_credentials"),
        ("skipped", "invalid_credentials"),
    ]
    assert source.calls == [PLAYLIST_A]


def test_an_unexpected_exception_is_kept_for_the_end() -> None:
    source = ScriptedSource({PLAYLIST_A: RuntimeError("bug"), PLAYLIST_B: fetched(PLAYLIST_B, 1)})
    summary = run(source, MemoryWriter(), [PLAYLIST_A, PLAYLIST_B])
    assert [(o.status, o.error_code) for o in summary.outcomes] == [
        ("failed", "RuntimeError"),
        ("written", None),
    ]
    with pytest.raises(IngestRunError, match="RuntimeError: bug"):
        raise_for_failures(summary)


def test_nothing_is_written_for_a_failed_playlist(lake: Path) -> None:
    run(ScriptedSource({PLAYLIST_A: BoomError("half a playlist")}), LocalWriter(lake), [PLAYLIST_A])
    assert [path for path in lake.rglob("*") if path.is_file()] == []


def test_a_rerun_overwrites_with_identical_bytes(lake: Path) -> None:
    source = ScriptedSource({PLAYLIST_A: fetched(PLAYLIST_A, 60)})
    run(source, LocalWriter(lake), [PLAYLIST_A])
    path = lake / snapshot_key(PLAYLIST_A, HOUR)
    first = path.read_bytes()
    first_mtime_ns = path.stat().st_mtime_ns
    run(source, LocalWriter(lake), [PLAYLIST_A])
    assert [p for p in lake.rglob("*") if p.is_file()] == [path]
    assert path.read_bytes() == first
    # Same bytes: the file is left alone, so the Glue job's size+mtime fingerprint is unchanged.
    assert path.stat().st_mtime_ns == first_mtime_ns
    envelope = decode_envelope(first)
    assert [kept["position"] for kept in envelope["entries"]] == list(range(1, 61))
    assert (envelope["snapshot_ts"], envelope["captured_at"]) == (
        "2026-11-26T07:00:00Z",
        "2026-11-26T07:00:12.345678Z",
    )


def test_a_rerun_with_a_changed_playlist_replaces_the_object(lake: Path) -> None:
    run(ScriptedSource({PLAYLIST_A: fetched(PLAYLIST_A, 5)}), LocalWriter(lake), [PLAYLIST_A])
    path = lake / snapshot_key(PLAYLIST_A, HOUR)
    first_stat = path.stat()
    run(ScriptedSource({PLAYLIST_A: fetched(PLAYLIST_A, 4)}), LocalWriter(lake), [PLAYLIST_A])
    assert len(decode_envelope(path.read_bytes())["entries"]) == 4
    assert path.stat().st_ino != first_stat.st_ino  # replaced by a rename, not edited in place


def test_local_writer_refuses_keys_outside_raw(lake: Path) -> None:
    with pytest.raises(ValueError, match="refusing to write outside"):
        LocalWriter(lake).write("raw/playlist_snapshots/../../etc/x", b"")
    with pytest.raises(ValueError, match="refusing to write outside"):
        LocalWriter(lake).write("curated/x", b"")
