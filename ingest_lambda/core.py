"""One scheduled hour: fetch each playlist, build its envelope, write it; report every outcome."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from ingest_lambda.envelope import build_envelope, encode_envelope
from ingest_lambda.errors import IngestError, IngestRunError
from ingest_lambda.keys import format_timestamp, snapshot_key, truncate_to_hour
from ingest_lambda.retry import Deadline
from ingest_lambda.source import PlaylistSource
from ingest_lambda.storage import Writer

LOGGER = logging.getLogger("ingest_lambda.core")
WRITTEN, FAILED, SKIPPED = "written", "failed", "skipped"


@dataclass(frozen=True)
class SnapshotLabels:
    """What the envelope says about where the data came from."""

    source: str
    api_profile: str | None
    market: str | None


@dataclass(frozen=True)
class PlaylistOutcome:
    """What happened to one playlist in one hour."""

    playlist_id: str
    status: str
    key: str
    entries: int = 0
    attempts: int = 0
    duration_ms: int = 0
    location: str | None = None
    error_code: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class RunSummary:
    """The outcome of one invocation (returned by the handler, logged)."""

    snapshot_ts: datetime
    outcomes: tuple[PlaylistOutcome, ...]

    @property
    def failed(self) -> tuple[PlaylistOutcome, ...]:
        """Outcomes that are not `written`."""
        return tuple(outcome for outcome in self.outcomes if outcome.status != WRITTEN)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "snapshot_ts": format_timestamp(self.snapshot_ts),
            "written": sum(outcome.status == WRITTEN for outcome in self.outcomes),
            "failed": sum(outcome.status == FAILED for outcome in self.outcomes),
            "skipped": sum(outcome.status == SKIPPED for outcome in self.outcomes),
            "playlists": [asdict(outcome) for outcome in self.outcomes],
        }


def ingest_playlist(
    playlist_id: str,
    *,
    snapshot_ts: datetime,
    source: PlaylistSource,
    writer: Writer,
    clock: Callable[[], datetime],
    deadline: Deadline,
    labels: SnapshotLabels,
) -> PlaylistOutcome:
    """Fetch one playlist completely and write its snapshot, or raise without writing."""
    key = snapshot_key(playlist_id, snapshot_ts)
    started = time.monotonic()
    fetched = source.fetch(playlist_id, deadline)
    envelope = build_envelope(
        playlist_id=playlist_id,
        metadata=fetched.metadata,
        entries=fetched.entries,
        snapshot_ts=snapshot_ts,
        captured_at=clock(),
        market=labels.market,
        source=labels.source,
        api_profile=labels.api_profile,
    )
    location = writer.write(key, encode_envelope(envelope))
    return PlaylistOutcome(
        playlist_id=playlist_id,
        status=WRITTEN,
        key=key,
        entries=len(fetched.entries),
        attempts=fetched.attempts,
        duration_ms=round((time.monotonic() - started) * 1000),
        location=location,
    )


def ingest_hour(
    playlist_ids: Sequence[str],
    *,
    snapshot_ts: datetime,
    source: PlaylistSource,
    writer: Writer,
    clock: Callable[[], datetime],
    deadline: Deadline,
    labels: SnapshotLabels,
) -> RunSummary:
    """Ingest every playlist for the scheduled hour; one failure does not stop the others.

    An error that would fail every playlist alike (credentials, quota, no time left) marks
    the rest `skipped` instead of repeating it. Call `raise_for_failures` on the result.
    """
    hour = truncate_to_hour(snapshot_ts)
    # Every id is checked before the first request: a typo refuses the whole run at once.
    keys = [snapshot_key(playlist_id, hour) for playlist_id in playlist_ids]
    outcomes: list[PlaylistOutcome] = []
    stop: IngestError | None = None
    for playlist_id, key in zip(playlist_ids, keys, strict=True):
        if stop is not None:
            outcomes.append(_skipped(playlist_id, key, stop))
            continue
        started = time.monotonic()
        try:
            outcome = ingest_playlist(
                playlist_id,
                snapshot_ts=hour,
                source=source,
                writer=writer,
                clock=clock,
                deadline=deadline,
                labels=labels,
            )
        except IngestError as error:
            outcome = _failed(playlist_id, key, error, started)
            LOGGER.error(error, extra=_log_fields(outcome))
            stop = error if error.fatal_for_run else None
        except Exception as error:
            # Unexpected (a bug, S3 refusing): keep it for the end, let the others run.
            outcome = _failed(playlist_id, key, error, started)
            LOGGER.exception("unexpected failure", extra=_log_fields(outcome))
        else:
            LOGGER.info("snapshot written", extra=_log_fields(outcome))
        outcomes.append(outcome)
    return RunSummary(snapshot_ts=hour, outcomes=tuple(outcomes))


def raise_for_failures(summary: RunSummary) -> None:
    """Raise `IngestRunError` naming every playlist that was not written.

    Raising makes the platform retry the invocation (the written keys are overwritten with
    equal content) and the error alarm fire.
    """
    if not summary.failed:
        return
    details = "; ".join(
        f"{outcome.playlist_id}: {outcome.error_code}: {outcome.error}"
        for outcome in summary.failed
    )
    raise IngestRunError(
        f"{len(summary.failed)} of {len(summary.outcomes)} playlists not written for "
        f"{format_timestamp(summary.snapshot_ts)}: {details}"
    )


def _failed(playlist_id: str, key: str, error: Exception, started: float) -> PlaylistOutcome:
    return PlaylistOutcome(
        playlist_id=playlist_id,
        status=FAILED,
        key=key,
        duration_ms=round((time.monotonic() - started) * 1000),
        error_code=getattr(error, "code", type(error).__name__),
        error=str(error),
    )


def _skipped(playlist_id: str, key: str, cause: IngestError) -> PlaylistOutcome:
    return PlaylistOutcome(
        playlist_id=playlist_id,
        status=SKIPPED,
        key=key,
        error_code=cause.code,
        error=f"not tried: an earlier playlist failed with {cause.code}",
    )


def _log_fields(outcome: PlaylistOutcome) -> dict[str, Any]:
    return {name: value for name, value in asdict(outcome).items() if value is not None}
