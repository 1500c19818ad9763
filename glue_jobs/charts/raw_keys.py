"""The raw key contract between the Lambda and the job, stated once on the job's side: the
layout's parts, the patterns made from them, which keys are snapshots, and their date folders."""

from __future__ import annotations

import datetime as dt
import re

from glue_jobs.charts.schemas import PLAYLIST_CHART_KIND, TOP_TRACKS_CHART_KIND

# The raw key, exactly as the Lambda writes it (ingest_lambda/keys.py, docs/data-model.md,
# decision 0085): a playlist (`playlist_id=<22 base62>`) or a top-tracks chart
# (`chart_id=top_tracks.<range>.<user>`):
# raw/playlist_snapshots/snapshot_date=<date>/snapshot_hour=<HH>/<chart field>=<id>.json.gz
RAW_PREFIX = "raw/playlist_snapshots/"
DATE_FOLDER, HOUR_FOLDER = "snapshot_date", "snapshot_hour"
PLAYLIST_FIELD, CHART_FIELD = "playlist_id", "chart_id"
SNAPSHOT_SUFFIX = ".json.gz"
TIME_RANGES = ("short_term", "medium_term", "long_term")
_DATE = r"\d{4}-\d{2}-\d{2}"
_HOUR = r"\d{2}"
_PLAYLIST_ID = r"[0-9A-Za-z]{22}"
# A user id as the Lambda puts it in a key: '~' + base64url, or plain URI-unreserved characters.
_USER = r"(?:~[0-9A-Za-z_-]+|[0-9A-Za-z][0-9A-Za-z._-]{0,63})"
_TOP_TRACKS_ID = rf"{TOP_TRACKS_CHART_KIND}\.(?:{'|'.join(TIME_RANGES)})\.{_USER}"
_SUFFIX = re.escape(SNAPSHOT_SUFFIX)
RAW_KEY_PATTERN = (
    rf"({RAW_PREFIX}{DATE_FOLDER}=({_DATE})/{HOUR_FOLDER}=({_HOUR})/"
    rf"(?:{PLAYLIST_FIELD}=({_PLAYLIST_ID})|{CHART_FIELD}=({_TOP_TRACKS_ID})){_SUFFIX})$"
)
# RAW_KEY_PATTERN's groups: the whole key, the date, the hour, and the chart id by kind.
KEY_GROUP, DATE_GROUP, HOUR_GROUP = 1, 2, 3
CHART_ID_GROUPS = {PLAYLIST_CHART_KIND: 4, TOP_TRACKS_CHART_KIND: 5}
# Anything after the lake root, for objects whose name breaks the pattern.
ANY_RAW_KEY_PATTERN = rf"({RAW_PREFIX}.*)$"
BAD_KEY = "bad_key"
BAD_KEY_DETAIL = "the key does not match the raw key pattern"
_SNAPSHOT_KEY = re.compile(f"^{RAW_KEY_PATTERN}")
_DATE_FOLDER = re.compile(rf"^{RAW_PREFIX}{DATE_FOLDER}=({_DATE})/")


def is_snapshot_key(key: str) -> bool:
    """True when `key` (under the lake root) is a snapshot key of the contract, with a real date.

    Everything else under the raw prefix is quarantined as `bad_key`: stray files, hidden names
    and folders (`_backup/`, `.x`), files being copied (`._COPYING_`), dates that do not exist
    (`2026-02-30`). Spark would skip some of them silently and read others.
    """
    match = _SNAPSHOT_KEY.match(key)
    return match is not None and _real_date(match.group(DATE_GROUP)) is not None


def raw_date_prefix(day: dt.date) -> str:
    """The folder prefix of one raw date partition."""
    return f"{RAW_PREFIX}{DATE_FOLDER}={day.isoformat()}/"


def raw_date_of(key: str) -> dt.date | None:
    """The date of the date folder a raw key is in; None outside a valid one."""
    match = _DATE_FOLDER.match(key)
    return None if match is None else _real_date(match.group(1))


def _real_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
