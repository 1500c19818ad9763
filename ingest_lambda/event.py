"""The invocation event: EventBridge Scheduler's `{"scheduled_time": ...}`, optional overrides."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ingest_lambda.errors import InvalidEventError
from ingest_lambda.keys import (
    format_timestamp,
    parse_timestamp,
    truncate_to_hour,
    validate_playlist_id,
    validate_time_range,
)

LOGGER = logging.getLogger("ingest_lambda.event")


@dataclass(frozen=True)
class IngestRequest:
    """What one invocation must do: which hour's slot, which playlists and top-tracks ranges."""

    snapshot_ts: datetime
    playlist_ids: tuple[str, ...]
    top_tracks: tuple[str, ...] = ()


def parse_event(
    event: Any,
    default_playlist_ids: Sequence[str],
    now: datetime,
    default_top_tracks: Sequence[str] = (),
) -> IngestRequest:
    """Read the scheduled hour and the charts from `event`.

    Args:
        event: `{"scheduled_time": "2026-11-26T07:00:00Z"}`, optionally with `"playlist_ids"`
            and/or `"top_tracks_time_ranges"`: either replaces both settings for this
            invocation (an absent one then means none).
        default_playlist_ids: the PLAYLIST_IDS setting.
        now: the current time, used (and logged) when `scheduled_time` is missing.
        default_top_tracks: the TOP_TRACKS_TIME_RANGES setting.

    Raises:
        InvalidEventError, InvalidPlaylistIdError, InvalidTimeRangeError: before any request.
    """
    if not isinstance(event, Mapping):
        raise InvalidEventError(f"the event must be a JSON object, got {type(event).__name__}")
    scheduled = event.get("scheduled_time")
    if scheduled is None:
        snapshot_ts = truncate_to_hour(now)
        LOGGER.warning(
            "event has no scheduled_time; using the current hour",
            extra={"snapshot_ts": format_timestamp(snapshot_ts)},
        )
    else:
        snapshot_ts = truncate_to_hour(parse_timestamp(scheduled))
    override, ranges = event.get("playlist_ids"), event.get("top_tracks_time_ranges")
    if override is None and ranges is None:
        playlist_ids, top_tracks = tuple(default_playlist_ids), tuple(default_top_tracks)
    else:
        playlist_ids = _listed(override, "playlist_ids", validate_playlist_id)
        top_tracks = _listed(ranges, "top_tracks_time_ranges", validate_time_range)
        if not playlist_ids and not top_tracks:
            raise InvalidEventError(
                "playlist_ids in the event must be a non-empty list of ids (or give a non-empty "
                "top_tracks_time_ranges)"
            )
    # A repeated id would write the same key twice in one run.
    return IngestRequest(
        snapshot_ts=snapshot_ts,
        playlist_ids=tuple(dict.fromkeys(playlist_ids)),
        top_tracks=tuple(dict.fromkeys(top_tracks)),
    )


def _listed(value: Any, name: str, validate: Callable[[object], str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InvalidEventError(f"{name} in the event must be a non-empty list")
    return tuple(validate(item) for item in value)
