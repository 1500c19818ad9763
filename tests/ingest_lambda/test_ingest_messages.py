"""Failures reported by what is known: the endpoint that failed, the app's known access level."""

from __future__ import annotations

import pytest
from fake_api import source_for
from ingest_helpers import FAST_POLICY, HOUR, ROOMY

from ingest_lambda.errors import (
    IngestError,
    ItemsForbiddenError,
    NotPlaylistOwnerError,
    RetriesExhaustedError,
)
from ingest_lambda.settings import AuthMode
from ingest_lambda.source import items_forbidden
from spotify_etl.fake_spotify import CHART_PLAYLIST_ID, EDGE_CASE_PLAYLIST_ID, FakeSpotify, Fault

DEV_MODE_RULE = "a development-mode app may read /playlists/{id}/items only for playlists"


def test_a_500_storm_on_the_token_endpoint_is_reported_as_the_token_endpoints() -> None:
    with FakeSpotify(profile="extended", now=HOUR) as fake:
        fake.inject(Fault(kind="status", status=500, path="/api/token", count=100))
        source = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY)
        with pytest.raises(RetriesExhaustedError) as caught:
            source.fetch(CHART_PLAYLIST_ID, ROOMY)
        paths = {logged.path for logged in fake.requests}
    assert paths == {"/api/token"}  # no playlist GET was ever sent
    assert str(caught.value) == (
        f"the token endpoint {fake.token_url} (asked for a token for GET playlist "
        f"{CHART_PLAYLIST_ID}): gave up after 4 attempts, last failure: HTTP 500. Spotify or "
        "the network is failing; the next scheduled hour tries again."
    )


def test_an_unreachable_token_endpoint_is_named_too() -> None:
    with FakeSpotify(profile="extended", now=HOUR) as fake:
        source = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY)
        source._auth.token_url = "http://127.0.0.1:9/api/token"
        with pytest.raises(RetriesExhaustedError) as caught:
            source.fetch(CHART_PLAYLIST_ID, ROOMY)
    assert str(caught.value).startswith(
        "the token endpoint http://127.0.0.1:9/api/token (asked for a token for GET playlist "
    )
    assert "last failure: connection error" in str(caught.value)


def forbidden_items(api_profile: str | None) -> IngestError:
    """The error for a 403 on /items: the dev-2026 fake's answer to a client-credentials token,
    which has no user and so owns no playlist."""
    with FakeSpotify(profile="dev-2026", now=HOUR) as fake:
        source = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY, api_profile=api_profile)
        with pytest.raises(IngestError) as caught:
            source.fetch(EDGE_CASE_PLAYLIST_ID, ROOMY)
    return caught.value


def test_a_403_on_items_is_not_blamed_on_development_mode_without_evidence() -> None:
    error = forbidden_items(None)
    assert isinstance(error, ItemsForbiddenError)
    assert error.code == "items_forbidden"
    assert "The app's access level is not known here (API_PROFILE is not set). If it is a " in (
        str(error)
    )
    assert "If it is an extended-quota app, that rule does not apply" in str(error)


def test_a_403_on_items_of_an_extended_app_says_check_the_access_level() -> None:
    error = forbidden_items("extended")
    assert isinstance(error, ItemsForbiddenError)
    assert str(error) == (
        f"reading the entries of playlist {EDGE_CASE_PLAYLIST_ID} was refused (403 'Forbidden'). "
        "API_PROFILE=extended says the app has extended quota, to which the development-mode "
        "rule (entries only of the user's own playlists) does not apply: check on "
        "https://developer.spotify.com/dashboard that the app still has extended quota (if it "
        "is now in development mode, set API_PROFILE=dev-2026 and ingest a copy the authorising "
        "user owns); otherwise check that the playlist is public, or shared with the "
        "authorising user."
    )


def test_a_403_on_items_of_a_known_development_mode_app_states_the_rule() -> None:
    error = forbidden_items("dev-2026")
    assert isinstance(error, NotPlaylistOwnerError)
    assert DEV_MODE_RULE in str(error)
    assert "(and a client-credentials token has no user)" in str(error)


def test_with_a_users_token_the_rule_leaves_out_the_client_credentials_remark() -> None:
    error = items_forbidden(EDGE_CASE_PLAYLIST_ID, "Forbidden", "dev-2026", AuthMode.REFRESH_TOKEN)
    assert isinstance(error, NotPlaylistOwnerError)
    assert DEV_MODE_RULE in str(error)
    assert "client-credentials" not in str(error)
