"""The fake's bodies against the official OpenAPI schemas and the real recorded bodies."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest
from fake_helpers import NOW, json_schema, shape
from spotify_fixtures import load_fixture

from spotify_etl.fake_spotify import (
    CHART_PLAYLIST_ID,
    EDGE_CASE_PLAYLIST_ID,
    USER_CHART_PLAYLIST_ID,
)
from spotify_etl.fake_spotify.api import PlaylistApi
from spotify_etl.fake_spotify.content import playlist_entries, playlist_object

# The 2026 spec still lists `available_markets` as required on albums, though the February 2026
# changes removed it from development-mode answers (API.md section 1).
DEV_NOT_REQUIRED = frozenset({"available_markets"})
REMOVED_2026 = ("popularity", "available_markets", "linked_from")


def validator(profile: str, name: str, relinked: bool) -> jsonschema.Draft7Validator:
    # Track relinking (a `market` parameter) drops `available_markets` in every profile.
    not_required = DEV_NOT_REQUIRED if profile == "dev-2026" or relinked else frozenset()
    return jsonschema.Draft7Validator(
        json_schema(profile, name, not_required),
        format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER,
    )


def errors_of(profile: str, name: str, body: Any, relinked: bool = False) -> list[str]:
    return sorted(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(profile, name, relinked).iter_errors(body)
    )


def page(profile: str, playlist_id: str, **kwargs: Any) -> dict[str, Any]:
    """A paging object as the fake serves it (URLs on a dummy host)."""
    entries = playlist_entries(playlist_id, NOW, profile, **kwargs)
    return {"href": "http://h/x", "items": entries, "limit": 100, "next": None,
            "offset": 0, "previous": None, "total": len(entries)}  # fmt: skip


def spec_conformant(entry: dict[str, Any]) -> bool:
    """Local files and removed tracks break the spec in real bodies too (tested below)."""
    return entry["track"] is not None and not entry["is_local"]


@pytest.mark.parametrize("profile", ["extended", "dev-2026"])
@pytest.mark.parametrize("playlist_id", [USER_CHART_PLAYLIST_ID, EDGE_CASE_PLAYLIST_ID])
@pytest.mark.parametrize("market", [None, "JP"])
def test_entry_pages_validate_against_the_profiles_spec(
    profile: str, playlist_id: str, market: str | None
) -> None:
    body = page(profile, playlist_id, market=market, additional_types=["track", "episode"])
    body["items"] = [e for e in body["items"] if spec_conformant(e)]
    assert errors_of(profile, "PagingPlaylistTrackObject", body, relinked=bool(market)) == []


@pytest.mark.parametrize(
    ("field", "bad_value", "message"),
    [
        ("album_type", "ep", "'ep' is not one of"),
        ("release_date_precision", "week", "'week' is not one of"),
        ("images", [{"url": "u"}], "'height' is a required property"),
    ],
)
def test_the_converted_schema_catches_a_broken_album(
    field: str, bad_value: Any, message: str
) -> None:
    body = page("dev-2026", EDGE_CASE_PLAYLIST_ID)
    body["items"] = [e for e in body["items"] if spec_conformant(e)][:1]
    body["items"][0]["item"] = copy.deepcopy(body["items"][0]["item"])
    body["items"][0]["item"]["album"][field] = bad_value
    errors = errors_of("dev-2026", "PagingPlaylistTrackObject", body)
    assert len(errors) == 1
    assert errors[0].startswith("items/0/item: ")
    item_errors = validator("dev-2026", "TrackObject", relinked=False).iter_errors(
        body["items"][0]["item"]
    )
    assert any(message in e.message for e in item_errors)


@pytest.mark.parametrize("profile", ["extended", "dev-2026"])
def test_playlist_bodies_validate(profile: str) -> None:
    body = playlist_object(CHART_PLAYLIST_ID, NOW, profile)
    body["tracks"] = page(profile, CHART_PLAYLIST_ID)
    if profile == "dev-2026":
        body["items"] = body["tracks"]
    assert errors_of(profile, "PlaylistObject", body) == []


@pytest.mark.parametrize("profile", ["extended", "dev-2026"])
def test_local_and_removed_entries_break_the_spec_exactly_like_real_ones(profile: str) -> None:
    fake = playlist_entries(EDGE_CASE_PLAYLIST_ID, NOW, profile)
    real_local = load_fixture("playlist_tracks_local_files.json")["items"][0]
    real_null = load_fixture("playlist_tracks_null_track.json")["items"][0]
    schema = "PlaylistTrackObject"
    assert errors_of(profile, schema, {"track": fake[1]["track"]}) == (
        errors_of(profile, schema, {"track": strip_2026(real_local["track"], profile)})
    )
    assert errors_of(profile, schema, {"track": fake[2]["track"]}) == errors_of(
        profile, schema, {"track": real_null["track"]}
    )
    assert errors_of(profile, schema, {"track": fake[1]["track"]}) != []


def strip_2026(track: dict[str, Any], profile: str) -> dict[str, Any]:
    """A recorded (pre-2026) track with the fields development mode no longer sends removed."""
    if profile != "dev-2026" or track is None:
        return track
    trimmed = {k: v for k, v in track.items() if k not in REMOVED_2026}
    trimmed["album"] = {k: v for k, v in track["album"].items() if k != "available_markets"}
    return trimmed


def assert_same_shape(actual: Any, expected: Any, path: str = "$") -> None:
    """Same keys at every level and the same scalar types (a null matches any type)."""
    if "NoneType" in (actual, expected):
        return
    if isinstance(expected, dict):
        assert isinstance(actual, dict), path
        assert sorted(actual) == sorted(expected), path
        for key in expected:
            assert_same_shape(actual[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), path
        if actual[0] is not None and expected[0] is not None:
            assert_same_shape(actual[0], expected[0], f"{path}[]")
    else:
        assert actual == expected, path


def test_dev_items_page_has_the_recorded_2026_structure() -> None:
    recorded = copy.deepcopy(load_fixture("playlist_items_page_2026.json"))
    for entry in recorded["items"]:
        entry["item"] = entry["track"] = strip_2026(entry["track"], "dev-2026")
    fake = page("dev-2026", USER_CHART_PLAYLIST_ID)
    assert_same_shape(shape(fake), shape(recorded))


def test_extended_tracks_page_has_the_recorded_pre_2026_structure() -> None:
    recorded = load_fixture("playlist_tracks_page_year_precision.json")
    assert_same_shape(shape(page("extended", CHART_PLAYLIST_ID)), shape(recorded))


@pytest.mark.parametrize("profile", ["extended", "dev-2026"])
def test_get_playlist_has_the_recorded_structure(profile: str) -> None:
    recorded = copy.deepcopy(load_fixture("get_playlist_2026.json"))
    for key in ("tracks", "items"):
        for entry in recorded[key]["items"]:
            entry["track"] = strip_2026(entry["track"], profile)
            entry["item"] = entry["track"]
            if profile == "extended":
                del entry["item"]
    if profile == "extended":
        del recorded["items"]
    body = playlist_object(USER_CHART_PLAYLIST_ID, NOW, profile)
    body["tracks"] = page(profile, USER_CHART_PLAYLIST_ID)
    if profile == "dev-2026":
        body["items"] = body["tracks"]
    assert_same_shape(shape(body), shape(recorded))


@pytest.mark.parametrize("profile", ["extended", "dev-2026"])
def test_odd_entries_have_the_recorded_structure(profile: str) -> None:
    entries = playlist_entries(EDGE_CASE_PLAYLIST_ID, NOW, profile)
    for index, fixture in (
        (1, "playlist_tracks_local_files.json"),
        (2, "playlist_tracks_null_track.json"),
    ):
        recorded = copy.deepcopy(load_fixture(fixture)["items"][0])
        if recorded["track"] is not None and profile == "dev-2026":
            recorded["track"] = {
                k: v for k, v in recorded["track"].items() if k not in REMOVED_2026
            }
            del recorded["track"]["album"]["available_markets"]
        if profile == "dev-2026":
            recorded["item"] = recorded["track"]
        assert_same_shape(shape(entries[index]), shape(recorded))


def test_error_bodies_match_the_recorded_ones() -> None:
    assert_same_shape(shape({"error": {"status": 404, "message": "Resource not found"}}),
                      shape(load_fixture("error_404.json")))  # fmt: skip
    recorded_429 = load_fixture("error_429.json")
    assert set(recorded_429["error"]) == {"status", "message"}


def test_the_paging_helper_repeats_every_other_parameter() -> None:
    api = PlaylistApi("extended", 1, None, None, lambda: "http://h", lambda: True)  # type: ignore[arg-type]
    paged = api.paging(
        "/p", list(range(120)), 50, 50, {"limit": "50", "market": "US", "offset": "50"}
    )
    assert paged["next"] == "http://h/p?offset=100&limit=50&market=US"
    assert paged["previous"] == "http://h/p?offset=0&limit=50&market=US"
    assert paged["items"] == list(range(50, 100))
