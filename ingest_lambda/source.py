"""Fetch one playlist (metadata and every entry page) through spotipy, with bounded retries."""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests
import spotipy
from spotipy.exceptions import SpotifyException

from ingest_lambda.auth import TokenManager
from ingest_lambda.errors import (
    ChartUnavailableError,
    IncompletePlaylistError,
    IngestError,
    NotPlaylistOwnerError,
    PlaylistNotFoundError,
    PremiumRequiredError,
    SpotifyApiError,
    TopTracksNeedUserError,
)
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

PAGE_LIMIT = 50
# Only what the envelope keeps: skips the embedded first page of entries.
PLAYLIST_FIELDS = "id,name,snapshot_id,owner(id,display_name),followers(total)"
ADDITIONAL_TYPES = ("track", "episode")
# Spotify-owned editorial and algorithmic playlists (every chart) have ids starting with this.
SPOTIFY_OWNED_ID_PREFIX = "37i9dQZ"
PREMIUM_REQUIRED_HINT = "premium"
HTTP_UNAUTHORIZED, HTTP_FORBIDDEN, HTTP_NOT_FOUND = 401, 403, 404


@dataclass(frozen=True)
class FetchedPlaylist:
    """A playlist read completely: metadata, every entry in order, and the attempts it took."""

    metadata: dict[str, Any]
    entries: list[dict[str, Any]] = field(repr=False)
    attempts: int


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


def translate(error: SpotifyException, playlist_id: str, *, items: bool, what: str) -> IngestError:
    """Map a non-retryable API error to the error that says what to do about it."""
    message = _message(error)
    status = error.http_status
    translated: IngestError = SpotifyApiError(f"{what} answered {status} ({message})")
    if status == HTTP_FORBIDDEN and PREMIUM_REQUIRED_HINT in message.lower():
        translated = PremiumRequiredError(message)
    elif status == HTTP_FORBIDDEN and items:
        translated = NotPlaylistOwnerError(playlist_id, message)
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
    ) -> None:
        """Use `client` (from `build_spotify_client`) with `auth_manager` as its token source."""
        self._client = client
        self._auth = auth_manager
        self.market = market
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
            raise translate(error, playlist_id, items=items, what=what) from error

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
        tracks, total, page_attempts = read_top_tracks(
            self._api_call(deadline), self._client, time_range
        )
        return FetchedTopTracks(self._user, tracks, total, attempts + page_attempts)

    def fetch(self, playlist_id: str, deadline: Deadline) -> FetchedPlaylist:
        """Read metadata, then every entry page (following `next`); all or nothing.

        Raises:
            IncompletePlaylistError: the pages do not add up to `total`, or it changed.
            IngestError: any other failure, already explained.
        """
        metadata, attempts = self._call(
            lambda: self._client.playlist(
                playlist_id,
                fields=PLAYLIST_FIELDS,
                market=self.market,
                additional_types=ADDITIONAL_TYPES,
            ),
            f"GET playlist {playlist_id}",
            playlist_id,
            deadline,
            items=False,
        )
        page, page_attempts = self._call(
            lambda: self._client.playlist_items(
                playlist_id, limit=PAGE_LIMIT, market=self.market, additional_types=ADDITIONAL_TYPES
            ),
            f"GET playlist {playlist_id} items page 1",
            playlist_id,
            deadline,
            items=True,
        )
        attempts += page_attempts
        entries: list[dict[str, Any]] = []
        total = check_page(page, playlist_id, expected_offset=0, expected_total=None)
        max_pages = max(1, math.ceil(total / PAGE_LIMIT))
        for page_number in range(2, max_pages + 2):
            entries.extend(page["items"])
            if not page.get("next"):
                break
            if page_number > max_pages:
                raise IncompletePlaylistError(
                    f"playlist {playlist_id}: more pages than a total of {total} allows; "
                    "nothing written"
                )
            page, page_attempts = self._call(
                functools.partial(self._client.next, page),
                f"GET playlist {playlist_id} items page {page_number}",
                playlist_id,
                deadline,
                items=True,
            )
            attempts += page_attempts
            check_page(page, playlist_id, expected_offset=len(entries), expected_total=total)
        if len(entries) != total:
            raise IncompletePlaylistError(
                f"playlist {playlist_id}: read {len(entries)} entries but the API's total is "
                f"{total}; nothing written (the next run tries again)"
            )
        return FetchedPlaylist(metadata=metadata, entries=entries, attempts=attempts)


def check_page(
    page: dict[str, Any], playlist_id: str, *, expected_offset: int, expected_total: int | None
) -> int:
    """Check a paging object's shape and continuity; return its `total`."""
    items, total, offset = page.get("items"), page.get("total"), page.get("offset", 0)
    if not isinstance(items, list) or not isinstance(total, int):
        raise IncompletePlaylistError(
            f"playlist {playlist_id}: an entries page lacks `items` or `total`; nothing written"
        )
    if not all(isinstance(entry, dict) for entry in items):
        raise IncompletePlaylistError(
            f"playlist {playlist_id}: an entries page holds a non-object entry; nothing written"
        )
    if expected_total is not None and total != expected_total:
        raise IncompletePlaylistError(
            f"playlist {playlist_id} changed while being read (total {expected_total} -> "
            f"{total}); nothing written (the next run tries again)"
        )
    if offset != expected_offset:
        raise IncompletePlaylistError(
            f"playlist {playlist_id}: page at offset {offset} where {expected_offset} was "
            "expected; nothing written"
        )
    return total


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
    return SpotipySource(client, auth_manager, market=market, policy=policy, sleep=sleep)
