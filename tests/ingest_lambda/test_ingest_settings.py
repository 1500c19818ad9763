"""Settings from the environment and the invocation event, with every refusal explained."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from ingest_helpers import HOUR, PLAYLIST_A, PLAYLIST_B

from ingest_lambda.errors import (
    InvalidEventError,
    InvalidPlaylistIdError,
    InvalidTimeRangeError,
    SettingsError,
)
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
        "TOP_TRACKS_TIME_RANGES": "long_term, short_term,long_term",
        "MARKET": "US",
        "API_PROFILE": "extended",
        "LOG_LEVEL": "DEBUG",
        "REQUEST_TIMEOUT_SECONDS": "4.5",
        "DEADLINE_MARGIN_SECONDS": "20",
        "SPOTIFY_API_BASE_URL": "http://127.0.0.1:9/v1",
        "SPOTIFY_TOKEN_URL": "http://127.0.0.1:9/api/token",
    }
    settings = load_settings(environ)
    assert settings.top_tracks_time_ranges == ("long_term", "short_term")
    assert (settings.auth_mode, settings.market, settings.api_profile, settings.log_level) == (
        AuthMode.REFRESH_TOKEN,
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


def test_top_tracks_alone_are_a_chart() -> None:
    environ = {**MINIMAL, "PLAYLIST_IDS": "", "TOP_TRACKS_TIME_RANGES": "medium_term"}
    settings = load_settings(environ)
    assert (settings.playlist_ids, settings.top_tracks_time_ranges) == ((), ("medium_term",))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"PLAYLIST_IDS": " "},
            "PLAYLIST_IDS or TOP_TRACKS_TIME_RANGES is required (at least one chart)",
        ),
        (
            {"TOP_TRACKS_TIME_RANGES": "short_term,weekly"},
            "TOP_TRACKS_TIME_RANGES: time range 'weekly' is not one of short_term",
        ),
        (
            {"TOP_TRACKS_TIME_RANGES": "short_term", "AUTH_MODE": "client_credentials"},
            "TOP_TRACKS_TIME_RANGES with AUTH_MODE=client_credentials: top tracks are the "
            "authorising user's own, and a client-credentials token has no user: use "
            "AUTH_MODE=refresh_token",
        ),
    ],
)
def test_chart_settings_are_refused_with_the_cause(changes: dict[str, str], expected: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({**MINIMAL, **changes})
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


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


def test_the_settings_charts_of_both_kinds_are_the_default() -> None:
    request = parse_event({}, [PLAYLIST_A], now=HOUR, default_top_tracks=("short_term",))
    assert (request.playlist_ids, request.top_tracks) == ((PLAYLIST_A,), ("short_term",))


def test_an_event_override_names_exactly_the_invocations_charts() -> None:
    event = {"top_tracks_time_ranges": ["long_term", "long_term"]}
    request = parse_event(event, [PLAYLIST_A], now=HOUR, default_top_tracks=("short_term",))
    assert (request.playlist_ids, request.top_tracks) == ((), ("long_term",))


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
        ({"top_tracks_time_ranges": ["all_time"]}, InvalidTimeRangeError, "is not one of"),
        ({"top_tracks_time_ranges": "short_term"}, InvalidEventError, "non-empty list"),
        ({"playlist_ids": [], "top_tracks_time_ranges": []}, InvalidEventError, "non-empty"),
    ],
)
def test_bad_events_are_refused(event: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        parse_event(event, [PLAYLIST_A], now=HOUR)
