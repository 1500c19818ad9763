"""Paging checks of the spotipy source with a scripted client: all or nothing, in order."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from ingest_helpers import FAST_POLICY, ROOMY, metadata
from spotify_fixtures import load_fixture

from ingest_lambda.errors import ChartChangedError, IncompletePlaylistError
from ingest_lambda.playlists import check_page
from ingest_lambda.settings import AuthMode
from ingest_lambda.source import SpotipySource

PLAYLIST = "0123456789abcdefghijAB"


def page(offset: int, size: int, total: int, has_next: bool) -> dict[str, Any]:
    items = [{"item": {"id": f"t{offset + n}"}, "track": None} for n in range(size)]
    return {
        "items": items,
        "offset": offset,
        "total": total,
        "limit": 50,
        "next": f"next-{offset + 50}" if has_next else None,
    }


@dataclass
class ScriptedClient:
    """Answers `playlist_items` and `next` from a list of pages, and `playlist` with the next
    of `versions` as its snapshot_id (the last one once the list is used up)."""

    pages: list[dict[str, Any]]
    calls: list[str] = field(default_factory=list)
    requests_timeout: float = 0.0
    versions: list[str] = field(default_factory=lambda: ["snap1"])

    def playlist(self, playlist_id: str, **_: Any) -> dict[str, Any]:
        self.calls.append("playlist")
        version = self.versions.pop(0) if len(self.versions) > 1 else self.versions[0]
        return {**metadata(playlist_id), "snapshot_id": version}

    def playlist_items(self, playlist_id: str, **_: Any) -> dict[str, Any]:
        self.calls.append("items")
        return self.pages.pop(0)

    def next(self, current: dict[str, Any]) -> dict[str, Any]:
        self.calls.append(str(current["next"]))
        return self.pages.pop(0)


class NoAuth:
    requests_timeout = 0.0
    mode = AuthMode.CLIENT_CREDENTIALS

    def forget_token(self) -> None:
        """Nothing cached."""


def fetch(pages: list[dict[str, Any]], versions: list[str] | None = None) -> tuple[list[str], Any]:
    client = ScriptedClient(pages, versions=versions or ["snap1"])
    source = SpotipySource(client, NoAuth(), market=None, policy=FAST_POLICY, sleep=time.sleep)  # type: ignore[arg-type]
    return client.calls, source.fetch(PLAYLIST, ROOMY)


def test_pages_are_followed_until_next_is_null() -> None:
    calls, fetched = fetch(
        [page(0, 50, 120, True), page(50, 50, 120, True), page(100, 20, 120, False)]
    )
    assert calls == ["playlist", "items", "next-50", "next-100", "playlist"]
    assert [entry["item"]["id"] for entry in fetched.entries] == [f"t{n}" for n in range(120)]
    assert fetched.attempts == 5


def test_an_empty_playlist_is_a_valid_snapshot() -> None:
    calls, fetched = fetch([page(0, 0, 0, False)])
    assert (calls, fetched.entries) == (["playlist", "items", "playlist"], [])


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        (
            [page(0, 50, 100, True), page(50, 49, 100, False)],
            "read 99 entries but the API's total is 100",
        ),
        (
            [page(0, 50, 100, True), page(60, 40, 100, False)],
            "page at offset 60 where 50 was expected",
        ),
        (
            [page(0, 50, 100, True), page(50, 50, 100, True), page(100, 0, 100, False)],
            "more pages than a total of 100 allows",
        ),
        ([{"items": [1], "offset": 0, "total": 1, "next": None}], "holds a non-object entry"),
        ([{"offset": 0, "total": 1, "next": None}], "lacks `items` or `total`"),
    ],
)
def test_anything_but_a_whole_contiguous_playlist_is_refused(
    pages: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(IncompletePlaylistError, match=message):
        fetch(pages)


def test_a_recorded_2026_items_page_passes_the_page_checks() -> None:
    recorded = load_fixture("playlist_items_page_2026.json")
    assert check_page(recorded, PLAYLIST, expected_offset=0, expected_total=None) == 1


def test_a_total_that_changes_between_pages_means_read_again() -> None:
    calls, fetched = fetch(
        [
            page(0, 50, 100, True),
            page(50, 50, 101, False),  # an entry was added between the pages
            page(0, 50, 100, True),
            page(50, 50, 100, False),
        ]
    )
    # The first read stops at the changed total; the second is whole, snapshot_id included.
    assert calls == ["playlist", "items", "next-50", "playlist", "items", "next-50", "playlist"]
    assert [entry["item"]["id"] for entry in fetched.entries] == [f"t{n}" for n in range(100)]
    assert fetched.attempts == 7  # every request of both reads


def test_a_snapshot_id_that_changes_while_paging_means_read_again() -> None:
    calls, fetched = fetch(
        [page(0, 50, 100, True), page(50, 50, 100, False)] * 2, versions=["v1", "v2", "v2"]
    )
    assert calls == ["playlist", "items", "next-50", "playlist"] * 2
    assert fetched.metadata["snapshot_id"] == "v2"
    assert fetched.attempts == 8


def test_a_playlist_that_never_holds_still_fails_by_name_after_three_reads() -> None:
    with pytest.raises(ChartChangedError) as caught:
        fetch([page(0, 50, 100, True), page(50, 50, 100, False)] * 3, versions=[*"abcdef"])
    assert str(caught.value) == (
        f"playlist {PLAYLIST} changed while its pages were read, on each of 3 reads (snapshot_id "
        "a -> b; snapshot_id c -> d; snapshot_id e -> f); nothing written, so no snapshot mixes "
        "two versions (the next run tries again)"
    )
    assert caught.value.code == "chart_changed_while_read"


def test_a_playlist_without_snapshot_id_cannot_be_confirmed_whole() -> None:
    with pytest.raises(IncompletePlaylistError, match="answered no snapshot_id"):
        fetch([page(0, 1, 1, False)], versions=[""])
