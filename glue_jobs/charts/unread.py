"""Account for every listed raw object Spark did not turn into a row: quarantine or retry.

Spark returns one row per object it could read; the listing names every object. An object of a
rebuilt date with no row is, by the key contract and by its bytes (read on the driver, only for
these few):

- not a snapshot key (a stray file, a hidden name or folder, a `._COPYING_` file): `bad_key`;
- not gzip, truncated, a corrupt stream: `not_gzip`, `truncated`, `corrupt_gzip`;
- a gzip stream of nothing: `empty_body` (as when Spark returns a row for it, body_checks.py);
- valid gzip with a body: a read that failed in passing (ignoreCorruptFiles turns an I/O error
  into a skip). It is never quarantined at once: its date is held back (not written, not
  recorded in the state) and the next run reads it again. After MAX_DEFERRED_RUNS runs in a
  row with the same bytes it is quarantined as `unreadable`, so it cannot hold its date back
  for ever and the quarantine alarm tells someone.

None of this ever stops the run: every other object is read, written and recorded.
"""

from __future__ import annotations

import datetime as dt
import gzip
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from glue_jobs.charts.body_checks import DETAILS, EMPTY_BODY
from glue_jobs.charts.raw_keys import BAD_KEY, BAD_KEY_DETAIL, raw_date_of
from glue_jobs.charts.reader import MAX_DETAIL_CHARS, diagnose_unreadable
from glue_jobs.charts.state import RawListing
from glue_jobs.charts.storage import Storage

LOGGER = logging.getLogger(__name__)
UNREADABLE = "unreadable"
# Three runs are 18 hours at the default schedule: a passing S3 or network failure is over.
MAX_DEFERRED_RUNS = 3
Rejected = dict[str, tuple[str, str | None]]


@dataclass
class Accounting:
    """What the driver decided for the objects Spark did not return."""

    rejected: Rejected = field(default_factory=dict)
    # key -> {"fingerprint", "runs"}: held back this run, for the state.
    deferred: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def held_back(self) -> set[dt.date]:
        """The dates not to write or record this run (one of their objects is to be retried)."""
        return {day for key in self.deferred if (day := raw_date_of(key)) is not None}


def bad_keys_of(keys: Iterable[str]) -> Rejected:
    """`bad_key` for each of these keys."""
    return dict.fromkeys(sorted(keys), (BAD_KEY, BAD_KEY_DETAIL))


def diagnose_body(content: bytes) -> tuple[str, str] | None:
    """Why bytes that Spark could not turn into a row cannot be used; None if they could be."""
    diagnosis = diagnose_unreadable(content)
    if diagnosis is None and not gzip.decompress(content):
        return EMPTY_BODY, DETAILS[EMPTY_BODY]
    return diagnosis


def account_for_unread(
    storage: Storage,
    listing: RawListing,
    dates: Iterable[dt.date],
    read_keys: set[str],
    deferred_before: Mapping[str, Mapping[str, Any]],
) -> Accounting:
    """Quarantine or hold back every object of `dates` that Spark did not return (see above).

    Args:
        storage: the lake.
        listing: the run's listing.
        dates: the dates this run rebuilds.
        read_keys: the raw keys Spark returned a row for.
        deferred_before: the state's held-back objects (key -> fingerprint, runs).
    """
    dates = list(dates)
    result = Accounting(rejected=bad_keys_of(set(listing.bad_keys(dates)) - read_keys))
    fingerprints = {
        info.key: info.fingerprint for d in dates for info in listing.by_date.get(d, ())
    }
    for key in sorted(listing.snapshot_keys(dates) - read_keys):
        failure: str | None = None
        try:
            content = storage.read_bytes(key)
        except Exception as error:  # a failed GET is one more failed read: held back, bounded
            LOGGER.warning("raw object not readable on the driver", extra={"key": key})
            failure = f"{type(error).__name__}: {error}"[:MAX_DETAIL_CHARS]
        else:
            if content is None:  # deleted since the listing: nothing to account for
                continue
            diagnosis = diagnose_body(content)
            if diagnosis is not None:
                result.rejected[key] = diagnosis
                continue
        fingerprint = fingerprints[key]
        before = deferred_before.get(key, {})
        runs = int(before.get("runs", 0)) + 1 if before.get("fingerprint") == fingerprint else 1
        if runs >= MAX_DEFERRED_RUNS:
            result.rejected[key] = (UNREADABLE, _unreadable_detail(runs, failure))
        else:
            result.deferred[key] = {"fingerprint": fingerprint, "runs": runs}
    return result


def _unreadable_detail(runs: int, failure: str | None) -> str:
    how = f"the driver's read failed too ({failure})" if failure else "yet it is valid gzip"
    return f"Spark could not read it on {runs} runs in a row, {how}"[:MAX_DETAIL_CHARS]


def next_deferred(
    deferred_before: Mapping[str, dict[str, Any]],
    rebuilt: Iterable[dt.date],
    deferred_now: Mapping[str, dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    """The state's held-back objects after this run: those of dates not rebuilt stay as they
    were; those of rebuilt dates are replaced by this run's."""
    rebuilt = set(rebuilt)
    kept = {key: value for key, value in deferred_before.items() if raw_date_of(key) not in rebuilt}
    return {**kept, **deferred_now}
