"""spotipy 2.26, unchanged, against the running fake: both profiles and both token flows."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import spotipy
from fake_helpers import NOW, REDIRECT_URI, all_items, app_client, user_client
from spotipy.cache_handler import MemoryCacheHandler
from spotipy.oauth2 import SpotifyOAuth, SpotifyOauthError

from spotify_etl.fake_spotify import (
    CHART_PLAYLIST_ID,
    EDGE_CASE_PLAYLIST_ID,
    USER_CHART_PLAYLIST_ID,
    FakeSpotify,
)
from spotify_etl.fake_spotify.content import playlist_entries


def test_extended_client_credentials_reads_the_chart_in_two_pages(
    extended_fake: FakeSpotify,
) -> None:
    client = app_client(extended_fake)
    entries = all_items(client, CHART_PLAYLIST_ID)
    assert entries == playlist_entries(CHART_PLAYLIST_ID, NOW, "extended")
    pages = [r for r in extended_fake.requests if r.path.endswith("/items")]
    assert [(r.query["offset"], r.query["limit"], r.status) for r in pages] == [
        ("0", "50", 200),
        ("50", "50", 200),
    ]
    assert [r.path for r in extended_fake.requests[:1]] == ["/api/token"]


def test_next_and_previous_links_point_at_the_fake_and_repeat_the_query(
    extended_fake: FakeSpotify,
) -> None:
    page = app_client(extended_fake).playlist_items(CHART_PLAYLIST_ID, limit=30, market="SE")
    assert page["next"].startswith(extended_fake.base_url)
    assert parse_qs(urlsplit(page["next"]).query) == {
        "offset": ["30"],
        "limit": ["30"],
        "market": ["SE"],
        "additional_types": ["track,episode"],
    }
    last = app_client(extended_fake).playlist_items(CHART_PLAYLIST_ID, limit=30, offset=90)
    assert (len(last["items"]), last["next"], last["total"]) == (10, None, 100)
    assert parse_qs(urlsplit(last["previous"]).query)["offset"] == ["60"]


def test_deprecated_tracks_endpoint_and_embedded_page_under_extended(
    extended_fake: FakeSpotify,
) -> None:
    client = app_client(extended_fake)
    page = client._get(f"playlists/{CHART_PLAYLIST_ID}/tracks")
    assert (page["limit"], len(page["items"]), page["next"]) == (100, 100, None)
    playlist = client.playlist(CHART_PLAYLIST_ID)
    assert "items" not in playlist
    assert playlist["tracks"]["items"] == page["items"]
    assert list(page["items"][0]) == [
        "added_at", "added_by", "is_local", "primary_color", "track", "video_thumbnail",
    ]  # fmt: skip


def test_dev_refresh_token_reads_the_users_copy_with_item_and_track(dev_fake: FakeSpotify) -> None:
    client = user_client(dev_fake)
    entries = all_items(client, USER_CHART_PLAYLIST_ID)
    assert len(entries) == 100
    assert all(e["item"] == e["track"] for e in entries)
    assert all(
        "popularity" not in e["item"] and "available_markets" not in e["item"] for e in entries
    )
    playlist = client.playlist(USER_CHART_PLAYLIST_ID)
    assert playlist["items"]["items"] == playlist["tracks"]["items"] == entries


def test_dev_refuses_charts_tracks_and_other_peoples_entries(dev_fake: FakeSpotify) -> None:
    user, app = user_client(dev_fake), app_client(dev_fake)
    with pytest.raises(spotipy.SpotifyException) as chart:
        user.playlist(CHART_PLAYLIST_ID)
    assert (chart.value.http_status, chart.value.msg.split("\n ")[-1]) == (
        404,
        "Resource not found",
    )
    with pytest.raises(spotipy.SpotifyException) as tracks:
        user._get(f"playlists/{USER_CHART_PLAYLIST_ID}/tracks")
    assert tracks.value.http_status == 403
    with pytest.raises(spotipy.SpotifyException) as items:
        app.playlist_items(USER_CHART_PLAYLIST_ID)
    assert items.value.http_status == 403
    metadata = app.playlist(EDGE_CASE_PLAYLIST_ID)
    assert "items" not in metadata
    assert "tracks" not in metadata
    assert metadata["owner"]["id"] == "fakelistener01"


def test_rotated_refresh_token_is_returned_and_the_old_one_revoked() -> None:
    with FakeSpotify(profile="dev-2026", now=NOW, rotate_refresh_token=True) as fake:
        first = fake.refresh_token
        client = user_client(fake)
        cached = client.auth_manager.cache_handler.get_cached_token()
        assert cached["refresh_token"] == fake.refresh_token != first
        with pytest.raises(SpotifyOauthError) as refused:
            client.auth_manager.refresh_access_token(first)
        assert refused.value.error == "invalid_grant"
        assert all_items(client, EDGE_CASE_PLAYLIST_ID)[0]["item"]["type"] == "track"


def test_without_rotation_the_refresh_grant_keeps_the_token(dev_fake: FakeSpotify) -> None:
    before = dev_fake.refresh_token
    answer = requests.post(
        dev_fake.token_url,
        data={"grant_type": "refresh_token", "refresh_token": before},
        auth=(dev_fake.client_id, dev_fake.client_secret),
        timeout=5,
    ).json()
    assert set(answer) == {"access_token", "token_type", "expires_in", "scope"}
    assert (answer["token_type"], answer["expires_in"]) == ("Bearer", 3600)
    assert dev_fake.refresh_token == before


def test_authorization_code_flow(dev_fake: FakeSpotify) -> None:
    manager = SpotifyOAuth(
        dev_fake.client_id,
        dev_fake.client_secret,
        redirect_uri=REDIRECT_URI,
        scope="playlist-read-private",
        state="xyz",
        cache_handler=MemoryCacheHandler(),
        open_browser=False,
    )
    manager.OAUTH_AUTHORIZE_URL = dev_fake.authorize_url
    manager.OAUTH_TOKEN_URL = dev_fake.token_url
    redirect = requests.get(manager.get_authorize_url(), allow_redirects=False, timeout=5)
    assert redirect.status_code == 302
    location = redirect.headers["Location"]
    assert location.startswith(REDIRECT_URI + "?")
    code = manager.parse_response_code(location)
    assert parse_qs(urlsplit(location).query)["state"] == ["xyz"]
    manager.get_access_token(code, as_dict=False, check_cache=False)
    assert manager.cache_handler.get_cached_token()["refresh_token"] == dev_fake.refresh_token
    client = spotipy.Spotify(auth_manager=manager)
    client.prefix = dev_fake.base_url
    assert client.playlist_items(EDGE_CASE_PLAYLIST_ID)["total"] == 7
    with pytest.raises(SpotifyOauthError) as reused:
        manager.get_access_token(code, as_dict=False, check_cache=False)
    assert reused.value.error == "invalid_grant"


def test_content_follows_the_fake_clock(extended_fake: FakeSpotify) -> None:
    client = app_client(extended_fake)
    now_ids = [e["track"]["id"] for e in all_items(client, CHART_PLAYLIST_ID)]
    later = NOW + timedelta(days=3)
    extended_fake.set_now(later)
    # The clock also expires tokens: a fresh client gets a token issued on the new clock.
    later_ids = [e["track"]["id"] for e in all_items(app_client(extended_fake), CHART_PLAYLIST_ID)]
    assert later_ids == [
        e["track"]["id"] for e in playlist_entries(CHART_PLAYLIST_ID, later, "extended")
    ]
    assert later_ids != now_ids
