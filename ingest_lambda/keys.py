"""Raw snapshot object keys and the checks on what goes into them (docs/data-model.md)."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime

from ingest_lambda.errors import InvalidEventError, InvalidPlaylistIdError, InvalidTimeRangeError

# The raw key layout, stated once for the Lambda's side (the builders and their inverse below):
# raw/playlist_snapshots/snapshot_date=<date>/snapshot_hour=<HH>/<chart field>=<id>.json.gz
# Every chart kind lands under this prefix (its name predates top-tracks charts: decision 0085).
RAW_SNAPSHOTS_PREFIX = "raw/playlist_snapshots/"
DATE_FOLDER, HOUR_FOLDER = "snapshot_date", "snapshot_hour"
PLAYLIST_FIELD, CHART_FIELD = "playlist_id", "chart_id"
SNAPSHOT_SUFFIX = ".json.gz"
PLAYLIST_ID_PATTERN = re.compile(r"[0-9A-Za-z]{22}")
TIME_RANGES = ("short_term", "medium_term", "long_term")
TOP_TRACKS_KIND = "top_tracks"
# A user id goes into a key as it is when it is made of URI-unreserved characters (Spark reports
# such paths unescaped, Hadoop accepts them, no ':'); any other id as '~' + base64url(UTF-8).
PLAIN_USER_ID_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,63}")
ENCODED_USER_PREFIX = "~"
_ENCODED_USER = re.escape(ENCODED_USER_PREFIX) + r"[0-9A-Za-z_-]+"
_TOP_TRACKS_CHART_ID = (
    rf"{TOP_TRACKS_KIND}\.(?:{'|'.join(TIME_RANGES)})\."
    rf"(?:{_ENCODED_USER}|{PLAIN_USER_ID_PATTERN.pattern})"
)
KEY_PATTERN = re.compile(
    rf"{re.escape(RAW_SNAPSHOTS_PREFIX)}{DATE_FOLDER}=(?P<date>\d{{4}}-\d{{2}}-\d{{2}})/"
    rf"{HOUR_FOLDER}=(?P<hour>\d{{2}})/"
    rf"(?:{PLAYLIST_FIELD}=(?P<playlist_id>{PLAYLIST_ID_PATTERN.pattern})"
    rf"|{CHART_FIELD}=(?P<chart_id>{_TOP_TRACKS_CHART_ID})){re.escape(SNAPSHOT_SUFFIX)}"
)
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def validate_playlist_id(value: object) -> str:
    """Return `value` if it is a Spotify playlist id (22 base62 characters), else raise.

    Raises:
        InvalidPlaylistIdError: anything else, before it can reach a request or an object key.
    """
    if isinstance(value, str) and PLAYLIST_ID_PATTERN.fullmatch(value):
        return value
    raise InvalidPlaylistIdError(value)


def validate_time_range(value: object) -> str:
    """Return `value` if it is a top-items time range (`short_term`, ...), else raise.

    Raises:
        InvalidTimeRangeError: anything else, before it can reach a request or an object key.
    """
    if isinstance(value, str) and value in TIME_RANGES:
        return value
    raise InvalidTimeRangeError(value)


def user_key_part(user_id: str) -> str:
    """The user id as it appears in a top-tracks chart id and key (reversible, path-safe)."""
    if PLAIN_USER_ID_PATTERN.fullmatch(user_id):
        return user_id
    encoded = base64.urlsafe_b64encode(user_id.encode("utf-8")).decode("ascii").rstrip("=")
    return ENCODED_USER_PREFIX + encoded


def top_tracks_chart_id(user_id: str, time_range: str) -> str:
    """`top_tracks.<time_range>.<user>`: the chart id of one user's top tracks for one range."""
    return f"{TOP_TRACKS_KIND}.{validate_time_range(time_range)}.{user_key_part(user_id)}"


def truncate_to_hour(moment: datetime) -> datetime:
    """The UTC hour containing `moment` (which must carry a time zone)."""
    if moment.tzinfo is None:
        raise InvalidEventError(f"time {moment.isoformat()} has no time zone; send UTC ('...Z')")
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def parse_timestamp(text: object) -> datetime:
    """Parse an ISO 8601 timestamp with a zone (as EventBridge Scheduler sends it) to UTC."""
    if not isinstance(text, str):
        raise InvalidEventError(f"scheduled_time must be an ISO 8601 string, got {text!r}")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidEventError(
            f"scheduled_time {text!r} is not ISO 8601 (expected e.g. '2026-11-26T07:00:00Z')"
        ) from None
    return moment if moment.tzinfo is None else moment.astimezone(UTC)


def format_timestamp(moment: datetime) -> str:
    """`2026-11-26T07:00:00Z`: second precision, UTC."""
    return moment.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def format_precise_timestamp(moment: datetime) -> str:
    """`2026-11-26T07:00:12.345678Z`: microsecond precision, UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _slot_prefix(snapshot_ts: datetime) -> str:
    hour = truncate_to_hour(snapshot_ts)
    return f"{RAW_SNAPSHOTS_PREFIX}{DATE_FOLDER}={hour:%Y-%m-%d}/{HOUR_FOLDER}={hour:%H}/"


def snapshot_key(playlist_id: str, snapshot_ts: datetime) -> str:
    """The raw object key of one playlist's snapshot for the scheduled hour `snapshot_ts`."""
    checked_id = validate_playlist_id(playlist_id)
    return f"{_slot_prefix(snapshot_ts)}{PLAYLIST_FIELD}={checked_id}{SNAPSHOT_SUFFIX}"


def top_tracks_key(user_id: str, time_range: str, snapshot_ts: datetime) -> str:
    """The raw object key of one user's top tracks for `time_range` at the scheduled hour."""
    chart_id = top_tracks_chart_id(user_id, time_range)
    return f"{_slot_prefix(snapshot_ts)}{CHART_FIELD}={chart_id}{SNAPSHOT_SUFFIX}"


def parse_snapshot_key(key: str) -> tuple[str, datetime]:
    """Split a raw snapshot key into (chart id, scheduled hour): the inverse of `snapshot_key`
    (the chart id is the playlist id) and of `top_tracks_key` (`top_tracks.<range>.<user>`).

    Raises:
        ValueError: `key` is not a raw snapshot key.
    """
    match = KEY_PATTERN.fullmatch(key)
    if match is None:
        raise ValueError(f"{key!r} is not a raw snapshot key ({RAW_SNAPSHOTS_PREFIX}...)")
    hour = datetime.strptime(f"{match['date']}T{match['hour']}:00:00Z", TIMESTAMP_FORMAT).replace(
        tzinfo=UTC
    )
    return match["playlist_id"] or match["chart_id"], hour
