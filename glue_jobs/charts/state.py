"""Incremental state: which raw date partitions changed since the last successful run."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from glue_jobs.charts.raw_keys import RAW_PREFIX, is_snapshot_key, raw_date_of, raw_date_prefix
from glue_jobs.charts.storage import ObjectInfo, Storage

STATE_KEY = "state/charts_job/raw_dates.json"
STATE_VERSION = 1


@dataclass(frozen=True)
class RawListing:
    """Raw objects grouped by their snapshot_date folder (every object in it, whatever its
    name), plus the objects outside any valid date folder (`undated`, listed only by a whole
    listing: `complete`)."""

    by_date: Mapping[dt.date, tuple[ObjectInfo, ...]]
    undated: tuple[ObjectInfo, ...] = ()
    complete: bool = True

    def bad_keys(self, dates: Iterable[dt.date]) -> list[str]:
        """The keys of these dates' folders that are not snapshot keys of the contract."""
        infos = [info for day in dates for info in self.by_date.get(day, ())]
        return sorted(info.key for info in infos if not is_snapshot_key(info.key))

    def snapshot_keys(self, dates: Iterable[dt.date]) -> set[str]:
        """The keys of these dates' folders that are snapshot keys (the ones Spark must read)."""
        infos = [info for day in dates for info in self.by_date.get(day, ())]
        return {info.key for info in infos if is_snapshot_key(info.key)}


@dataclass
class JobState:
    """Per raw date: how many objects and a digest of their keys and fingerprints; the same for
    the objects outside any date folder; and the objects whose read is held back for a retry
    (key -> fingerprint and the runs that could not read it)."""

    dates: dict[str, dict[str, object]] = field(default_factory=dict)
    undated: dict[str, object] = field(default_factory=dict)
    deferred: dict[str, dict[str, Any]] = field(default_factory=dict)


def list_raw(storage: Storage, dates: Iterable[dt.date] | None = None) -> RawListing:
    """List raw objects (keys and fingerprints only, never bodies), for all or some dates.

    A whole listing costs one request per 1,000 objects in S3: a year of hourly snapshots of
    one playlist is 9 requests, and no object is opened.
    """
    prefixes = [RAW_PREFIX] if dates is None else [raw_date_prefix(day) for day in sorted(dates)]
    by_date: dict[dt.date, list[ObjectInfo]] = {}
    undated: list[ObjectInfo] = []
    for prefix in prefixes:
        for info in storage.list_objects(prefix):
            day = raw_date_of(info.key)
            if day is None:
                undated.append(info)
            else:
                by_date.setdefault(day, []).append(info)
    return RawListing(
        {day: tuple(infos) for day, infos in by_date.items()}, tuple(undated), dates is None
    )


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
    return JobState(
        dict(document["dates"]),
        dict(document.get("undated", {})),
        dict(document.get("deferred", {})),
    )


def changed_dates(listing: RawListing, state: JobState) -> list[dt.date]:
    """Dates whose raw objects differ from what the last successful run processed."""
    return sorted(
        day
        for day, objects in listing.by_date.items()
        if state.dates.get(day.isoformat(), {}).get("digest") != digest(objects)
    )


def undated_changed(listing: RawListing, state: JobState) -> bool:
    """True when a whole listing finds objects outside the date folders that the last
    successful run did not handle (they are then quarantined as `bad_key`)."""
    return listing.complete and state.undated.get("digest") != digest(listing.undated)


def advance_state(
    storage: Storage,
    state: JobState,
    listing: RawListing,
    held_back: Collection[dt.date] = (),
) -> None:
    """Record the listed objects of the rebuilt dates, except those `held_back` (a date whose
    object could not be read this time: the next run rebuilds it); call only after every write
    succeeded. `state.deferred` is written as the caller left it."""
    for day, objects in listing.by_date.items():
        if day not in held_back:
            state.dates[day.isoformat()] = {"objects": len(objects), "digest": digest(objects)}
    if listing.complete:
        state.undated = {"objects": len(listing.undated), "digest": digest(listing.undated)}
    document: dict[str, Any] = {
        "version": STATE_VERSION,
        "dates": dict(sorted(state.dates.items())),
    }
    if state.undated:
        document["undated"] = state.undated
    if state.deferred:
        document["deferred"] = dict(sorted(state.deferred.items()))
    storage.write_bytes(STATE_KEY, json.dumps(document, indent=1).encode())
