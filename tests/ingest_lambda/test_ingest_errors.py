"""Every refusal the ingestion explains, provoked against the Spotify fake."""

from __future__ import annotations

import pytest
from fake_api import credentials, source_for
from ingest_helpers import FAST_POLICY, HOUR, ROOMY, MemoryWriter, fixed_clock

from ingest_lambda.core import SnapshotLabels, ingest_hour
from ingest_lambda.errors import (
    ChartUnavailableError,
    InvalidCredentialsError,
    InvalidPlaylistIdError,
    NotPlaylistOwnerError,
    PlaylistNotFoundError,
    PremiumRequiredError,
    RefreshTokenRejectedError,
    SecretError,
)
from ingest_lambda.secrets import SpotifyCredentials
from ingest_lambda.settings import AuthMode
from spotify_etl.fake_spotify import CHART_PLAYLIST_ID, USER_CHART_PLAYLIST_ID, FakeSpotify
from spotify_etl.local_stores import MemoryStore

CHART_404 = (
    f"playlist {CHART_PLAYLIST_ID} answered 404 Not Found. Since 2024-11-27 Spotify answers 404 "
    "to new and development-mode apps for its own editorial and algorithmic playlists, "
    "including every chart (Top 50, Viral 50). Two ways out: (1) an extended-quota app with "
    "AUTH_MODE=client_credentials reads charts directly; (2) a development-mode app with "
    "AUTH_MODE=refresh_token (authorise once with `spotify-etl auth`) reading a copy of the "
    "chart that the authorising user owns or collaborates on, listed in PLAYLIST_IDS instead "
    "of the chart's id."
)


def test_a_chart_under_a_dev_mode_app_explains_the_2024_policy() -> None:
    with FakeSpotify(profile="dev-2026", now=HOUR) as fake:
        source = source_for(fake, AuthMode.REFRESH_TOKEN, FAST_POLICY)
        with pytest.raises(ChartUnavailableError) as caught:
            source.fetch(CHART_PLAYLIST_ID, ROOMY)
    assert str(caught.value) == CHART_404


def test_an_unknown_ordinary_playlist_says_check_the_id() -> None:
    with FakeSpotify(profile="extended", now=HOUR) as fake:
        source = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY)
        with pytest.raises(PlaylistNotFoundError, match="answered 404 Not Found: it was deleted"):
            source.fetch("0000000000000000000000", ROOMY)


def test_premium_required_says_renew_premium() -> None:
    with FakeSpotify(profile="dev-2026", now=HOUR, premium=False) as fake:
        source = source_for(fake, AuthMode.REFRESH_TOKEN, FAST_POLICY)
        with pytest.raises(PremiumRequiredError) as caught:
            source.fetch(USER_CHART_PLAYLIST_ID, ROOMY)
    assert str(caught.value) == (
        "Spotify answered 403 'Active premium subscription required for the owner of the app': "
        "since 2026-03-09 a development-mode app only works while the Spotify account that owns "
        "the app holds an active Premium subscription. Renew Premium on the app owner's "
        "account, or move to an extended-quota app."
    )


def test_items_of_a_playlist_the_user_does_not_own_explains_the_2026_rule() -> None:
    with FakeSpotify(profile="dev-2026", now=HOUR) as fake:
        # A client-credentials token has no user, so it owns nothing.
        source = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY, api_profile="dev-2026")
        with pytest.raises(NotPlaylistOwnerError) as caught:
            source.fetch(USER_CHART_PLAYLIST_ID, ROOMY)
        paths = [(logged.path, logged.status) for logged in fake.requests]
    assert str(caught.value) == (
        f"reading the entries of playlist {USER_CHART_PLAYLIST_ID} was refused (403 'Forbidden'). "
        "Since 2026-03-09 a development-mode app may read /playlists/{id}/items only for "
        "playlists that the authorising user owns or collaborates on (and a client-credentials "
        "token has no user). Make a copy of the playlist with the account you authorised with "
        "`spotify-etl auth` and ingest the copy, or use an extended-quota app."
    )
    assert paths[-1] == (f"/v1/playlists/{USER_CHART_PLAYLIST_ID}/items", 403)


@pytest.mark.parametrize("mode", list(AuthMode))
def test_invalid_client_credentials_say_where_to_fix_them(mode: AuthMode) -> None:
    with FakeSpotify(profile="extended", now=HOUR) as fake:
        store = MemoryStore(credentials(fake, secret="0" * 32))
        source = source_for(fake, mode, FAST_POLICY, store=store)
        with pytest.raises(InvalidCredentialsError) as caught:
            source.fetch(CHART_PLAYLIST_ID, ROOMY)
    assert str(caught.value) == (
        "Spotify rejected the client id/secret (invalid_client: Invalid client). Check "
        "client_id and client_secret in memory against the app's settings on "
        "https://developer.spotify.com/dashboard, or store them again with `spotify-etl auth`."
    )


def test_a_revoked_refresh_token_says_authorise_again() -> None:
    with FakeSpotify(profile="dev-2026", now=HOUR) as fake:
        store = MemoryStore(credentials(fake).with_refresh_token("AQrevoked"))
        source = source_for(fake, AuthMode.REFRESH_TOKEN, FAST_POLICY, store=store)
        with pytest.raises(RefreshTokenRejectedError) as caught:
            source.fetch(USER_CHART_PLAYLIST_ID, ROOMY)
    assert str(caught.value) == (
        "Spotify rejected the stored refresh token (invalid_grant: Invalid refresh token). "
        "Likely cause: since 2026-07-20 Spotify ends every refresh token six months after the "
        "user authorised, and refreshing does not extend it; else the user revoked access or "
        "the token belongs to another app. Authorise again with `spotify-etl auth` (it updates "
        "memory)."
    )


def test_refresh_mode_without_a_refresh_token_is_refused_before_any_request() -> None:
    with FakeSpotify(profile="dev-2026", now=HOUR) as fake:
        store = MemoryStore(SpotifyCredentials(fake.client_id, fake.client_secret))
        with pytest.raises(SecretError, match="holds no refresh_token; authorise once"):
            source_for(fake, AuthMode.REFRESH_TOKEN, FAST_POLICY, store=store)
        assert fake.requests == []


def test_a_rotated_refresh_token_is_written_back_and_used() -> None:
    with FakeSpotify(profile="dev-2026", now=HOUR, rotate_refresh_token=True) as fake:
        first_token = fake.refresh_token
        store = MemoryStore(credentials(fake))
        source = source_for(fake, AuthMode.REFRESH_TOKEN, FAST_POLICY, store=store)
        source.fetch(USER_CHART_PLAYLIST_ID, ROOMY)
        assert store.credentials.refresh_token == fake.refresh_token != first_token
        fake.set_now(HOUR.replace(hour=9))
        source.fetch(USER_CHART_PLAYLIST_ID, ROOMY)
        assert store.saves == 2
        assert store.credentials.refresh_token == fake.refresh_token


def test_a_bad_playlist_id_is_refused_before_any_request() -> None:
    with FakeSpotify(profile="extended", now=HOUR) as fake:
        source = source_for(fake, AuthMode.CLIENT_CREDENTIALS, FAST_POLICY)
        labels = SnapshotLabels(source="fake-spotify", api_profile=None, market=None)
        with pytest.raises(InvalidPlaylistIdError, match=r"'37i9dQZEVXbFAKE/\.\./x' is not"):
            ingest_hour(
                [CHART_PLAYLIST_ID, "37i9dQZEVXbFAKE/../x"],
                snapshot_ts=HOUR,
                source=source,
                writer=MemoryWriter(),
                clock=fixed_clock,
                deadline=ROOMY,
                labels=labels,
            )
        assert fake.requests == []
