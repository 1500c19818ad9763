"""The Lambda's spotipy source against the Spotify fake: both profiles, paging, every fault."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from fake_api import FakeTime, served_entries, source_for, statuses
from ingest_helpers import FAST_POLICY, HOUR, ROOMY, fixed_clock

from ingest_lambda.core import SnapshotLabels, ingest_hour
from ingest_lambda.envelope import decode_envelope
from ingest_lambda.errors import (
    DeadlineExceededError,
    QuotaExceededError,
    RetriesExhaustedError,
)
from ingest_lambda.keys import snapshot_key
from ingest_lambda.retry import Deadline
from ingest_lambda.settings import AuthMode
from spotify_etl.fake_spotify import (
    CHART_PLAYLIST_ID,
    EDGE_CASE_PLAYLIST_ID,
    USER_CHART_PLAYLIST_ID,
    FakeSpotify,
    Fault,
)
from spotify_etl.local_stores import LocalWriter

ITEMS = f"/v1/playlists/{CHART_PLAYLIST_ID}/items"
PLAYLIST = f"/v1/playlists/{CHART_PLAYLIST_ID}"
TOKEN = "/api/token"
# The playlist's metadata, its two pages, and its snapshot_id again (unchanged while read).
CLEAN_RUN = [(TOKEN, 200), (PLAYLIST, 200), (ITEMS, 200), (ITEMS, 200), (PLAYLIST, 200)]


@pytest.fixture
def fake() -> Iterator[FakeSpotify]:
    """The extended-profile fake at a fixed time."""
    with FakeSpotify(profile="extended", now=HOUR + timedelta(seconds=5)) as running:
        yield running


@pytest.mark.parametrize(
    ("profile", "playlist_id", "mode", "grant"),
    [
        ("extended", CHART_PLAYLIST_ID, AuthMode.CLIENT_CREDENTIALS, "client_credentials"),
        ("dev-2026", USER_CHART_PLAYLIST_ID, AuthMode.REFRESH_TOKEN, "refresh_token"),
    ],
)
def test_both_profiles_read_100_entries_in_two_pages(
    profile: str, playlist_id: str, mode: AuthMode, grant: str
) -> None:
    with FakeSpotify(profile=profile, now=HOUR) as fake:
        fetched = source_for(fake, mode, FAST_POLICY).fetch(playlist_id, ROOMY)
        form = {"grant_type": grant, "refresh_token": fake.refresh_token}
        expected = served_entries(fake, playlist_id, form)
        paths = statuses(fake)[:5]
    assert len(expected) == 100
    assert fetched.entries == expected
    assert fetched.attempts == 4
    items = f"/v1/playlists/{playlist_id}/items"
    assert paths == [
        (TOKEN, 200),
        (f"/v1/playlists/{playlist_id}", 200),
        (items, 200),
        (items, 200),
        (f"/v1/playlists/{playlist_id}", 200),
    ]
    assert set(fetched.metadata) == {"id", "name", "snapshot_id", "owner", "followers"}


def test_edge_case_playlist_lands_whole(fake: FakeSpotify, lake: Path) -> None:
    source = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY)
    labels = SnapshotLabels(source="fake-spotify", api_profile="extended", market=None)
    summary = ingest_hour(
        [EDGE_CASE_PLAYLIST_ID],
        snapshot_ts=HOUR,
        source=source,
        writer=LocalWriter(lake),
        clock=fixed_clock,
        deadline=ROOMY,
        labels=labels,
    )
    assert [outcome.status for outcome in summary.outcomes] == ["written"]
    body = (lake / snapshot_key(EDGE_CASE_PLAYLIST_ID, HOUR)).read_bytes()
    expected = served_entries(fake, EDGE_CASE_PLAYLIST_ID, {"grant_type": "client_credentials"})
    envelope = decode_envelope(body)
    assert [kept.pop("position") for kept in envelope["entries"]] == list(
        range(1, len(expected) + 1)
    )
    assert envelope["entries"] == expected


@pytest.mark.parametrize(
    ("retry_after", "waited"),
    [(0, FAST_POLICY.base_delay_s), (None, FAST_POLICY.base_delay_s), (1, 1.0)],
)
def test_a_429_is_retried_whatever_its_retry_after(
    fake: FakeSpotify, retry_after: int | None, waited: float
) -> None:
    fake.inject(Fault(kind="rate_limit", empty_body=True, retry_after=retry_after, path=ITEMS))
    time = FakeTime(fake)
    fetched = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY, time=time).fetch(
        CHART_PLAYLIST_ID, ROOMY
    )
    assert len(fetched.entries) == 100
    assert fetched.attempts == 5
    assert time.waits == [waited]
    assert statuses(fake) == [
        (TOKEN, 200),
        (PLAYLIST, 200),
        (ITEMS, 429),
        (ITEMS, 200),
        (ITEMS, 200),
        (PLAYLIST, 200),
    ]


def test_a_plain_429_without_header_is_retried(fake: FakeSpotify) -> None:
    fake.inject(Fault(kind="status", status=429, path=PLAYLIST, count=2))
    fetched = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY).fetch(
        CHART_PLAYLIST_ID, ROOMY
    )
    assert (len(fetched.entries), fetched.attempts) == (100, 6)


def test_quota_exceeded_is_reported_as_such(fake: FakeSpotify) -> None:
    fake.inject(Fault(kind="rate_limit", retry_after=1, path=ITEMS, count=10))
    time = FakeTime(fake)
    policy = replace(FAST_POLICY, max_attempts=2)
    source = source_for(fake, AuthMode.CLIENT_CREDENTIALS, policy, time=time)
    with pytest.raises(QuotaExceededError, match=r"429 with reason QUOTA_EXCEEDED \(2 attempts"):
        source.fetch(CHART_PLAYLIST_ID, ROOMY)
    assert time.waits == [1.0]  # as Retry-After asked, once: the second 429 is the last attempt


def test_a_short_quota_window_is_waited_out(fake: FakeSpotify) -> None:
    fake.inject(Fault(kind="rate_limit", retry_after=0, path=ITEMS, count=1))
    fetched = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY).fetch(
        CHART_PLAYLIST_ID, ROOMY
    )
    # The first items page answered 429 QUOTA_EXCEEDED once, then the same page again.
    assert (len(fetched.entries), fetched.attempts) == (100, 5)
    assert statuses(fake) == [(TOKEN, 200), (PLAYLIST, 200), (ITEMS, 429), *CLEAN_RUN[2:]]


def test_a_burst_of_5xx_is_retried(fake: FakeSpotify) -> None:
    for status in (500, 502, 503):
        fake.inject(Fault(kind="status", status=status, path=ITEMS))
    fetched = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY).fetch(
        CHART_PLAYLIST_ID, ROOMY
    )
    assert len(fetched.entries) == 100
    assert [status for _, status in statuses(fake)] == [200, 200, 500, 502, 503, 200, 200, 200]


def test_endless_5xx_gives_up_within_the_attempt_limit(fake: FakeSpotify) -> None:
    fake.inject(Fault(kind="status", status=503, path=ITEMS, count=50))
    with pytest.raises(
        RetriesExhaustedError, match="gave up after 4 attempts, last failure: HTTP 503"
    ):
        source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY).fetch(CHART_PLAYLIST_ID, ROOMY)
    assert len(fake.requests) == 2 + 4


def test_a_slow_response_times_out_and_is_retried(fake: FakeSpotify) -> None:
    fake.inject(Fault(kind="slow", delay=1.0, path=ITEMS))
    policy = replace(FAST_POLICY, request_timeout_s=0.2)
    fetched = source_for(fake, AuthMode.CLIENT_CREDENTIALS, policy).fetch(CHART_PLAYLIST_ID, ROOMY)
    assert (len(fetched.entries), fetched.attempts) == (100, 5)


def test_a_slow_api_cannot_outlive_the_deadline(fake: FakeSpotify) -> None:
    fake.inject(Fault(kind="slow", delay=1.0, path=ITEMS, count=20))
    policy = replace(FAST_POLICY, request_timeout_s=30.0, margin_s=0.5)
    with pytest.raises(DeadlineExceededError, match=r"timeout on attempt 1; waiting 0\.0 s"):
        source_for(fake, AuthMode.CLIENT_CREDENTIALS, policy).fetch(
            CHART_PLAYLIST_ID, Deadline.after(1.5)
        )


def test_a_truncated_body_is_retried(fake: FakeSpotify) -> None:
    fake.inject(Fault(kind="truncate", path=ITEMS, count=2))
    fetched = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY).fetch(
        CHART_PLAYLIST_ID, ROOMY
    )
    assert (len(fetched.entries), fetched.attempts) == (100, 6)


def test_all_or_nothing_when_the_second_page_never_arrives(fake: FakeSpotify, lake: Path) -> None:
    # The first page answers; every later one is cut off.
    fake.inject(Fault(kind="slow", delay=0.0, path=ITEMS, count=1))
    fake.inject(Fault(kind="truncate", path=ITEMS, count=50))
    source = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY)
    labels = SnapshotLabels(source="fake-spotify", api_profile="extended", market=None)
    summary = ingest_hour(
        [CHART_PLAYLIST_ID],
        snapshot_ts=HOUR,
        source=source,
        writer=LocalWriter(lake),
        clock=fixed_clock,
        deadline=ROOMY,
        labels=labels,
    )
    assert [(o.status, o.error_code) for o in summary.outcomes] == [("failed", "retries_exhausted")]
    assert "items page 2" in (summary.outcomes[0].error or "")
    assert [path for path in lake.rglob("*") if path.is_file()] == []


def test_the_token_is_renewed_when_the_simulated_hour_moves_on(fake: FakeSpotify) -> None:
    source = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY)
    source.fetch(CHART_PLAYLIST_ID, ROOMY)
    fake.set_now(fake.now() + timedelta(hours=1))
    fake.reset_log()
    source.fetch(CHART_PLAYLIST_ID, ROOMY)
    assert statuses(fake) == CLEAN_RUN


def test_a_token_refused_early_is_replaced_once(fake: FakeSpotify) -> None:
    # The fake's clock jumps but the source's expiry clock does not: a 401, then a new token.
    source = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY, wall_clock=HOUR.timestamp)
    source.fetch(CHART_PLAYLIST_ID, ROOMY)
    fake.reset_log()
    fake.set_now(fake.now() + timedelta(hours=2))
    fetched = source.fetch(CHART_PLAYLIST_ID, ROOMY)
    assert len(fetched.entries) == 100
    assert statuses(fake)[:3] == [(PLAYLIST, 401), (TOKEN, 200), (PLAYLIST, 200)]
