"""Paging checks of the spotipy source with a scripted client: all or nothing, in order."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from ingest_helpers import FAST_POLICY, ROOMY, metadata
from spotify_fixtures import load_fixture

from ingest_lambda.errors import IncompletePlaylistError
from ingest_lambda.source import SpotipySource, check_page

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
    """Answers `playlist`, `playlist_items` and `next` from a list of pages."""

    pages: list[dict[str, Any]]
    calls: list[str] = field(default_factory=list)
    requests_timeout: float = 0.0

    def playlist(self, playlist_id: str, **_: Any) -> dict[str, Any]:
        self.calls.append("playlist")
        return metadata(playlist_id)

    def playlist_items(self, playlist_id: str, **_: Any) -> dict[str, Any]:
        self.calls.append("items")
        return self.pages.pop(0)

    def next(self, current: dict[str, Any]) -> dict[str, Any]:
        self.calls.append(str(current["next"]))
        return self.pages.pop(0)


class NoAuth:
    requests_timeout = 0.0

    def forget_token(self) -> None:
        """Nothing cached."""


def fetch(pages: list[dict[str, Any]]) -> tuple[list[str], Any]:
    client = ScriptedClient(pages)
    source = SpotipySource(client, NoAuth(), market=None, policy=FAST_POLICY, sleep=time.sleep)  # type: ignore[arg-type]
    return client.calls, source.fetch(PLAYLIST, ROOMY)


def test_pages_are_followed_until_next_is_null() -> None:
    calls, fetched = fetch(
        [page(0, 50, 120, True), page(50, 50, 120, True), page(100, 20, 120, False)]
    )
    assert calls == ["playlist", "items", "next-50", "next-100"]
    assert [entry["item"]["id"] for entry in fetched.entries] == [f"t{n}" for n in range(120)]
    assert fetched.attempts == 4


def test_an_empty_playlist_is_a_valid_snapshot() -> None:
    calls, fetched = fetch([page(0, 0, 0, False)])
    assert (calls, fetched.entries) == (["playlist", "items"], [])


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        (
            [page(0, 50, 100, True), page(50, 50, 101, False)],
            r"changed while being read \(total 100 -> 101\)",
        ),
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
