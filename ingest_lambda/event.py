"""The invocation event: EventBridge Scheduler's `{"scheduled_time": ...}`, optional overrides."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ingest_lambda.errors import InvalidEventError
from ingest_lambda.keys import (
    format_timestamp,
    parse_timestamp,
    truncate_to_hour,
    validate_playlist_id,
)

LOGGER = logging.getLogger("ingest_lambda.event")


@dataclass(frozen=True)
class IngestRequest:
    """What one invocation must do: which hour's slot, which playlists."""

    snapshot_ts: datetime
    playlist_ids: tuple[str, ...]


def parse_event(event: Any, default_playlist_ids: Sequence[str], now: datetime) -> IngestRequest:
    """Read the scheduled hour and playlist ids from `event`.

    Args:
        event: `{"scheduled_time": "2026-11-26T07:00:00Z"}`, optionally with `"playlist_ids"`.
        default_playlist_ids: the PLAYLIST_IDS setting.
        now: the current time, used (and logged) when `scheduled_time` is missing.

    Raises:
        InvalidEventError, InvalidPlaylistIdError: before any request is made.
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
    override = event.get("playlist_ids")
    if override is None:
        playlist_ids = tuple(default_playlist_ids)
    elif isinstance(override, list) and override:
        playlist_ids = tuple(validate_playlist_id(value) for value in override)
    else:
        raise InvalidEventError("playlist_ids in the event must be a non-empty list of ids")
    # A repeated id would write the same key twice in one run.
    return IngestRequest(snapshot_ts=snapshot_ts, playlist_ids=tuple(dict.fromkeys(playlist_ids)))
