"""The Lambda's top-tracks reading against the Spotify fake: paging to 100, users, scopes."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from fake_api import source_for, statuses
from ingest_helpers import FAST_POLICY, HOUR, ROOMY, fixed_clock

from ingest_lambda.core import SnapshotLabels, ingest_hour
from ingest_lambda.errors import (
    IncompleteTopTracksError,
    TopTracksNeedUserError,
)
from ingest_lambda.settings import AuthMode
from ingest_lambda.top_tracks import check_top_tracks_page, read_current_user
from ingest_lambda.unchanged import ChangedWhileReadError
from spotify_etl.fake_spotify import FAKE_USER_ID, USER_CHART_PLAYLIST_ID, FakeSpotify, Fault
from spotify_etl.local_stores import LocalWriter

TOKEN, ME, TOP = "/api/token", "/v1/me/", "/v1/me/top/tracks"
LABELS = SnapshotLabels(source="fake-spotify", api_profile="dev-2026", market=None)


def served_top_tracks(fake: FakeSpotify, time_range: str) -> tuple[list[Any], int]:
    """Ranks 1-100 and the total, read with plain HTTP (independently of spotipy)."""
    token = requests.post(
        fake.token_url,
        data={"grant_type": "refresh_token", "refresh_token": fake.refresh_token},
        auth=(fake.client_id, fake.client_secret),
        timeout=5,
    ).json()["access_token"]
    tracks: list[Any] = []
    total = 0
    for offset in (0, 50):
        page = requests.get(
            f"{fake.base_url}me/top/tracks?time_range={time_range}&limit=50&offset={offset}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        ).json()
        tracks.extend(page["items"])
        total = page["total"]
    return tracks, total


@pytest.mark.parametrize(("time_range", "pages"), [("short_term", 2), ("long_term", 2)])
def test_the_first_hundred_are_read_by_offset(time_range: str, pages: int) -> None:
    with FakeSpotify(profile="dev-2026", now=HOUR) as fake:
        fetched = source_for(fake, AuthMode.REFRESH_TOKEN, FAST_POLICY).fetch_top_tracks(
            time_range, ROOMY
        )
        paths = statuses(fake)
        expected, total = served_top_tracks(fake, time_range)
    assert fetched.tracks == expected
    assert len(fetched.tracks) == min(total, 100)
    assert fetched.total == total
    assert fetched.user["id"] == FAKE_USER_ID
    # Page 1 is read again after the last page: unchanged, so the read stands.
    assert paths == [(TOKEN, 200), (ME, 200)] + [(TOP, 200)] * (pages + 1)
    assert fetched.attempts == 1 + pages + 1


def test_the_user_is_asked_for_once_per_source() -> None:
    with FakeSpotify(profile="extended", now=HOUR) as fake:
        source = source_for(fake, AuthMode.REFRESH_TOKEN, FAST_POLICY)
        for time_range in ("short_term", "medium_term"):
            source.fetch_top_tracks(time_range, ROOMY)
        assert [path for path, _ in statuses(fake)].count(ME) == 1


def test_client_credentials_are_refused_before_any_request() -> None:
    with FakeSpotify(profile="extended", now=HOUR) as fake:
        source = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY)
        with pytest.raises(TopTracksNeedUserError, match="client-credentials token has no user"):
            source.fetch_top_tracks("short_term", ROOMY)
        assert fake.requests == []


def test_a_token_without_the_scope_fails_its_charts_but_not_the_playlists(lake: Path) -> None:
    scope = "playlist-read-private playlist-read-collaborative"
    with FakeSpotify(profile="dev-2026", now=HOUR, user_scope=scope) as fake:
        summary = ingest_hour(
            [USER_CHART_PLAYLIST_ID],
            snapshot_ts=HOUR,
            source=source_for(fake, AuthMode.REFRESH_TOKEN, FAST_POLICY),
            writer=LocalWriter(lake),
            clock=fixed_clock,
            deadline=ROOMY,
            labels=LABELS,
            top_tracks=["short_term", "long_term"],
        )
    outcomes = [(o.chart_kind, o.status, o.error_code) for o in summary.outcomes]
    assert outcomes == [
        ("playlist", "written", None),
        ("top_tracks", "failed", "missing_scope"),
        ("top_tracks", "failed", "missing_scope"),
    ]
    message = summary.outcomes[1].error or ""
    assert "403 'Insufficient client scope'" in message
    assert "without the user-top-read scope" in message
    assert "spotify-etl auth" in message


def test_get_me_with_a_client_credentials_token_says_why() -> None:
    # The mode check normally stops this earlier; the answer itself is explained as well.
    with FakeSpotify(profile="extended", now=HOUR) as fake:
        source = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY)
        with pytest.raises(TopTracksNeedUserError, match="404 'Invalid username' to GET /me"):
            read_current_user(source._api_call(ROOMY), source._client)


def test_a_transient_failure_on_a_page_is_retried() -> None:
    with FakeSpotify(profile="dev-2026", now=HOUR + timedelta(minutes=2)) as fake:
        fake.inject(Fault(kind="status", status=503, path=TOP, count=2))
        fetched = source_for(fake, AuthMode.REFRESH_TOKEN, FAST_POLICY).fetch_top_tracks(
            "medium_term", ROOMY
        )
        top_statuses = [status for path, status in statuses(fake) if path == TOP]
    assert len(fetched.tracks) == 100
    assert top_statuses == [503, 503, 200, 200, 200]
    assert fetched.attempts == 1 + 3 + 1 + 1


@pytest.mark.parametrize(
    ("page", "expected_total", "message"),
    [
        ({"items": [], "offset": 0}, None, "lacks `items` or `total`"),
        ({"items": ["x"], "total": 3, "offset": 0}, None, "non-object track"),
        ({"items": [], "total": 3, "offset": 50}, None, "offset 50 where 0 was expected"),
    ],
)
def test_a_page_out_of_place_writes_nothing(
    page: dict[str, Any], expected_total: int | None, message: str
) -> None:
    with pytest.raises(IncompleteTopTracksError, match=re.escape(message)):
        check_top_tracks_page(page, "short_term", offset=0, expected_total=expected_total)


def test_a_total_that_changes_between_pages_means_read_again() -> None:
    with pytest.raises(ChangedWhileReadError, match=re.escape("total 3 -> 4")):
        check_top_tracks_page(
            {"items": [], "total": 4, "offset": 0}, "short_term", offset=0, expected_total=3
        )
