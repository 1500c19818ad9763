"""The raw key contract between the Lambda and the job: which keys are snapshots, and which not."""

from __future__ import annotations

import datetime as dt
import re

from glue_jobs.charts.schemas import PLAYLIST_CHART_KIND, TOP_TRACKS_CHART_KIND

RAW_PREFIX = "raw/playlist_snapshots/"
# The raw key, exactly as the Lambda writes it (docs/data-model.md, decision 0085): a playlist
# (`playlist_id=<22 base62>`) or a top-tracks chart (`chart_id=top_tracks.<range>.<user>`).
RAW_KEY_PATTERN = (
    r"(raw/playlist_snapshots/snapshot_date=(\d{4}-\d{2}-\d{2})/snapshot_hour=(\d{2})/"
    r"(?:playlist_id=([0-9A-Za-z]{22})|chart_id=(top_tracks\.(?:short_term|medium_term|long_term)"
    r"\.(?:~[0-9A-Za-z_-]+|[0-9A-Za-z][0-9A-Za-z._-]{0,63})))\.json\.gz)$"
)
# RAW_KEY_PATTERN's groups: the whole key, the date, the hour, and the chart id by kind.
KEY_GROUP, DATE_GROUP, HOUR_GROUP = 1, 2, 3
CHART_ID_GROUPS = {PLAYLIST_CHART_KIND: 4, TOP_TRACKS_CHART_KIND: 5}
# Anything after the lake root, for objects whose name breaks the pattern.
ANY_RAW_KEY_PATTERN = r"(raw/playlist_snapshots/.*)$"
BAD_KEY = "bad_key"
BAD_KEY_DETAIL = "the key does not match the raw key pattern"
_SNAPSHOT_KEY = re.compile(f"^{RAW_KEY_PATTERN}")


def is_snapshot_key(key: str) -> bool:
    """True when `key` (under the lake root) is a snapshot key of the contract, with a real date.

    Everything else under the raw prefix is quarantined as `bad_key`: stray files, hidden names
    and folders (`_backup/`, `.x`), files being copied (`._COPYING_`), dates that do not exist
    (`2026-02-30`). Spark would skip some of them silently and read others.
    """
    match = _SNAPSHOT_KEY.match(key)
    if match is None:
        return False
    try:
        dt.date.fromisoformat(match.group(DATE_GROUP))
    except ValueError:
        return False
    return True
