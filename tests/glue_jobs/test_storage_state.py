"""The storage interface (folder and moto S3) and the incremental state built on it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from glue_jobs.charts.state import (
    STATE_KEY,
    JobState,
    advance_state,
    changed_dates,
    list_raw,
    load_state,
    undated_changed,
)
from glue_jobs.charts.storage import LocalStorage, S3Storage, Storage, storage_for

KEY_24 = "raw/playlist_snapshots/snapshot_date=2026-11-24/snapshot_hour=22/playlist_id=a.json.gz"
KEY_25 = "raw/playlist_snapshots/snapshot_date=2026-11-25/snapshot_hour=07/playlist_id=a.json.gz"
STRAY = "raw/playlist_snapshots/README.txt"
HIDDEN = "raw/playlist_snapshots/snapshot_date=2026-11-25/snapshot_hour=07/.tmp.json.gz"
BAD_DATE = "raw/playlist_snapshots/snapshot_date=2026-02-30/snapshot_hour=07/playlist_id=a.json.gz"


def test_write_read_copy_delete(storage: Storage) -> None:
    storage.write_bytes("a/b/one.bin", b"1")
    storage.write_bytes("a/b/two.bin", b"22")
    storage.write_bytes("a/bx/three.bin", b"333")
    storage.copy("a/b/one.bin", "q/a/b/one.bin")
    assert storage.read_bytes("q/a/b/one.bin") == b"1"
    assert storage.read_bytes("missing") is None
    storage.delete_prefix("a/b/")
    assert [info.key for info in storage.list_objects("a/")] == ["a/bx/three.bin"]
    storage.delete_prefix("a/b")  # a string prefix: also removes a/bx...
    assert list(storage.list_objects("a/")) == []


def test_listing_has_sizes_and_fingerprints_that_change_with_content(storage: Storage) -> None:
    storage.write_bytes(KEY_24, b"abc")
    [first] = storage.list_objects("raw/")
    assert (first.key, first.size) == (KEY_24, 3)
    storage.write_bytes(KEY_24, b"abcd")
    [second] = storage.list_objects("raw/")
    assert second.fingerprint != first.fingerprint


def test_state_finds_new_and_changed_dates_only(storage: Storage) -> None:
    for key in (KEY_24, KEY_25, STRAY, HIDDEN):
        storage.write_bytes(key, b"x")
    listing = list_raw(storage)
    assert sorted(listing.by_date) == [dt.date(2026, 11, 24), dt.date(2026, 11, 25)]
    # A hidden name in a date folder belongs to the date (and is quarantined with it).
    assert [info.key for info in listing.by_date[dt.date(2026, 11, 25)]] == sorted((HIDDEN, KEY_25))
    assert [info.key for info in listing.undated] == [STRAY]
    assert changed_dates(listing, load_state(storage)) == [
        dt.date(2026, 11, 24),
        dt.date(2026, 11, 25),
    ]
    advance_state(storage, load_state(storage), listing)
    assert changed_dates(list_raw(storage), load_state(storage)) == []

    storage.write_bytes(KEY_25.replace("hour=07", "hour=08"), b"new hour")
    assert changed_dates(list_raw(storage), load_state(storage)) == [dt.date(2026, 11, 25)]


def test_listing_some_dates_reads_only_their_folders(storage: Storage) -> None:
    storage.write_bytes(KEY_24, b"x")
    storage.write_bytes(KEY_25, b"y")
    listing = list_raw(storage, [dt.date(2026, 11, 25), dt.date(2026, 11, 26)])
    assert {day: [i.key for i in infos] for day, infos in listing.by_date.items()} == {
        dt.date(2026, 11, 25): [KEY_25]
    }


def test_state_of_another_version_is_refused(storage: Storage) -> None:
    storage.write_bytes(STATE_KEY, b'{"version": 99, "dates": {}}')
    with pytest.raises(ValueError, match="delete it to rebuild"):
        load_state(storage)
    assert load_state(LocalStorage(Path("/nonexistent"))) == JobState()


def test_storage_for_picks_by_scheme(tmp_path: Path) -> None:
    assert isinstance(storage_for(str(tmp_path)), LocalStorage)
    client: Any = object()
    s3 = storage_for("s3://bucket/some/prefix", s3_client=client)
    assert isinstance(s3, S3Storage)
    assert s3.uri("curated/song/") == "s3://bucket/some/prefix/curated/song/"


def test_objects_outside_date_folders_are_handled_once_per_change(storage: Storage) -> None:
    storage.write_bytes(KEY_24, b"x")
    assert undated_changed(list_raw(storage), load_state(storage))  # first run: record
    advance_state(storage, load_state(storage), list_raw(storage))
    assert not undated_changed(list_raw(storage), load_state(storage))
    for key in (STRAY, BAD_DATE):
        storage.write_bytes(key, b"x")
    listing = list_raw(storage)
    assert [info.key for info in listing.undated] == sorted((STRAY, BAD_DATE))
    assert undated_changed(listing, load_state(storage))
    advance_state(storage, load_state(storage), listing)
    assert not undated_changed(list_raw(storage), load_state(storage))
    # A backfill lists some dates only: it says nothing about the objects outside them.
    assert not undated_changed(list_raw(storage, [dt.date(2026, 11, 24)]), JobState())


def test_a_held_back_date_is_not_recorded(storage: Storage) -> None:
    for key in (KEY_24, KEY_25):
        storage.write_bytes(key, b"x")
    advance_state(storage, load_state(storage), list_raw(storage), [dt.date(2026, 11, 25)])
    assert changed_dates(list_raw(storage), load_state(storage)) == [dt.date(2026, 11, 25)]
