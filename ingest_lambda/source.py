"""Fetch charts through spotipy, with bounded retries: playlists and the user's top tracks."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, Protocol

import requests
import spotipy
from spotipy.exceptions import SpotifyException

from ingest_lambda.auth import TokenManager
from ingest_lambda.errors import (
    ChartUnavailableError,
    IngestError,
    ItemsForbiddenError,
    NotPlaylistOwnerError,
    PlaylistNotFoundError,
    PremiumRequiredError,
    SpotifyApiError,
    TopTracksNeedUserError,
)
from ingest_lambda.playlists import FetchedPlaylist, read_playlist
from ingest_lambda.retry import (
    Deadline,
    RetryPolicy,
    TransientResponseError,
    call_with_retries,
)
from ingest_lambda.secrets import SecretStore
from ingest_lambda.settings import AuthMode
from ingest_lambda.top_tracks import (
    ApiCall,
    FetchedTopTracks,
    Translator,
    read_current_user,
    read_top_tracks,
)
from ingest_lambda.unchanged import read_unchanged

DEV_MODE_PROFILE = "dev-2026"
# Spotify-owned editorial and algorithmic playlists (every chart) have ids starting with this.
SPOTIFY_OWNED_ID_PREFIX = "37i9dQZ"
PREMIUM_REQUIRED_HINT = "premium"
HTTP_UNAUTHORIZED, HTTP_FORBIDDEN, HTTP_NOT_FOUND = 401, 403, 404


class PlaylistSource(Protocol):
    """What the core needs: read one playlist completely or raise an `IngestError`."""

    def fetch(self, playlist_id: str, deadline: Deadline) -> FetchedPlaylist:
        """Read the playlist's metadata and all of its entries."""
        ...


class ChartSource(PlaylistSource, Protocol):
    """A source of both chart kinds: playlists and the authorising user's top tracks."""

    def fetch_top_tracks(self, time_range: str, deadline: Deadline) -> FetchedTopTracks:
        """Read the user and their top tracks for `time_range` (all or nothing)."""
        ...


def build_spotify_client(auth_manager: TokenManager, api_base_url: str) -> spotipy.Spotify:
    """A spotipy client whose HTTP retries are off, so `call_with_retries` alone decides.

    spotipy's own urllib3 retries would wait up to 6 h on a Retry-After and, once spent, raise
    a 429 without the body's `reason` (QUOTA_EXCEEDED is lost). A plain `requests.Session` has
    no status retries, so every error answer reaches us with its body and headers.
    """
    client = spotipy.Spotify(
        auth_manager=auth_manager,
        requests_session=requests.Session(),
        retries=0,
        status_retries=0,
        backoff_factor=0,
    )
    client.prefix = api_base_url
    return client


def _message(error: SpotifyException) -> str:
    # spotipy puts "<url>:\n <message>" into msg.
    return str(error.msg).rsplit("\n", 1)[-1].strip()


def items_forbidden(
    playlist_id: str, message: str, api_profile: str | None, mode: AuthMode
) -> IngestError:
    """A 403 on /items, explained by what is known: the development-mode rule only when
    API_PROFILE says the app is in development mode, never for an extended or unknown app."""
    if api_profile == DEV_MODE_PROFILE:
        return NotPlaylistOwnerError(playlist_id, message, mode is AuthMode.CLIENT_CREDENTIALS)
    return ItemsForbiddenError(playlist_id, message, api_profile)


def translate(
    error: SpotifyException,
    playlist_id: str,
    *,
    items: bool,
    what: str,
    api_profile: str | None = None,
    mode: AuthMode = AuthMode.CLIENT_CREDENTIALS,
) -> IngestError:
    """Map a non-retryable API error to the error that says what to do about it."""
    message = _message(error)
    status = error.http_status
    translated: IngestError = SpotifyApiError(f"{what} answered {status} ({message})")
    if status == HTTP_FORBIDDEN and PREMIUM_REQUIRED_HINT in message.lower():
        translated = PremiumRequiredError(message)
    elif status == HTTP_FORBIDDEN and items:
        translated = items_forbidden(playlist_id, message, api_profile, mode)
    elif status == HTTP_NOT_FOUND and playlist_id.startswith(SPOTIFY_OWNED_ID_PREFIX):
        translated = ChartUnavailableError(playlist_id)
    elif status == HTTP_NOT_FOUND:
        translated = PlaylistNotFoundError(playlist_id)
    elif status == HTTP_UNAUTHORIZED:
        translated = SpotifyApiError(
            f"{what} answered 401 ({message}): the access token was refused. Check the app's "
            "credentials and AUTH_MODE; with refresh_token, run `spotify-etl auth` again."
        )
    return translated


class SpotipySource:
    """Reads playlists from the Spotify Web API (or the local fake) through spotipy."""

    def __init__(
        self,
        client: spotipy.Spotify,
        auth_manager: TokenManager,
        *,
        market: str | None,
        policy: RetryPolicy,
        sleep: Callable[[float], None],
        api_profile: str | None = None,
    ) -> None:
        """Use `client` (from `build_spotify_client`) with `auth_manager` as its token source.

        `api_profile` (API_PROFILE) is what is known of the app's access level: it decides how
        a refusal is explained.
        """
        self._client = client
        self._auth = auth_manager
        self.market = market
        self.api_profile = api_profile
        self.policy = policy
        self._sleep = sleep
        self._user: dict[str, Any] | None = None

    def _call(
        self,
        request: Callable[[], Any],
        what: str,
        playlist_id: str,
        deadline: Deadline,
        *,
        items: bool,
        translator: Translator | None = None,
    ) -> tuple[dict[str, Any], int]:
        def attempt(timeout_s: float) -> dict[str, Any]:
            self._client.requests_timeout = timeout_s
            self._auth.requests_timeout = timeout_s
            try:
                answer = request()
            except SpotifyException as error:
                # spotipy never refreshes on 401; a token can expire early (clock skew,
                # revocation), so get a fresh one once before calling it a failure.
                if error.http_status != HTTP_UNAUTHORIZED:
                    raise
                self._auth.forget_token()
                answer = request()
            # spotipy turns a 2xx body that is not JSON (cut off mid-way) into None.
            if not isinstance(answer, dict):
                raise TransientResponseError(f"{what}: the body was empty or not JSON")
            return answer

        try:
            return call_with_retries(
                attempt, what=what, policy=self.policy, deadline=deadline, sleep=self._sleep
            )
        except SpotifyException as error:
            if translator is not None:
                raise translator(error) from error
            raise translate(
                error,
                playlist_id,
                items=items,
                what=what,
                api_profile=self.api_profile,
                mode=self._auth.mode,
            ) from error

    def _api_call(self, deadline: Deadline) -> ApiCall:
        def call(
            request: Callable[[], Any], what: str, translator: Translator
        ) -> tuple[dict[str, Any], int]:
            return self._call(request, what, "", deadline, items=False, translator=translator)

        return call

    def fetch_top_tracks(self, time_range: str, deadline: Deadline) -> FetchedTopTracks:
        """Read the user (GET /me, once per source) and their top tracks for `time_range`.

        Raises:
            TopTracksNeedUserError: in client-credentials mode, before any request.
            IngestError: any other failure, already explained.
        """
        if self._auth.mode is AuthMode.CLIENT_CREDENTIALS:
            raise TopTracksNeedUserError()
        attempts = 0
        if self._user is None:
            self._user, attempts = read_current_user(self._api_call(deadline), self._client)

        def read_once() -> tuple[tuple[list[dict[str, Any]], int], int]:
            tracks, total, read_attempts = read_top_tracks(
                self._api_call(deadline), self._client, time_range
            )
            return (tracks, total), read_attempts

        (tracks, total), page_attempts = read_unchanged(read_once, f"top tracks {time_range}")
        return FetchedTopTracks(self._user, tracks, total, attempts + page_attempts)

    def fetch(self, playlist_id: str, deadline: Deadline) -> FetchedPlaylist:
        """Read metadata, every entry page, then the version again; all or nothing.

        A read whose pages do not all belong to one version of the playlist (`snapshot_id`
        before and after differ, or `total` changed) is repeated, a bounded number of times.

        Raises:
            ChartChangedError: the playlist changed during every read.
            IncompletePlaylistError: the pages do not add up to `total`.
            IngestError: any other failure, already explained.
        """

        def call(
            request: Callable[[], Any], what: str, *, items: bool
        ) -> tuple[dict[str, Any], int]:
            return self._call(request, what, playlist_id, deadline, items=items)

        fetched, attempts = read_unchanged(
            functools.partial(read_playlist, call, self._client, playlist_id, self.market),
            f"playlist {playlist_id}",
        )
        return FetchedPlaylist(fetched.metadata, fetched.entries, attempts)


def build_spotipy_source(
    *,
    store: SecretStore,
    mode: AuthMode,
    api_base_url: str,
    token_url: str,
    market: str | None,
    policy: RetryPolicy,
    sleep: Callable[[float], None],
    wall_clock: Callable[[], float] = time.time,
    api_profile: str | None = None,
) -> SpotipySource:
    """Wire a `TokenManager` (reads `store` once) and a spotipy client into a source.

    `wall_clock` (epoch seconds) judges token expiry; the local run passes the fake's clock.
    """
    auth_manager = TokenManager(
        store=store,
        mode=mode,
        token_url=token_url,
        session=requests.Session(),
        wall_clock=wall_clock,
    )
    client = build_spotify_client(auth_manager, api_base_url)
    return SpotipySource(
        client, auth_manager, market=market, policy=policy, sleep=sleep, api_profile=api_profile
    )
