"""Objects Spark could not decompress: named on the driver, or the run stops."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest

from glue_jobs.charts.pipeline import ObjectStats, diagnose_unread
from glue_jobs.charts.reader import diagnose_unreadable
from glue_jobs.charts.state import list_raw
from glue_jobs.charts.storage import LocalStorage

DAY = dt.date(2026, 11, 25)
PREFIX = "raw/playlist_snapshots/snapshot_date=2026-11-25/snapshot_hour=07/"
GOOD = gzip.compress(b'{"schema_version": 1}', mtime=0)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "not_gzip"),
        (b"plain text", "not_gzip"),
        (GOOD[:-6], "truncated"),
        (GOOD[:-8] + b"\0\0\0\0" + GOOD[-4:], "corrupt_gzip"),
    ],
)
def test_diagnose_unreadable_names_the_reason(content: bytes, reason: str) -> None:
    diagnosis = diagnose_unreadable(content)
    assert diagnosis is not None
    assert diagnosis[0] == reason
    assert diagnosis[1]


def test_valid_gzip_is_not_a_diagnosis() -> None:
    assert diagnose_unreadable(GOOD) is None


def test_unread_objects_are_rejected_with_their_reason(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    storage.write_bytes(f"{PREFIX}read.json.gz", GOOD)
    storage.write_bytes(f"{PREFIX}broken.json.gz", b"nope")
    stats = ObjectStats(read_keys={f"{PREFIX}read.json.gz"})
    diagnose_unread(storage, list_raw(storage), [DAY], stats)
    assert stats.rejected == {
        f"{PREFIX}broken.json.gz": (
            "not_gzip",
            "the object does not start with the gzip magic bytes",
        )
    }
    assert stats.read_keys == {f"{PREFIX}read.json.gz", f"{PREFIX}broken.json.gz"}


def test_a_valid_object_spark_skipped_stops_the_run(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    storage.write_bytes(f"{PREFIX}skipped.json.gz", GOOD)
    with pytest.raises(RuntimeError, match="valid gzip: run again"):
        diagnose_unread(storage, list_raw(storage), [DAY], ObjectStats())
