"""One scheduled hour: fetch each chart (playlists, top tracks), envelope it, write it; report."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from ingest_lambda.envelope import (
    PLAYLIST_KIND,
    build_envelope,
    build_top_tracks_envelope,
    encode_envelope,
)
from ingest_lambda.errors import IngestError, IngestRunError
from ingest_lambda.keys import (
    TOP_TRACKS_KIND,
    format_timestamp,
    snapshot_key,
    top_tracks_key,
    truncate_to_hour,
    validate_time_range,
)
from ingest_lambda.retry import Deadline
from ingest_lambda.source import ChartSource, PlaylistSource
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
    """What happened to one chart in one hour.

    `playlist_id` is the chart id (as in chart_entry): a playlist id, or
    `top_tracks.<range>.<user>` (just `top_tracks.<range>` when the user is not known yet);
    `key` is empty when a top-tracks chart failed before its user was known.
    """

    playlist_id: str
    status: str
    key: str
    entries: int = 0
    attempts: int = 0
    duration_ms: int = 0
    location: str | None = None
    error_code: str | None = None
    error: str | None = None
    chart_kind: str = PLAYLIST_KIND


@dataclass(frozen=True)
class PlannedChart:
    """One chart to ingest this hour: what the outcome calls it until it is written."""

    kind: str
    label: str
    key: str
    ingest: Callable[[], PlaylistOutcome]


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
    return write_snapshot(writer, key, envelope, attempts=fetched.attempts, started=started)


def ingest_top_tracks(
    time_range: str,
    *,
    snapshot_ts: datetime,
    source: ChartSource,
    writer: Writer,
    clock: Callable[[], datetime],
    deadline: Deadline,
    labels: SnapshotLabels,
) -> PlaylistOutcome:
    """Fetch the user's top tracks for `time_range` completely and write them, or raise."""
    started = time.monotonic()
    fetched = source.fetch_top_tracks(time_range, deadline)
    envelope = build_top_tracks_envelope(
        user=fetched.user,
        time_range=time_range,
        tracks=fetched.tracks,
        total=fetched.total,
        snapshot_ts=snapshot_ts,
        captured_at=clock(),
        source=labels.source,
        api_profile=labels.api_profile,
    )
    key = top_tracks_key(fetched.user["id"], time_range, snapshot_ts)
    return write_snapshot(writer, key, envelope, attempts=fetched.attempts, started=started)


def write_snapshot(
    writer: Writer, key: str, envelope: dict[str, Any], *, attempts: int, started: float
) -> PlaylistOutcome:
    """Write an envelope at its key; the outcome names its chart (kind and id) and size."""
    location = writer.write(key, encode_envelope(envelope))
    return PlaylistOutcome(
        playlist_id=envelope["chart"]["id"],
        status=WRITTEN,
        key=key,
        entries=len(envelope["entries"]),
        attempts=attempts,
        duration_ms=round((time.monotonic() - started) * 1000),
        location=location,
        chart_kind=envelope["chart"]["kind"],
    )


def plan_charts(
    playlist_ids: Sequence[str],
    top_tracks: Sequence[str],
    *,
    hour: datetime,
    source: ChartSource,
    **shared: Any,
) -> list[PlannedChart]:
    """The hour's charts in order: playlists, then top tracks (every id and range checked)."""
    planned = [
        PlannedChart(
            PLAYLIST_KIND,
            playlist_id,
            snapshot_key(playlist_id, hour),
            functools.partial(
                ingest_playlist, playlist_id, snapshot_ts=hour, source=source, **shared
            ),
        )
        for playlist_id in playlist_ids
    ]
    for time_range in top_tracks:
        planned.append(
            PlannedChart(
                TOP_TRACKS_KIND,
                f"{TOP_TRACKS_KIND}.{validate_time_range(time_range)}",
                "",
                functools.partial(
                    ingest_top_tracks, time_range, snapshot_ts=hour, source=source, **shared
                ),
            )
        )
    return planned


def ingest_hour(
    playlist_ids: Sequence[str],
    *,
    snapshot_ts: datetime,
    source: ChartSource,
    writer: Writer,
    clock: Callable[[], datetime],
    deadline: Deadline,
    labels: SnapshotLabels,
    top_tracks: Sequence[str] = (),
) -> RunSummary:
    """Ingest every chart for the scheduled hour; one failure does not stop the others.

    Playlists first, then the user's top tracks for each of `top_tracks` (time ranges). An
    error that would fail every chart alike (credentials, quota, no time left) marks the rest
    `skipped` instead of repeating it. Call `raise_for_failures` on the result.
    """
    hour = truncate_to_hour(snapshot_ts)
    # Every id and range is checked before the first request: a typo refuses the run at once.
    charts = plan_charts(
        playlist_ids,
        top_tracks,
        hour=hour,
        source=source,
        writer=writer,
        clock=clock,
        deadline=deadline,
        labels=labels,
    )
    outcomes: list[PlaylistOutcome] = []
    stop: IngestError | None = None
    for chart in charts:
        if stop is not None:
            outcomes.append(_skipped(chart, stop))
            continue
        started = time.monotonic()
        try:
            outcome = chart.ingest()
        except IngestError as error:
            outcome = _failed(chart, error, started)
            LOGGER.error(error, extra=_log_fields(outcome))
            stop = error if error.fatal_for_run else None
        except Exception as error:
            # Unexpected (a bug, S3 refusing): keep it for the end, let the others run.
            outcome = _failed(chart, error, started)
            LOGGER.exception("unexpected failure", extra=_log_fields(outcome))
        else:
            LOGGER.info("snapshot written", extra=_log_fields(outcome))
        outcomes.append(outcome)
    return RunSummary(snapshot_ts=hour, outcomes=tuple(outcomes))


def raise_for_failures(summary: RunSummary) -> None:
    """Raise `IngestRunError` naming every chart that was not written.

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
        f"{len(summary.failed)} of {len(summary.outcomes)} charts not written for "
        f"{format_timestamp(summary.snapshot_ts)}: {details}"
    )


def _failed(chart: PlannedChart, error: Exception, started: float) -> PlaylistOutcome:
    return PlaylistOutcome(
        playlist_id=chart.label,
        status=FAILED,
        key=chart.key,
        duration_ms=round((time.monotonic() - started) * 1000),
        error_code=getattr(error, "code", type(error).__name__),
        error=str(error),
        chart_kind=chart.kind,
    )


def _skipped(chart: PlannedChart, cause: IngestError) -> PlaylistOutcome:
    return PlaylistOutcome(
        playlist_id=chart.label,
        status=SKIPPED,
        key=chart.key,
        error_code=cause.code,
        error=f"not tried: an earlier chart failed with {cause.code}",
        chart_kind=chart.kind,
    )


def _log_fields(outcome: PlaylistOutcome) -> dict[str, Any]:
    return {name: value for name, value in asdict(outcome).items() if value is not None}
