"""Every refusal the fake answers, with the status and body the real API uses."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import requests
import spotipy
from fake_helpers import NOW, app_client, user_client
from spotify_fixtures import load_fixture

from spotify_etl.fake_spotify import (
    CHART_PLAYLIST_ID,
    EDGE_CASE_PLAYLIST_ID,
    USER_CHART_PLAYLIST_ID,
    FakeSpotify,
)

TIMEOUT = 5


def token(fake: FakeSpotify, **form: str) -> requests.Response:
    return requests.post(
        fake.token_url,
        data={"grant_type": "client_credentials"} | form,
        auth=(fake.client_id, fake.client_secret),
        timeout=TIMEOUT,
    )


def call(
    fake: FakeSpotify, path: str, access_token: str | None, **params: Any
) -> requests.Response:
    headers = {"Authorization": f"Bearer {access_token}"} if access_token else {}
    return requests.get(fake.base_url + path, params=params, headers=headers, timeout=TIMEOUT)


def error(status: int, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "message": message}}


def test_bad_client_credentials(extended_fake: FakeSpotify) -> None:
    answer = requests.post(
        extended_fake.token_url,
        data={"grant_type": "client_credentials"},
        auth=(extended_fake.client_id, "wrong"),
        timeout=TIMEOUT,
    )
    assert (answer.status_code, answer.json()) == (
        400,
        {"error": "invalid_client", "error_description": "Invalid client"},
    )
    no_auth = requests.post(
        extended_fake.token_url, data={"grant_type": "client_credentials"}, timeout=TIMEOUT
    )
    assert no_auth.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"grant_type": "refresh_token", "refresh_token": "AQnope"}, "invalid_grant"),
        (
            {"grant_type": "authorization_code", "code": "nope", "redirect_uri": "http://x"},
            "invalid_grant",
        ),
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({"grant_type": ""}, "unsupported_grant_type"),
    ],
)
def test_refused_grants(extended_fake: FakeSpotify, form: dict[str, str], expected: str) -> None:
    answer = token(extended_fake, **form)
    assert (answer.status_code, answer.json()["error"]) == (400, expected)


def test_client_credentials_answer(extended_fake: FakeSpotify) -> None:
    answer = token(extended_fake).json()
    assert set(answer) == {"access_token", "token_type", "expires_in"}
    assert (answer["token_type"], answer["expires_in"]) == ("Bearer", 3600)


def test_missing_unknown_and_expired_tokens_get_401(extended_fake: FakeSpotify) -> None:
    path = f"playlists/{CHART_PLAYLIST_ID}/items"
    assert call(extended_fake, path, None).json() == error(401, "No token provided")
    assert call(extended_fake, path, "BQforged").json() == error(401, "Invalid access token")
    access = token(extended_fake).json()["access_token"]
    extended_fake.set_now(NOW + timedelta(minutes=59))
    assert call(extended_fake, path, access).status_code == 200
    extended_fake.set_now(NOW + timedelta(hours=1))
    expired = call(extended_fake, path, access)
    assert (expired.status_code, expired.json()) == (401, error(401, "The access token expired"))


def test_spotipy_does_not_refresh_on_a_401_expired_by_the_fake_clock(
    extended_fake: FakeSpotify,
) -> None:
    client = app_client(extended_fake)
    client.playlist_items(CHART_PLAYLIST_ID)
    extended_fake.set_now(NOW + timedelta(hours=2))
    with pytest.raises(spotipy.SpotifyException, match="access token expired") as raised:
        client.playlist_items(CHART_PLAYLIST_ID)
    assert raised.value.http_status == 401


@pytest.mark.parametrize(
    ("path", "params", "status", "message"),
    [
        (f"playlists/{CHART_PLAYLIST_ID}/items", {"limit": 51}, 400, "Invalid limit"),
        (f"playlists/{CHART_PLAYLIST_ID}/items", {"limit": 0}, 400, "Invalid limit"),
        (f"playlists/{CHART_PLAYLIST_ID}/items", {"limit": "ten"}, 400, "Invalid limit"),
        (f"playlists/{CHART_PLAYLIST_ID}/tracks", {"limit": 101}, 400, "Invalid limit"),
        (f"playlists/{CHART_PLAYLIST_ID}/items", {"offset": -1}, 400, "Invalid offset"),
        (f"playlists/{CHART_PLAYLIST_ID}/items", {"market": "usa"}, 400, "Invalid market code"),
        ("playlists/not-an-id/items", {}, 400, "Invalid base62 id"),
        ("playlists/37i9dQZEVXbMDoHDwVN2t!", {}, 400, "Invalid base62 id"),
        ("playlists/0000000000000000000000", {}, 404, "Resource not found"),
        ("playlists/0000000000000000000000/items", {}, 404, "Resource not found"),
        ("albums/0000000000000000000000", {}, 404, "Service not found"),
    ],
)
def test_bad_requests(
    extended_fake: FakeSpotify, path: str, params: dict[str, Any], status: int, message: str
) -> None:
    access = token(extended_fake).json()["access_token"]
    answer = call(extended_fake, path, access, **params)
    assert (answer.status_code, answer.json()) == (status, error(status, message))


def test_bad_fields_syntax_is_400(extended_fake: FakeSpotify) -> None:
    access = token(extended_fake).json()["access_token"]
    answer = call(extended_fake, f"playlists/{CHART_PLAYLIST_ID}/items", access, fields="items(id")
    assert answer.status_code == 400
    assert "missing ')'" in answer.json()["error"]["message"]


def test_limits_at_the_edges_are_accepted(extended_fake: FakeSpotify) -> None:
    access = token(extended_fake).json()["access_token"]
    for path, limit in (("items", 1), ("items", 50), ("tracks", 100)):
        page = call(extended_fake, f"playlists/{CHART_PLAYLIST_ID}/{path}", access, limit=limit)
        assert len(page.json()["items"]) == limit
    default = call(extended_fake, f"playlists/{CHART_PLAYLIST_ID}/items", access).json()
    assert default["limit"] == 20


def test_dev_chart_404_matches_the_recorded_body(dev_fake: FakeSpotify) -> None:
    access = token(dev_fake).json()["access_token"]
    for path in ("", "/items", "/tracks"):
        answer = call(dev_fake, f"playlists/{CHART_PLAYLIST_ID}{path}", access)
        assert (answer.status_code, answer.json()) == (404, load_fixture("error_404.json"))


def test_dev_403s(dev_fake: FakeSpotify) -> None:
    app_token = token(dev_fake).json()["access_token"]
    assert call(dev_fake, f"playlists/{EDGE_CASE_PLAYLIST_ID}/items", app_token).json() == error(
        403, "Forbidden"
    )
    user_token = user_client(dev_fake).auth_manager.get_access_token(as_dict=False)
    assert call(dev_fake, f"playlists/{USER_CHART_PLAYLIST_ID}/tracks", user_token).json() == error(
        403, "Forbidden"
    )
    assert (
        call(dev_fake, f"playlists/{USER_CHART_PLAYLIST_ID}/items", user_token).status_code == 200
    )


@pytest.mark.parametrize("profile", ["extended", "dev-2026"])
def test_no_premium_refuses_every_api_call_but_not_tokens(profile: str) -> None:
    with FakeSpotify(profile=profile, now=NOW, premium=False) as fake:
        access = token(fake).json()["access_token"]
        answer = call(fake, f"playlists/{EDGE_CASE_PLAYLIST_ID}", access)
        assert (answer.status_code, answer.json()) == (
            403,
            error(403, "Active premium subscription required for the owner of the app"),
        )
        fake.premium = True
        assert call(fake, f"playlists/{EDGE_CASE_PLAYLIST_ID}", access).status_code == 200


def test_wrong_methods_and_paths(extended_fake: FakeSpotify) -> None:
    assert requests.get(extended_fake.token_url, timeout=TIMEOUT).status_code == 405
    access = token(extended_fake).json()["access_token"]
    put = requests.put(
        f"{extended_fake.base_url}playlists/{CHART_PLAYLIST_ID}",
        headers={"Authorization": f"Bearer {access}"},
        timeout=TIMEOUT,
    )
    assert (put.status_code, put.json()) == (405, error(405, "Method not allowed"))
    root = requests.get(extended_fake.root_url + "/nothing", timeout=TIMEOUT)
    assert root.status_code == 404


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        (
            {"client_id": "nope", "response_type": "code", "redirect_uri": "http://x/cb"},
            "Invalid client",
        ),
        ({"response_type": "token", "redirect_uri": "http://x/cb"}, "response_type must be code"),
        ({"response_type": "code", "redirect_uri": "ftp://x"}, "Invalid redirect URI"),
    ],
)
def test_authorize_refusals(extended_fake: FakeSpotify, query: dict[str, str], reason: str) -> None:
    params = {"client_id": extended_fake.client_id} | query
    answer = requests.get(
        extended_fake.authorize_url, params=params, allow_redirects=False, timeout=TIMEOUT
    )
    assert answer.status_code == 400
    assert reason in answer.text


def test_authorization_code_needs_the_same_redirect_uri(extended_fake: FakeSpotify) -> None:
    redirect = requests.get(
        extended_fake.authorize_url,
        params={
            "client_id": extended_fake.client_id,
            "response_type": "code",
            "redirect_uri": "http://a/cb",
        },
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    code = redirect.headers["Location"].split("code=")[1]
    answer = token(
        extended_fake, grant_type="authorization_code", code=code, redirect_uri="http://b/cb"
    )
    assert answer.json() == {"error": "invalid_grant", "error_description": "Invalid redirect URI"}
