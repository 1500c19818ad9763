"""The `fields` filter and `additional_types`, alone and over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from fake_helpers import NOW, app_client, user_client
from hypothesis import given
from hypothesis import strategies as st

from spotify_etl.fake_spotify import CHART_PLAYLIST_ID, EDGE_CASE_PLAYLIST_ID, FakeSpotify
from spotify_etl.fake_spotify.content import playlist_entries
from spotify_etl.fake_spotify.fields import FieldsSyntaxError, apply_fields, parse_fields

ENTRY = {
    "added_at": "2025-01-01T00:00:00Z",
    "added_by": {"id": "u", "type": "user"},
    "track": {"id": "t", "name": "n", "album": {"id": "a", "name": "b", "images": [1, 2]}},
}
PAGE = {"items": [ENTRY, {**ENTRY, "track": None}], "total": 2, "limit": 50, "next": None}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ("total,limit", {"total": 2, "limit": 50}),
        (
            "items(added_at,added_by.id)",
            {"items": [{"added_at": ENTRY["added_at"], "added_by": {"id": "u"}}] * 2},
        ),
        (
            "items(track(name,album(name)))",
            {"items": [{"track": {"name": "n", "album": {"name": "b"}}}, {"track": None}]},
        ),
        (
            "items.track.album(!images),next",
            {
                "items": [{"track": {"album": {"id": "a", "name": "b"}}}, {"track": None}],
                "next": None,
            },
        ),
        (
            "items(track.id),items(added_by.id)",
            {
                "items": [
                    {"track": {"id": "t"}, "added_by": {"id": "u"}},
                    {"track": None, "added_by": {"id": "u"}},
                ]
            },
        ),
        ("missing,total", {"total": 2}),
    ],
)
def test_documented_forms(fields: str, expected: dict[str, Any]) -> None:
    assert apply_fields(PAGE, parse_fields(fields)) == expected


@pytest.mark.parametrize("fields", ["", "items(", "items(id))", "a,,b", "a.", "!(", "a b(c"])
def test_malformed_fields_are_refused(fields: str) -> None:
    with pytest.raises(FieldsSyntaxError):
        parse_fields(fields)


@given(st.sets(st.sampled_from(sorted(ENTRY))))
def test_top_level_selection_keeps_exactly_the_named_keys(names: set[str]) -> None:
    if names:
        assert set(apply_fields(ENTRY, parse_fields(",".join(sorted(names))))) == names


def test_fields_over_http_through_spotipy(extended_fake: FakeSpotify) -> None:
    client = app_client(extended_fake)
    page = client.playlist_items(CHART_PLAYLIST_ID, fields="items(track(id)),total,next")
    expected = playlist_entries(CHART_PLAYLIST_ID, NOW, "extended")[:50]
    assert page["items"] == [{"track": {"id": e["track"]["id"]}} for e in expected]
    assert page["total"] == 100
    assert page["next"] is not None
    second = client.next(page)
    assert set(second) == {"items", "total", "next"}  # `next` repeats the fields parameter
    playlist = client.playlist(CHART_PLAYLIST_ID, fields="name,tracks(total)")
    assert playlist == {"name": "Top 100: Fake Global", "tracks": {"total": 100}}


def test_additional_types_over_http(dev_fake: FakeSpotify) -> None:
    client = user_client(dev_fake)
    with_episodes = client.playlist_items(EDGE_CASE_PLAYLIST_ID)  # spotipy sends track,episode
    tracks_only = client.playlist_items(EDGE_CASE_PLAYLIST_ID, additional_types=("track",))
    assert "show" in with_episodes["items"][3]["item"]
    assert "show" not in tracks_only["items"][3]["item"]
    assert tracks_only["items"][3]["item"]["type"] == "episode"
    assert [e["item"] for i, e in enumerate(tracks_only["items"]) if i != 3] == [
        e["item"] for i, e in enumerate(with_episodes["items"]) if i != 3
    ]
