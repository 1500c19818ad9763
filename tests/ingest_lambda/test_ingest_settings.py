"""Settings from the environment and the invocation event, with every refusal explained."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from ingest_helpers import HOUR, PLAYLIST_A, PLAYLIST_B

from ingest_lambda.errors import InvalidEventError, InvalidPlaylistIdError, SettingsError
from ingest_lambda.event import IngestRequest, parse_event
from ingest_lambda.settings import (
    ENV_VARS,
    SPOTIFY_API_BASE_URL,
    SPOTIFY_TOKEN_URL,
    AuthMode,
    Settings,
    load_settings,
)

MINIMAL = {
    "LAKE_BUCKET": "lake-bucket",
    "PLAYLIST_IDS": f"{PLAYLIST_A}, {PLAYLIST_B}",
    "AUTH_MODE": "refresh_token",
    "SPOTIFY_SECRET_ID": "spotify/app",
}


def test_minimal_settings_take_the_defaults() -> None:
    assert load_settings(MINIMAL) == Settings(
        lake_bucket="lake-bucket",
        playlist_ids=(PLAYLIST_A, PLAYLIST_B),
        auth_mode=AuthMode.REFRESH_TOKEN,
        secret_id="spotify/app",
        market=None,
        api_profile=None,
        log_level="INFO",
        request_timeout_s=10.0,
        deadline_margin_s=10.0,
        api_base_url=SPOTIFY_API_BASE_URL,
        token_url=SPOTIFY_TOKEN_URL,
    )


def test_every_setting_is_read() -> None:
    environ = {
        **MINIMAL,
        "AUTH_MODE": "client_credentials",
        "MARKET": "US",
        "API_PROFILE": "extended",
        "LOG_LEVEL": "DEBUG",
        "REQUEST_TIMEOUT_SECONDS": "4.5",
        "DEADLINE_MARGIN_SECONDS": "20",
        "SPOTIFY_API_BASE_URL": "http://127.0.0.1:9/v1",
        "SPOTIFY_TOKEN_URL": "http://127.0.0.1:9/api/token",
    }
    settings = load_settings(environ)
    assert (settings.auth_mode, settings.market, settings.api_profile, settings.log_level) == (
        AuthMode.CLIENT_CREDENTIALS,
        "US",
        "extended",
        "DEBUG",
    )
    assert (settings.request_timeout_s, settings.deadline_margin_s) == (4.5, 20.0)
    assert settings.api_base_url == "http://127.0.0.1:9/v1/"
    assert settings.uses_fake
    assert set(ENV_VARS) <= set(environ)


def test_all_problems_are_reported_at_once() -> None:
    environ = {
        "PLAYLIST_IDS": "tooshort",
        "MARKET": "usa",
        "AUTH_MODE": "password",
        "REQUEST_TIMEOUT_SECONDS": "-1",
        "LOG_LEVEL": "LOUD",
    }
    with pytest.raises(SettingsError) as caught:
        load_settings(environ)
    message = str(caught.value)
    for expected in (
        "LAKE_BUCKET is required",
        "SPOTIFY_SECRET_ID is required",
        "PLAYLIST_IDS: playlist id 'tooshort' is not a Spotify playlist id",
        "MARKET='usa': use a two-letter upper-case country code",
        "AUTH_MODE='password': use one of client_credentials, refresh_token",
        "REQUEST_TIMEOUT_SECONDS='-1': use a positive number of seconds",
        "LOG_LEVEL='LOUD'",
    ):
        assert expected in message


def test_the_event_gives_the_scheduled_hour() -> None:
    request = parse_event({"scheduled_time": "2026-11-26T07:00:00Z"}, [PLAYLIST_A], now=HOUR)
    assert request == IngestRequest(snapshot_ts=HOUR, playlist_ids=(PLAYLIST_A,))


def test_a_late_or_retried_invocation_lands_in_its_scheduled_slot() -> None:
    late = datetime(2026, 11, 26, 9, 41, tzinfo=UTC)
    request = parse_event({"scheduled_time": "2026-11-26T07:00:05+00:00"}, [PLAYLIST_A], now=late)
    assert request.snapshot_ts == HOUR


def test_a_missing_scheduled_time_falls_back_to_the_current_hour(
    caplog: pytest.LogCaptureFixture,
) -> None:
    request = parse_event({}, [PLAYLIST_A], now=HOUR.replace(minute=42))
    assert request.snapshot_ts == HOUR
    assert "no scheduled_time" in caplog.text


def test_the_event_can_override_and_dedupe_the_playlists() -> None:
    event = {"scheduled_time": "2026-11-26T07:00:00Z", "playlist_ids": [PLAYLIST_B, PLAYLIST_B]}
    assert parse_event(event, [PLAYLIST_A], now=HOUR).playlist_ids == (PLAYLIST_B,)


@pytest.mark.parametrize(
    ("event", "error", "message"),
    [
        ([], InvalidEventError, "must be a JSON object"),
        ({"scheduled_time": "yesterday"}, InvalidEventError, "not ISO 8601"),
        ({"scheduled_time": 1764140400}, InvalidEventError, "must be an ISO 8601 string"),
        ({"scheduled_time": "2026-11-26T07:00:00"}, InvalidEventError, "no time zone"),
        ({"playlist_ids": []}, InvalidEventError, "non-empty list"),
        ({"playlist_ids": "abc"}, InvalidEventError, "non-empty list"),
        ({"playlist_ids": ["../../x"]}, InvalidPlaylistIdError, "not a Spotify playlist id"),
    ],
)
def test_bad_events_are_refused(event: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        parse_event(event, [PLAYLIST_A], now=HOUR)
