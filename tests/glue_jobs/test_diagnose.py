"""Objects Spark did not return: named on the driver, quarantined, or held back for a retry."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path
from typing import Any

import pytest

from glue_jobs.charts.reader import diagnose_unreadable
from glue_jobs.charts.state import list_raw
from glue_jobs.charts.storage import LocalStorage
from glue_jobs.charts.unread import (
    MAX_DEFERRED_RUNS,
    account_for_unread,
    diagnose_body,
    next_deferred,
)

DAY = dt.date(2026, 11, 25)
PREFIX = "raw/playlist_snapshots/snapshot_date=2026-11-25/snapshot_hour=07/"
READ = f"{PREFIX}playlist_id=37i9dQZEVXbMDoHDwVN2tF.json.gz"
SKIPPED = f"{PREFIX}playlist_id=1Cp6VQCKf2VL4sP09jN9oX.json.gz"
GOOD = gzip.compress(b'{"schema_version": 1}', mtime=0)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "not_gzip"),
        (b"plain text", "not_gzip"),
        (GOOD[:-6], "truncated"),
        (GOOD[:-8] + b"\0\0\0\0" + GOOD[-4:], "corrupt_gzip"),
        (gzip.compress(b"", mtime=0), "empty_body"),
    ],
)
def test_diagnose_body_names_the_reason(content: bytes, reason: str) -> None:
    diagnosis = diagnose_body(content)
    assert diagnosis is not None
    assert diagnosis[0] == reason
    assert diagnosis[1]


def test_valid_gzip_with_a_body_is_not_a_diagnosis() -> None:
    assert diagnose_unreadable(GOOD) is None
    assert diagnose_body(GOOD) is None


def lake_with(tmp_path: Path, objects: dict[str, bytes]) -> LocalStorage:
    storage = LocalStorage(tmp_path)
    for key, body in objects.items():
        storage.write_bytes(key, body)
    return storage


def test_unread_objects_are_rejected_with_their_reason(tmp_path: Path) -> None:
    storage = lake_with(tmp_path, {READ: GOOD, SKIPPED: b"nope"})
    unread = account_for_unread(storage, list_raw(storage), [DAY], {READ}, {})
    assert unread.rejected == {
        SKIPPED: ("not_gzip", "the object does not start with the gzip magic bytes")
    }
    assert (unread.deferred, unread.held_back) == ({}, set())


@pytest.mark.parametrize(
    "key",
    [
        # Issue 12's triggers: a hidden folder and a file being copied (Spark skips both).
        SKIPPED.replace("snapshot_hour=07", "_backup/snapshot_hour=07"),
        f"{SKIPPED}._COPYING_",
        f"{PREFIX}.{SKIPPED[len(PREFIX) :]}",
        f"{PREFIX}notes.json.gz",
        f"{PREFIX}playlist_id=short.json.gz",
    ],
)
def test_a_valid_snapshot_under_a_bad_key_is_quarantined_not_fatal(
    tmp_path: Path, key: str
) -> None:
    storage = lake_with(tmp_path, {READ: GOOD, key: GOOD})
    unread = account_for_unread(storage, list_raw(storage), [DAY], {READ}, {})
    assert unread.rejected == {key: ("bad_key", "the key does not match the raw key pattern")}


def test_a_valid_gzip_spark_skipped_is_held_back_then_quarantined_after_three_runs(
    tmp_path: Path,
) -> None:
    storage = lake_with(tmp_path, {READ: GOOD, SKIPPED: GOOD})
    listing = list_raw(storage)
    state: dict[str, Any] = {}
    for run in range(1, MAX_DEFERRED_RUNS):
        unread = account_for_unread(storage, listing, [DAY], {READ}, state)
        assert unread.rejected == {}  # a good object is never quarantined at once
        assert unread.deferred[SKIPPED]["runs"] == run
        assert unread.held_back == {DAY}
        state = next_deferred(state, [DAY], unread.deferred)
    unread = account_for_unread(storage, listing, [DAY], {READ}, state)
    assert unread.rejected == {
        SKIPPED: ("unreadable", "Spark could not read it on 3 runs in a row, yet it is valid gzip")
    }
    assert (unread.deferred, unread.held_back) == ({}, set())


def test_a_held_back_object_that_is_read_or_rewritten_starts_again(tmp_path: Path) -> None:
    storage = lake_with(tmp_path, {READ: GOOD, SKIPPED: GOOD})
    first = account_for_unread(storage, list_raw(storage), [DAY], {READ}, {})
    state = next_deferred({}, [DAY], first.deferred)
    assert (
        account_for_unread(storage, list_raw(storage), [DAY], {READ, SKIPPED}, state).deferred == {}
    )
    storage.write_bytes(SKIPPED, gzip.compress(b'{"schema_version": 2}', mtime=0))
    again = account_for_unread(storage, list_raw(storage), [DAY], {READ}, state)
    assert again.deferred[SKIPPED]["runs"] == 1  # other bytes: a new object


def test_held_back_objects_of_dates_not_rebuilt_are_kept() -> None:
    other = SKIPPED.replace("2026-11-25", "2026-11-20")
    before = {other: {"fingerprint": "f", "runs": 2}, SKIPPED: {"fingerprint": "g", "runs": 1}}
    assert next_deferred(before, [DAY], {}) == {other: before[other]}


def test_a_failed_driver_read_is_held_back_too(tmp_path: Path) -> None:
    storage = lake_with(tmp_path, {READ: GOOD, SKIPPED: GOOD})

    class FailingReads(LocalStorage):
        def read_bytes(self, key: str) -> bytes | None:
            raise OSError("connection reset by peer")

    unread = account_for_unread(FailingReads(tmp_path), list_raw(storage), [DAY], {READ}, {})
    assert (unread.rejected, unread.held_back) == ({}, {DAY})
