"""Read one playlist whole: metadata, every entry page, and its version before and after."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import spotipy

from ingest_lambda.errors import IncompletePlaylistError
from ingest_lambda.unchanged import ChangedWhileReadError

PAGE_LIMIT = 50
# Only what the envelope keeps: skips the embedded first page of entries.
PLAYLIST_FIELDS = "id,name,snapshot_id,owner(id,display_name),followers(total)"
# Asked again after the last page: the version every page must belong to.
VERSION_FIELDS = "snapshot_id"
ADDITIONAL_TYPES = ("track", "episode")


@dataclass(frozen=True)
class FetchedPlaylist:
    """A playlist read completely: metadata, every entry in order, and the attempts it took."""

    metadata: dict[str, Any]
    entries: list[dict[str, Any]] = field(repr=False)
    attempts: int


class PlaylistCall(Protocol):
    """One request with the source's retries and error translation (`items`: an /items page)."""

    def __call__(
        self, request: Callable[[], Any], what: str, *, items: bool
    ) -> tuple[dict[str, Any], int]:
        """Run `request`, retrying; return (answer, attempts)."""
        ...


def read_playlist(
    call: PlaylistCall, client: spotipy.Spotify, playlist_id: str, market: str | None
) -> tuple[FetchedPlaylist, int]:
    """One read: metadata, the pages, then `snapshot_id` again; (playlist, attempts).

    Raises:
        ChangedWhileReadError: `snapshot_id` before and after differ, or `total` changed.
        IncompletePlaylistError: no `snapshot_id`, or the pages do not add up.
    """
    what = f"GET playlist {playlist_id}"
    metadata, attempts = _metadata(
        call, client, playlist_id, market, fields=PLAYLIST_FIELDS, what=what
    )
    before = metadata.get("snapshot_id")
    if not isinstance(before, str) or not before:
        raise IncompletePlaylistError(
            f"playlist {playlist_id}: {what} answered no snapshot_id, so its pages cannot be "
            "confirmed to belong to one version; nothing written"
        )
    try:
        entries, page_attempts = read_entries(call, client, playlist_id, market)
    except ChangedWhileReadError as changed:
        raise changed.plus(attempts) from None
    after, after_attempts = _metadata(
        call,
        client,
        playlist_id,
        market,
        fields=VERSION_FIELDS,
        what=f"{what} snapshot_id after its pages",
    )
    attempts += page_attempts + after_attempts
    if after.get("snapshot_id") != before:
        raise ChangedWhileReadError(f"snapshot_id {before} -> {after.get('snapshot_id')}", attempts)
    return FetchedPlaylist(metadata=metadata, entries=entries, attempts=attempts), attempts


def _metadata(
    call: PlaylistCall,
    client: spotipy.Spotify,
    playlist_id: str,
    market: str | None,
    *,
    fields: str,
    what: str,
) -> tuple[dict[str, Any], int]:
    request = functools.partial(
        client.playlist,
        playlist_id,
        fields=fields,
        market=market,
        additional_types=ADDITIONAL_TYPES,
    )
    return call(request, what, items=False)


def read_entries(
    call: PlaylistCall, client: spotipy.Spotify, playlist_id: str, market: str | None
) -> tuple[list[Any], int]:
    """Every entry page, following `next`; (entries, attempts). All or nothing."""
    first = functools.partial(
        client.playlist_items,
        playlist_id,
        limit=PAGE_LIMIT,
        market=market,
        additional_types=ADDITIONAL_TYPES,
    )
    page, attempts = call(first, f"GET playlist {playlist_id} items page 1", items=True)
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
        what = f"GET playlist {playlist_id} items page {page_number}"
        page, page_attempts = call(functools.partial(client.next, page), what, items=True)
        attempts += page_attempts
        try:
            check_page(page, playlist_id, expected_offset=len(entries), expected_total=total)
        except ChangedWhileReadError as changed:
            raise changed.plus(attempts) from None
    if len(entries) != total:
        raise IncompletePlaylistError(
            f"playlist {playlist_id}: read {len(entries)} entries but the API's total is "
            f"{total}; nothing written (the next run tries again)"
        )
    return entries, attempts


def check_page(
    page: dict[str, Any], playlist_id: str, *, expected_offset: int, expected_total: int | None
) -> int:
    """Check a paging object's shape and continuity; return its `total`.

    Raises:
        IncompletePlaylistError: a page out of shape or out of place.
        ChangedWhileReadError: `total` differs from the first page's (the playlist changed).
    """
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
        raise ChangedWhileReadError(f"total {expected_total} -> {total}")
    if offset != expected_offset:
        raise IncompletePlaylistError(
            f"playlist {playlist_id}: page at offset {offset} where {expected_offset} was "
            "expected; nothing written"
        )
    return total
