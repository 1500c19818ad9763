"""The synthetic content: deterministic, evolving, Spotify-shaped, fast."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta

import pytest
from fake_helpers import NOW
from hypothesis import given, settings
from hypothesis import strategies as st
from spotify_fixtures import load_fixture

from spotify_etl.fake_spotify import (
    CHART_PLAYLIST_ID,
    DEFAULT_SEED,
    EDGE_CASE_PLAYLIST_ID,
    USER_CHART_PLAYLIST_ID,
)
from spotify_etl.fake_spotify.content import (
    UnknownPlaylistError,
    UnknownProfileError,
    playlist_entries,
    playlist_object,
)
from spotify_etl.fake_spotify.ids import is_spotify_id, spotify_id

BASE62_ID = re.compile(r"^[0-9A-Za-z]{22}$")
ISRC = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}\d{7}$")
HOURS = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


def chart_ids(hour: datetime, seed: int = DEFAULT_SEED) -> list[str]:
    entries = playlist_entries(CHART_PLAYLIST_ID, hour, "extended", seed)
    return [entry["track"]["id"] for entry in entries]


@settings(max_examples=25, deadline=None)
@given(hour=HOURS, other=HOURS)
def test_same_seed_and_hour_give_the_same_snapshot_whatever_was_asked_before(
    hour: datetime, other: datetime
) -> None:
    first = playlist_entries(CHART_PLAYLIST_ID, hour, "dev-2026")
    playlist_entries(CHART_PLAYLIST_ID, other, "dev-2026")
    assert playlist_entries(CHART_PLAYLIST_ID, hour, "dev-2026") == first
    assert playlist_entries(CHART_PLAYLIST_ID, hour.replace(minute=59), "dev-2026") == first


@settings(max_examples=25, deadline=None)
@given(hour=HOURS)
def test_chart_has_100_distinct_well_formed_tracks(hour: datetime) -> None:
    entries = playlist_entries(CHART_PLAYLIST_ID, hour, "extended")
    tracks = [entry["track"] for entry in entries]
    assert len(tracks) == 100
    assert len({t["id"] for t in tracks}) == 100
    for track in tracks:
        assert BASE62_ID.match(track["id"])
        assert BASE62_ID.match(track["album"]["id"])
        assert all(BASE62_ID.match(a["id"]) for a in track["artists"] + track["album"]["artists"])
        assert ISRC.match(track["external_ids"]["isrc"])
        assert track["uri"] == f"spotify:track:{track['id']}"
        assert track["external_urls"]["spotify"] == f"https://open.spotify.com/track/{track['id']}"
        assert [i["width"] for i in track["album"]["images"]] == [640, 300, 64]
        assert 105_000 <= track["duration_ms"] < 305_000
    assert {e["added_at"] for e in entries} == {"1970-01-01T00:00:00Z"}


def test_chart_evolves_hour_by_hour_and_turns_over_in_weeks() -> None:
    hours = [NOW + timedelta(hours=h) for h in range(25)]
    charts = [chart_ids(h) for h in hours]
    left_per_hour = [len(set(a) - set(b)) for a, b in itertools.pairwise(charts)]
    reordered = [
        sum(x != y for x, y in zip(a, b, strict=True)) for a, b in itertools.pairwise(charts)
    ]
    assert max(left_per_hour) <= 5  # most entries stay from one hour to the next
    assert sum(left_per_hour) >= 3  # but songs do enter and leave within a day
    assert sum(r > 0 for r in reordered) >= 20  # and positions move most hours
    assert len(set(charts[0]) & set(chart_ids(NOW + timedelta(days=7)))) < 85
    assert not set(charts[0]) & set(chart_ids(NOW + timedelta(days=60)))


def test_songs_climb_and_fall() -> None:
    """Some song is seen entering low, peaking higher, and leaving, over a month."""
    positions: dict[str, list[int]] = {}
    for day in range(40):
        for rank, track_id in enumerate(chart_ids(NOW + timedelta(days=day)), start=1):
            positions.setdefault(track_id, []).append(rank)
    full_lives = [p for tid, p in positions.items() if min(p) < p[0] and min(p) < p[-1]]
    assert len(full_lives) > 10


def test_different_seeds_give_different_charts() -> None:
    assert set(chart_ids(NOW, seed=1)).isdisjoint(chart_ids(NOW, seed=2))


def test_catalogue_variety_across_a_week() -> None:
    tracks = [
        e["track"]
        for day in range(7)
        for e in playlist_entries(CHART_PLAYLIST_ID, NOW + timedelta(days=day), "extended")
    ]
    assert {t["album"]["album_type"] for t in tracks} == {"single", "album", "compilation"}
    assert {t["album"]["release_date_precision"] for t in tracks} == {"day", "month", "year"}
    assert any(len(t["artists"]) >= 3 for t in tracks)
    assert any(t["explicit"] for t in tracks)
    assert not all(t["explicit"] for t in tracks)
    albums: dict[str, set[str]] = {}
    for t in tracks:
        albums.setdefault(t["album"]["id"], set()).add(t["id"])
    assert any(len(ids) > 1 for ids in albums.values())  # album drops chart several songs


@given(kind=st.sampled_from(["track", "album", "artist"]), index=st.integers())
def test_ids_are_22_base62_characters(kind: str, index: int) -> None:
    assert is_spotify_id(spotify_id(DEFAULT_SEED, kind, index))


def test_user_chart_copy_has_the_chart_songs_added_by_the_user() -> None:
    copy = playlist_entries(USER_CHART_PLAYLIST_ID, NOW, "dev-2026")
    assert [e["item"]["id"] for e in copy] == chart_ids(NOW)
    assert {e["added_by"]["id"] for e in copy} == {"fakelistener01"}
    assert all(e["added_at"] < "2026-11-26T08:00:00Z" for e in copy)


def test_edge_case_playlist_holds_every_oddity() -> None:
    entries = playlist_entries(EDGE_CASE_PLAYLIST_ID, NOW, "dev-2026")
    items = [e["item"] for e in entries]
    assert [e["is_local"] for e in entries] == [False, True, False, False, False, False, False]
    assert items[2] is None
    assert entries[2]["track"] is None
    assert entries[2]["added_by"]["id"] == ""
    assert items[3]["type"] == "episode"
    assert "show" in items[3]
    assert items[0] == items[4]
    assert len(items[0]["artists"]) == 3
    local = load_fixture("playlist_tracks_local_files.json")["items"][0]["track"]
    removed_in_2026 = {"popularity", "available_markets"}
    assert items[1].keys() == local.keys() - removed_in_2026
    assert items[1]["uri"] == local["uri"]
    precisions = [items[i]["album"]["release_date_precision"] for i in (0, 5, 6)]
    assert precisions == ["day", "year", "month"]


def test_episode_without_episode_type_comes_in_legacy_track_form() -> None:
    entries = playlist_entries(EDGE_CASE_PLAYLIST_ID, NOW, "extended", additional_types=["track"])
    episode = entries[3]["track"]
    assert episode["type"] == "episode"
    assert "show" not in episode
    assert episode["album"]["type"] == "show"
    assert episode["track_number"] == 0


def test_market_adds_is_playable_and_drops_available_markets() -> None:
    entries = playlist_entries(CHART_PLAYLIST_ID, NOW, "extended", market="JP")
    tracks = [e["track"] for e in entries]
    assert all(
        "available_markets" not in t and "available_markets" not in t["album"] for t in tracks
    )
    assert {t["is_playable"] for t in tracks} == {True, False}
    assert all(t["restrictions"] == {"reason": "market"} for t in tracks if not t["is_playable"])


def test_playlist_object_snapshot_id_follows_content() -> None:
    first = playlist_object(CHART_PLAYLIST_ID, NOW, "extended")
    assert first == playlist_object(CHART_PLAYLIST_ID, NOW.replace(minute=1), "extended")
    changed = [
        playlist_object(CHART_PLAYLIST_ID, NOW + timedelta(hours=h), "extended")["snapshot_id"]
        for h in range(1, 6)
    ]
    assert any(s != first["snapshot_id"] for s in changed)
    assert len(first["snapshot_id"]) == 32
    edge = [
        playlist_object(EDGE_CASE_PLAYLIST_ID, NOW + timedelta(days=d), "extended") for d in (0, 9)
    ]
    assert edge[0]["snapshot_id"] == edge[1]["snapshot_id"]


def test_unknown_playlist_and_profile_are_refused() -> None:
    with pytest.raises(UnknownPlaylistError):
        playlist_entries("0000000000000000000000", NOW, "extended")
    with pytest.raises(UnknownProfileError):
        playlist_object(CHART_PLAYLIST_ID, NOW, "free-tier")


@pytest.mark.parametrize("seed", [DEFAULT_SEED, 1, 2])
def test_artist_names_are_unique_within_the_pool(seed: int) -> None:
    from spotify_etl.fake_spotify.catalog import ARTIST_POOL_SIZE, artist

    pool = [artist(seed, index) for index in range(ARTIST_POOL_SIZE)]
    assert len({a.name for a in pool}) == ARTIST_POOL_SIZE
    assert len({a.id for a in pool}) == ARTIST_POOL_SIZE
    assert any(a.name.startswith("The ") for a in pool)  # bands as well as solo artists
