"""No torn snapshot: a chart that changes between its pages is read again, never written mixed.

The fake's chart changes at the top of every hour (its content is a function of the hour), so
moving the fake's clock from 07:55 to 08:01 between page 1 and page 2 is a playlist edited
while the Lambda pages through it: before the fix, positions 1-50 came from hour 07 and 51-100
from hour 08, one song missing and one twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fake_api import served_entries, source_for
from ingest_helpers import FAST_POLICY, ROOMY, fixed_clock

from ingest_lambda.core import SnapshotLabels, ingest_hour
from ingest_lambda.envelope import decode_envelope
from ingest_lambda.errors import ChartChangedError
from ingest_lambda.keys import snapshot_key
from ingest_lambda.settings import AuthMode
from ingest_lambda.source import SpotipySource
from ingest_lambda.top_tracks import read_top_tracks
from ingest_lambda.unchanged import ChangedWhileReadError
from spotify_etl.fake_spotify import CHART_PLAYLIST_ID, FakeSpotify
from spotify_etl.local_stores import LocalWriter

BEFORE = datetime(2026, 11, 26, 7, 55, tzinfo=UTC)
AFTER = datetime(2026, 11, 26, 8, 1, tzinfo=UTC)
GRANT = {"grant_type": "client_credentials"}


def move_clock_on_next_page(
    source: SpotipySource, fake: FakeSpotify, moves: Callable[[], datetime | None]
) -> None:
    """Before each `next` page request, set the fake's clock to `moves()` (None: leave it)."""
    client: Any = source._client
    real_next = client.next

    def next_page(page: dict[str, Any]) -> Any:
        moved = moves()
        if moved is not None:
            fake.set_now(moved)
        return real_next(page)

    client.next = next_page


def song_ids(entries: list[dict[str, Any]]) -> list[str]:
    # The extended profile serves the pre-2026 shape: the track is under `track`.
    return [(entry.get("item") or entry["track"])["id"] for entry in entries]


def test_an_edit_between_the_pages_is_read_again_whole(caplog: pytest.LogCaptureFixture) -> None:
    with FakeSpotify(profile="extended", now=BEFORE) as fake:
        assert song_ids(served_entries(fake, CHART_PLAYLIST_ID, GRANT)) != song_ids(
            fake_entries_at(fake, AFTER)
        )
        fake.set_now(BEFORE)
        source = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY)
        moves = iter([AFTER])
        move_clock_on_next_page(source, fake, lambda: next(moves, None))
        with caplog.at_level(logging.WARNING, logger="ingest_lambda.unchanged"):
            fetched = source.fetch(CHART_PLAYLIST_ID, ROOMY)
        expected = served_entries(fake, CHART_PLAYLIST_ID, GRANT)  # hour 08, read at once
    assert song_ids(fetched.entries) == song_ids(expected)
    assert len(set(song_ids(fetched.entries))) == 100
    assert fetched.attempts == 8  # two whole reads: metadata, two pages, snapshot_id again
    [changed] = [r for r in caplog.records if r.getMessage() == "chart changed while read"]
    assert changed.__dict__["chart"] == f"playlist {CHART_PLAYLIST_ID}"


def fake_entries_at(fake: FakeSpotify, when: datetime) -> list[dict[str, Any]]:
    fake.set_now(when)
    return served_entries(fake, CHART_PLAYLIST_ID, GRANT)


def test_a_chart_that_changes_during_every_read_is_not_written(lake: Path) -> None:
    with FakeSpotify(profile="extended", now=BEFORE) as fake:
        source = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY)
        move_clock_on_next_page(source, fake, lambda: fake.now() + timedelta(hours=1))
        summary = ingest_hour(
            [CHART_PLAYLIST_ID],
            snapshot_ts=BEFORE.replace(minute=0),
            source=source,
            writer=LocalWriter(lake),
            clock=fixed_clock,
            deadline=ROOMY,
            labels=SnapshotLabels(source="fake-spotify", api_profile="extended", market=None),
        )
    [outcome] = summary.outcomes
    assert (outcome.status, outcome.error_code) == ("failed", "chart_changed_while_read")
    assert "changed while its pages were read, on each of 3 reads" in (outcome.error or "")
    assert [path for path in lake.rglob("*") if path.is_file()] == []


def test_an_unedited_chart_is_read_once_and_written_whole(lake: Path) -> None:
    with FakeSpotify(profile="extended", now=BEFORE) as fake:
        source = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY)
        ingest_hour(
            [CHART_PLAYLIST_ID],
            snapshot_ts=BEFORE.replace(minute=0),
            source=source,
            writer=LocalWriter(lake),
            clock=fixed_clock,
            deadline=ROOMY,
            labels=SnapshotLabels(source="fake-spotify", api_profile="extended", market=None),
        )
        expected = served_entries(fake, CHART_PLAYLIST_ID, GRANT)
    body = (lake / snapshot_key(CHART_PLAYLIST_ID, BEFORE.replace(minute=0))).read_bytes()
    entries = decode_envelope(body)["entries"]
    assert [entry.pop("position") for entry in entries] == list(range(1, 101))
    assert entries == expected


# The fake's top tracks change from one day to the next (decision 0087), never within a day.
LAST_MINUTES = datetime(2026, 11, 26, 23, 58, tzinfo=UTC)
NEXT_DAY = datetime(2026, 11, 27, 0, 1, tzinfo=UTC)


def move_clock_on_second_page(source: SpotipySource, fake: FakeSpotify, moves: int) -> None:
    """Before the first `moves` requests for page 2 of top tracks, move the clock a day on."""
    client: Any = source._client
    real_top = client.current_user_top_tracks
    left = [moves]

    def top_tracks(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("offset") and left[0]:
            left[0] -= 1
            fake.set_now(fake.now() + timedelta(days=1))
        return real_top(*args, **kwargs)

    client.current_user_top_tracks = top_tracks


def test_top_tracks_changed_between_pages_are_read_again_whole() -> None:
    with FakeSpotify(profile="dev-2026", now=LAST_MINUTES) as fake:
        source = source_for(fake, AuthMode.REFRESH_TOKEN, FAST_POLICY)
        move_clock_on_second_page(source, fake, moves=1)
        fetched = source.fetch_top_tracks("short_term", ROOMY)
        fake.set_now(LAST_MINUTES + timedelta(days=1))
        fresh = source_for(fake, AuthMode.REFRESH_TOKEN, FAST_POLICY)
        expected = fresh.fetch_top_tracks("short_term", ROOMY)
    assert [track["id"] for track in fetched.tracks] == [track["id"] for track in expected.tracks]
    assert len({track["id"] for track in fetched.tracks}) == len(fetched.tracks)
    # GET /me; the first read stops at page 2 (its total changed with the day); the second
    # reads page 1, page 2 and page 1 again.
    assert fetched.attempts == 1 + 2 + 3


def test_top_tracks_that_change_during_every_read_are_not_written() -> None:
    with FakeSpotify(profile="dev-2026", now=LAST_MINUTES) as fake:
        source = source_for(fake, AuthMode.REFRESH_TOKEN, FAST_POLICY)
        move_clock_on_second_page(source, fake, moves=3)
        with pytest.raises(ChartChangedError) as caught:
            source.fetch_top_tracks("short_term", ROOMY)
    assert str(caught.value).startswith(
        "top tracks short_term changed while its pages were read, on each of 3 reads (total "
    )


@dataclass
class ScriptedTopTracks:
    """`current_user_top_tracks` answering from `versions`: each call takes the version at
    the head of the list, and a version is dropped after each page 2."""

    versions: list[list[str]]
    total: int = 100

    def current_user_top_tracks(self, limit: int, offset: int, time_range: str) -> Any:
        ids = self.versions[0]
        if offset and len(self.versions) > 1:
            self.versions.pop(0)
        items = [{"id": track_id} for track_id in ids[offset : offset + limit]]
        return {"items": items, "total": self.total, "offset": offset, "limit": limit}


def scripted_call(request: Callable[[], Any], what: str, translator: Any) -> tuple[Any, int]:
    return request(), 1


def test_top_tracks_whose_first_page_differs_when_read_again_are_refused() -> None:
    # Same total, a song moved from rank 51 to rank 1 after page 1 was read: page 2 then
    # misses it, and page 1 read again shows the change.
    before = [f"s{rank}" for rank in range(100)]
    after = [before[50], *before[:50], *before[51:]]
    client = ScriptedTopTracks([before, after])
    with pytest.raises(ChangedWhileReadError, match="ranks 1-50 differ when read again"):
        read_top_tracks(scripted_call, client, "short_term")  # type: ignore[arg-type]
    tracks, total, attempts = read_top_tracks(scripted_call, client, "short_term")  # type: ignore[arg-type]
    assert ([t["id"] for t in tracks], total, attempts) == (after, 100, 3)
