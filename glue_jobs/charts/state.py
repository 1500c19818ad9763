"""Incremental state: which raw date partitions changed since the last successful run."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from glue_jobs.charts.storage import ObjectInfo, Storage

RAW_PREFIX = "raw/playlist_snapshots/"
STATE_KEY = "state/charts_job/raw_dates.json"
STATE_VERSION = 1
HIDDEN_PREFIXES = (".", "_")
_DATE_FOLDER = re.compile(r"^snapshot_date=(\d{4}-\d{2}-\d{2})/")


@dataclass(frozen=True)
class RawListing:
    """Raw objects grouped by their snapshot_date folder, plus keys outside any date folder."""

    by_date: Mapping[dt.date, tuple[ObjectInfo, ...]]
    ignored_keys: tuple[str, ...] = ()


@dataclass
class JobState:
    """Per raw date: how many objects and a digest of their keys and fingerprints."""

    dates: dict[str, dict[str, object]] = field(default_factory=dict)


def raw_date_prefix(day: dt.date) -> str:
    """The folder prefix of one raw date partition."""
    return f"{RAW_PREFIX}snapshot_date={day.isoformat()}/"


def _date_of(key: str) -> dt.date | None:
    match = _DATE_FOLDER.match(key[len(RAW_PREFIX) :])
    if match is None:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def list_raw(storage: Storage, dates: Iterable[dt.date] | None = None) -> RawListing:
    """List raw objects (keys and fingerprints only, never bodies), for all or some dates.

    A whole listing costs one request per 1,000 objects in S3: a year of hourly snapshots of
    one playlist is 9 requests, and no object is opened.
    """
    prefixes = [RAW_PREFIX] if dates is None else [raw_date_prefix(day) for day in sorted(dates)]
    by_date: dict[dt.date, list[ObjectInfo]] = {}
    ignored: list[str] = []
    for prefix in prefixes:
        for info in storage.list_objects(prefix):
            day = _date_of(info.key)
            # Spark skips hidden names (".x", "_x"): they are not snapshots and never read.
            if day is None or info.key.rsplit("/", 1)[-1][:1] in HIDDEN_PREFIXES:
                ignored.append(info.key)
            else:
                by_date.setdefault(day, []).append(info)
    return RawListing({day: tuple(infos) for day, infos in by_date.items()}, tuple(ignored))


def digest(objects: Iterable[ObjectInfo]) -> str:
    """A digest of keys and fingerprints: it changes when any object is added or rewritten."""
    sha = hashlib.sha256()
    for info in sorted(objects, key=lambda item: item.key):
        sha.update(f"{info.key}\0{info.fingerprint}\n".encode())
    return sha.hexdigest()


def load_state(storage: Storage) -> JobState:
    """Read the state object; a missing one means nothing was processed yet."""
    body = storage.read_bytes(STATE_KEY)
    if body is None:
        return JobState()
    document = json.loads(body)
    if document.get("version") != STATE_VERSION:
        raise ValueError(
            f"{STATE_KEY} has version {document.get('version')!r}, expected {STATE_VERSION}: "
            "delete it to rebuild every date, or run a newer job"
        )
    return JobState(dict(document["dates"]))


def changed_dates(listing: RawListing, state: JobState) -> list[dt.date]:
    """Dates whose raw objects differ from what the last successful run processed."""
    return sorted(
        day
        for day, objects in listing.by_date.items()
        if state.dates.get(day.isoformat(), {}).get("digest") != digest(objects)
    )


def advance_state(storage: Storage, state: JobState, listing: RawListing) -> None:
    """Record the listed objects of the rebuilt dates; call only after every write succeeded."""
    for day, objects in listing.by_date.items():
        state.dates[day.isoformat()] = {"objects": len(objects), "digest": digest(objects)}
    document = {"version": STATE_VERSION, "dates": dict(sorted(state.dates.items()))}
    storage.write_bytes(STATE_KEY, json.dumps(document, indent=1).encode())
