"""Read the authorising user (GET /me) and their top tracks (GET /me/top/tracks), all or nothing."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import spotipy
from spotipy.exceptions import SpotifyException

from ingest_lambda.errors import (
    IncompleteTopTracksError,
    IngestError,
    MissingScopeError,
    PremiumRequiredError,
    SpotifyApiError,
    TopTracksNeedUserError,
)
from ingest_lambda.keys import validate_time_range
from ingest_lambda.unchanged import ChangedWhileReadError

TOP_TRACKS_PAGE_LIMIT = 50
# GET /me/top/tracks serves ranks 1-100 at most, whatever its `total` says (decision 0087).
TOP_TRACKS_MAX = 100
INSUFFICIENT_SCOPE = "insufficient client scope"
PREMIUM_REQUIRED_HINT = "premium"
HTTP_UNAUTHORIZED, HTTP_FORBIDDEN, HTTP_NOT_FOUND = 401, 403, 404

Translator = Callable[[SpotifyException], IngestError]


class ApiCall(Protocol):
    """One API request with the source's retries; a final error is `translator(error)`."""

    def __call__(
        self, request: Callable[[], Any], what: str, translator: Translator
    ) -> tuple[dict[str, Any], int]:
        """Run `request`, retrying; return (answer, attempts)."""
        ...


@dataclass(frozen=True)
class FetchedTopTracks:
    """One time range's top tracks read completely: the user, the tracks in rank order."""

    user: dict[str, Any]
    tracks: list[dict[str, Any]] = field(repr=False)
    total: int
    attempts: int


def _message(error: SpotifyException) -> str:
    # spotipy puts "<url>:\n <message>" into msg.
    return str(error.msg).rsplit("\n", 1)[-1].strip()


def translate_top_tracks_error(
    error: SpotifyException, what: str, *, user_call: bool = False
) -> IngestError:
    """Map a non-retryable answer of /me (`user_call`) or /me/top/tracks to what to do."""
    message = _message(error)
    status = error.http_status
    if status == HTTP_FORBIDDEN and PREMIUM_REQUIRED_HINT in message.lower():
        return PremiumRequiredError(message)
    if status == HTTP_FORBIDDEN and INSUFFICIENT_SCOPE in message.lower():
        return MissingScopeError(message)
    # A client-credentials token calling /me: "404 Invalid username" (decision 0087).
    if status == HTTP_NOT_FOUND and user_call:
        return TopTracksNeedUserError(f"404 {message!r} to GET /me")
    if status == HTTP_UNAUTHORIZED:
        return SpotifyApiError(
            f"{what} answered 401 ({message}): the access token was refused. Check the app's "
            "credentials and AUTH_MODE; with refresh_token, run `spotify-etl auth` again."
        )
    return SpotifyApiError(f"{what} answered {status} ({message})")


def read_current_user(call: ApiCall, client: spotipy.Spotify) -> tuple[dict[str, Any], int]:
    """GET /me: the authorising user; (user, attempts).

    Raises:
        SpotifyApiError: the answer has no string `id`.
    """
    what = "GET /me (the authorising user)"
    user, attempts = call(
        client.current_user,
        what,
        functools.partial(translate_top_tracks_error, what=what, user_call=True),
    )
    if not isinstance(user.get("id"), str) or not user["id"]:
        raise SpotifyApiError(f"{what} answered without a user id")
    return user, attempts


def read_top_tracks(
    call: ApiCall, client: spotipy.Spotify, time_range: str
) -> tuple[list[dict[str, Any]], int, int]:
    """Every served top track of `time_range` (the first min(total, 100)), in rank order.

    Returns (tracks, total, attempts). Pages are requested by offset, never by `next`: past
    rank 100 the API answers an empty page whatever `total` says. Top tracks have no
    `snapshot_id`: after a second page the first is read again, and the read counts only if it
    is unchanged (decision 0105: a change that reached page 1 shows there, and one confined to
    ranks 51-100 cannot tear a snapshot whose page 2 was read once).

    Raises:
        ChangedWhileReadError: `total` changed, or page 1 differs when read again.
        IncompleteTopTracksError: a page is out of place, or a rank is missing.
    """
    checked = validate_time_range(time_range)
    tracks: list[dict[str, Any]] = []
    total: int | None = None
    attempts = 0
    first: list[Any] = []
    for page_number in range(1, TOP_TRACKS_MAX // TOP_TRACKS_PAGE_LIMIT + 1):
        offset = len(tracks)
        page, page_attempts = _top_tracks_page(call, client, checked, page_number, offset)
        attempts += page_attempts
        try:
            total = check_top_tracks_page(page, checked, offset=offset, expected_total=total)
        except ChangedWhileReadError as changed:
            raise changed.plus(attempts) from None
        tracks.extend(page["items"])
        first = first or page["items"]
        if len(tracks) >= min(total, TOP_TRACKS_MAX) or not page["items"]:
            break
    assert total is not None
    wanted = min(total, TOP_TRACKS_MAX)
    if len(tracks) != wanted:
        raise IncompleteTopTracksError(
            f"top tracks {checked}: read {len(tracks)} tracks but expected {wanted} (total "
            f"{total}, at most {TOP_TRACKS_MAX} served); nothing written (the next run tries again)"
        )
    if len(tracks) > len(first):
        again, again_attempts = _top_tracks_page(call, client, checked, 1, 0)
        attempts += again_attempts
        if _track_ids(again.get("items")) != _track_ids(first):
            raise ChangedWhileReadError("ranks 1-50 differ when read again", attempts)
    return tracks, total, attempts


def _top_tracks_page(
    call: ApiCall, client: spotipy.Spotify, time_range: str, page_number: int, offset: int
) -> tuple[dict[str, Any], int]:
    what = f"GET /me/top/tracks {time_range} page {page_number}"
    request = functools.partial(
        client.current_user_top_tracks,
        limit=TOP_TRACKS_PAGE_LIMIT,
        offset=offset,
        time_range=time_range,
    )
    return call(request, what, functools.partial(translate_top_tracks_error, what=what))


def _track_ids(items: Any) -> list[Any]:
    if not isinstance(items, list):
        return []
    return [track.get("id") if isinstance(track, dict) else None for track in items]


def check_top_tracks_page(
    page: dict[str, Any], time_range: str, *, offset: int, expected_total: int | None
) -> int:
    """Check one top-tracks page's shape and place; return its `total`."""
    items, total = page.get("items"), page.get("total")
    problem = None
    if not isinstance(items, list) or not isinstance(total, int):
        problem = "a page lacks `items` or `total`"
    elif not all(isinstance(track, dict) for track in items):
        problem = "a page holds a non-object track"
    elif page.get("offset", 0) != offset:
        problem = f"page at offset {page.get('offset')} where {offset} was expected"
    elif expected_total is not None and total != expected_total:
        raise ChangedWhileReadError(f"total {expected_total} -> {total}")
    if problem is not None:
        raise IncompleteTopTracksError(
            f"top tracks {time_range}: {problem}; nothing written (the next run tries again)"
        )
    assert isinstance(total, int)
    return total
