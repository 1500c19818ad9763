"""Constants and small fakes shared by the ingestion tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ingest_lambda.errors import IngestError
from ingest_lambda.retry import Deadline, RetryPolicy
from ingest_lambda.source import FetchedPlaylist
from ingest_lambda.top_tracks import FetchedTopTracks

HOUR = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
CAPTURED = datetime(2026, 11, 26, 7, 0, 12, 345678, tzinfo=UTC)
PLAYLIST_A = "0123456789abcdefghijAB"
PLAYLIST_B = "ZYXWVUTSRQPONMLKJIHGfe"
PLAYLIST_C = "CCCCCCCCCCCCCCCCCCCCCC"
# Retry quickly in tests; the policy's logic is the same as with real delays.
FAST_POLICY = RetryPolicy(max_attempts=4, base_delay_s=0.01, max_delay_s=0.05, margin_s=1.0)
ROOMY = Deadline(lambda: 900.0)


def fixed_clock() -> datetime:
    """A clock that always answers CAPTURED."""
    return CAPTURED


def metadata(playlist_id: str) -> dict[str, Any]:
    """A minimal Get Playlist answer."""
    return {
        "id": playlist_id,
        "name": f"list {playlist_id[:4]}",
        "snapshot_id": "snap1",
        "owner": {"id": "owner1", "display_name": "Owner One"},
        "followers": {"href": None, "total": 7},
        "description": "dropped by the envelope",
    }


def entry(number: int) -> dict[str, Any]:
    """A small 2026-style entry carrying both `item` and `track`."""
    track = {"id": f"track{number:017d}", "name": f"song {number}", "type": "track"}
    return {"added_at": "1970-01-01T00:00:00Z", "is_local": False, "item": track, "track": track}


@dataclass
class ScriptedSource:
    """A ChartSource answering from dicts: playlists by id, top tracks by time range (a
    FetchedPlaylist / FetchedTopTracks, or an error to raise)."""

    answers: dict[str, FetchedPlaylist | Exception]
    top_answers: dict[str, FetchedTopTracks | Exception] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def fetch(self, playlist_id: str, deadline: Deadline) -> FetchedPlaylist:
        """Answer as scripted."""
        self.calls.append(playlist_id)
        answer = self.answers[playlist_id]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def fetch_top_tracks(self, time_range: str, deadline: Deadline) -> FetchedTopTracks:
        """Answer as scripted."""
        self.calls.append(time_range)
        answer = self.top_answers[time_range]
        if isinstance(answer, Exception):
            raise answer
        return answer


@dataclass
class MemoryWriter:
    """A Writer keeping objects in a dict."""

    objects: dict[str, bytes] = field(default_factory=dict)

    def write(self, key: str, body: bytes) -> str:
        """Keep `body` under `key`."""
        self.objects[key] = body
        return f"memory://{key}"


class BoomError(IngestError):
    """A per-playlist failure for tests."""

    code = "boom"
