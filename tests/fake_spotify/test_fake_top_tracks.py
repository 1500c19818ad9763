"""The fake's /v1/me and /v1/me/top/tracks: contract, paging to 100, scopes, slow movement."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import jsonschema
import pytest
import requests
from fake_helpers import NOW, app_client, json_schema, shape, user_client
from spotify_fixtures import load_fixture
from spotipy.exceptions import SpotifyException
from test_fake_contract import assert_same_shape, strip_2026

from spotify_etl.fake_spotify import FAKE_USER_ID, FakeSpotify
from spotify_etl.fake_spotify.catalog import song
from spotify_etl.fake_spotify.top_tracks import day_index, ranking
from spotify_etl.fake_spotify.top_tracks import user_object as fake_user

REMOVED_2026_USER = ("country", "email", "explicit_content", "followers", "product")
DEV_NOT_REQUIRED = frozenset({"available_markets"})


def token(fake: FakeSpotify) -> str:
    """An access token of the fake user (the scopes its refresh token grants)."""
    answer = requests.post(
        fake.token_url,
        data={"grant_type": "refresh_token", "refresh_token": fake.refresh_token},
        auth=(fake.client_id, fake.client_secret),
        timeout=5,
    )
    return str(answer.json()["access_token"])


def get(fake: FakeSpotify, path: str, bearer: str) -> tuple[int, Any]:
    answer = requests.get(
        f"{fake.root_url}{path}", headers={"Authorization": f"Bearer {bearer}"}, timeout=5
    )
    return answer.status_code, answer.json()


def errors(profile: str, name: str, body: Any) -> list[str]:
    not_required = DEV_NOT_REQUIRED if profile == "dev-2026" else frozenset()
    validator = jsonschema.Draft7Validator(json_schema(profile, name, not_required))
    return sorted(f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body))


@pytest.mark.parametrize("profile", ["extended", "dev-2026"])
def test_top_track_pages_validate_against_the_profiles_spec(profile: str) -> None:
    with FakeSpotify(profile=profile, now=NOW) as fake:
        status, page = get(fake, "/v1/me/top/tracks?limit=50&time_range=long_term", token(fake))
    assert status == 200
    assert errors(profile, "PagingObject", {**page, "items": []}) == []
    assert [errors(profile, "TrackObject", track) for track in page["items"]] == [[]] * 50


def recorded_top_tracks(profile: str) -> dict[str, Any]:
    recorded = copy.deepcopy(load_fixture("top_tracks.json"))
    # One recorded track is not licensed in the recording user's country and carries
    # `restrictions`; the fake user's country (US) licenses every fake song.
    recorded["items"] = [
        strip_2026(track, profile) for track in recorded["items"] if "restrictions" not in track
    ]
    return recorded


@pytest.mark.parametrize("profile", ["extended", "dev-2026"])
def test_a_top_tracks_page_has_the_recorded_structure(profile: str) -> None:
    with FakeSpotify(profile=profile, now=NOW) as fake:
        page = user_client(fake).current_user_top_tracks(limit=48, time_range="long_term")
    assert_same_shape(shape(page), shape(recorded_top_tracks(profile)))


def test_the_2026_profile_drops_popularity_and_markets() -> None:
    with FakeSpotify(profile="dev-2026", now=NOW) as fake:
        [track] = user_client(fake).current_user_top_tracks(limit=1)["items"]
    assert {"popularity", "available_markets", "linked_from"} & set(track) == set()
    assert "available_markets" not in track["album"]
    assert track["is_playable"] is True


@pytest.mark.parametrize(
    ("profile", "scope", "hidden"),
    [
        ("extended", "user-top-read user-read-private", ("email",)),
        ("extended", "user-top-read", ("email", "country", "explicit_content", "product")),
        ("dev-2026", "user-read-private user-read-email", REMOVED_2026_USER),
    ],
)
def test_me_has_the_recorded_structure_for_what_the_scopes_grant(
    profile: str, scope: str, hidden: tuple[str, ...]
) -> None:
    with FakeSpotify(profile=profile, now=NOW, user_scope=scope) as fake:
        me = user_client(fake).current_user()
    recorded = {k: v for k, v in load_fixture("current_user.json").items() if k not in hidden}
    assert_same_shape(shape(me), shape(recorded))
    assert me["id"] == FAKE_USER_ID
    assert errors(profile, "PrivateUserObject", me) == []


def test_me_and_top_tracks_refuse_a_client_credentials_token() -> None:
    with FakeSpotify(profile="extended", now=NOW) as fake:
        client = app_client(fake)
        with pytest.raises(SpotifyException) as no_user:
            client.current_user()
        with pytest.raises(SpotifyException) as no_scope:
            client.current_user_top_tracks()
    assert (no_user.value.http_status, "Invalid username" in no_user.value.msg) == (404, True)
    assert no_scope.value.http_status == 403
    assert "Insufficient client scope" in no_scope.value.msg


def test_a_user_token_without_user_top_read_gets_403_insufficient_scope() -> None:
    with FakeSpotify(profile="dev-2026", now=NOW, user_scope="playlist-read-private") as fake:
        status, body = get(fake, "/v1/me/top/tracks", token(fake))
        me_status, _ = get(fake, "/v1/me", token(fake))
    assert (status, body) == (
        403,
        {"error": {"status": 403, "message": "Insufficient client scope"}},
    )
    assert me_status == 200


def test_reauthorising_with_the_scope_grants_it() -> None:
    with FakeSpotify(profile="dev-2026", now=NOW, user_scope="playlist-read-private") as fake:
        query = {"client_id": fake.client_id, "response_type": "code",
                 "redirect_uri": "http://127.0.0.1:9/cb", "scope": "user-top-read"}  # fmt: skip
        redirect = requests.get(fake.authorize_url, params=query, allow_redirects=False, timeout=5)
        code = redirect.headers["Location"].split("code=")[1].split("&")[0]
        requests.post(
            fake.token_url,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": "http://127.0.0.1:9/cb",
            },
            auth=(fake.client_id, fake.client_secret),
            timeout=5,
        )
        status, _ = get(fake, "/v1/me/top/tracks", token(fake))
    assert status == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=0", "Invalid limit"),
        ("limit=51", "Invalid limit"),
        ("limit=ten", "Invalid limit"),
        ("offset=-1", "Invalid offset"),
        ("time_range=all_time", "Invalid time range"),
    ],
)
def test_bad_parameters_get_400(query: str, message: str) -> None:
    with FakeSpotify(profile="extended", now=NOW) as fake:
        status, body = get(fake, f"/v1/me/top/tracks?{query}", token(fake))
    assert (status, body) == (400, {"error": {"status": 400, "message": message}})


def test_other_me_paths_and_methods_are_refused() -> None:
    with FakeSpotify(profile="extended", now=NOW) as fake:
        bearer = token(fake)
        assert get(fake, "/v1/me/top/artists", bearer)[0] == 404
        assert get(fake, "/v1/me/playlists", bearer)[0] == 404
        answer = requests.put(
            f"{fake.root_url}/v1/me", headers={"Authorization": f"Bearer {bearer}"}, timeout=5
        )
        assert answer.status_code == 405
        assert requests.get(f"{fake.root_url}/v1/me", timeout=5).status_code == 401


def test_defaults_are_medium_term_and_20() -> None:
    with FakeSpotify(profile="extended", now=NOW) as fake:
        status, page = get(fake, "/v1/me/top/tracks", token(fake))
    ranked = ranking(fake.seed, FAKE_USER_ID, "medium_term", day_index(NOW))
    assert (status, page["limit"], page["offset"], page["total"]) == (200, 20, 0, len(ranked))
    assert [track["id"] for track in page["items"]] == [song(fake.seed, i).id for i in ranked[:20]]


def test_only_the_first_hundred_are_served_whatever_the_total() -> None:
    with FakeSpotify(profile="extended", now=NOW) as fake:
        bearer = token(fake)
        pages = [
            get(fake, f"/v1/me/top/tracks?time_range=long_term&limit=50&offset={offset}", bearer)[1]
            for offset in (0, 50, 90, 100)
        ]
    total = pages[0]["total"]
    assert total > 100
    assert [len(page["items"]) for page in pages] == [50, 50, 10, 0]
    assert [page["total"] for page in pages] == [total, total, total, 0]
    assert pages[0]["next"].endswith("/v1/me/top/tracks?offset=50&limit=50&time_range=long_term")
    assert (pages[1]["next"], pages[2]["next"]) == (None, None)
    # Past the cap: the recorded empty answer (spotify/web-api#1539).
    assert {k: v for k, v in pages[3].items() if k not in ("href", "previous")} == {
        "items": [],
        "limit": 0,
        "next": None,
        "offset": 100,
        "total": 0,
    }
    assert pages[3]["previous"] == pages[3]["href"]


def test_a_short_list_ends_with_its_total() -> None:
    with FakeSpotify(profile="extended", now=NOW) as fake:
        client = user_client(fake)
        first = client.current_user_top_tracks(limit=50, time_range="short_term")
        second = client.next(first)
    assert first["total"] < 100
    assert len(first["items"]) + len(second["items"]) == first["total"]
    assert second["next"] is None


def test_top_tracks_change_over_days_not_hours() -> None:
    with FakeSpotify(profile="extended", now=NOW.replace(hour=0, minute=5)) as fake:

        def ids_at(moment: Any) -> list[str]:
            fake.set_now(moment)  # a new client: tokens expire on the fake's clock
            page = user_client(fake).current_user_top_tracks(limit=50, time_range="short_term")
            return [track["id"] for track in page["items"]]

        morning = ids_at(NOW.replace(hour=0, minute=5))
        evening = ids_at(NOW.replace(hour=23, minute=55))
        next_day = ids_at(NOW.replace(hour=0, minute=5) + timedelta(days=1))
        two_months = ids_at(NOW.replace(hour=0, minute=5) + timedelta(days=60))
    assert morning == evening
    assert morning != next_day  # ranks move every day...
    assert len(set(morning) & set(next_day)) >= 45  # ...but few songs come or go
    assert len(set(morning) & set(two_months)) < 25  # two months replace most


def test_the_user_object_drops_fields_by_scope_and_profile() -> None:
    assert set(fake_user(FAKE_USER_ID, "extended", frozenset())) == {
        "display_name", "external_urls", "followers", "href", "id", "images", "type", "uri"
    }  # fmt: skip
    assert set(fake_user(FAKE_USER_ID, "dev-2026", frozenset({"user-read-private"}))) == {
        "display_name", "external_urls", "href", "id", "images", "type", "uri"
    }  # fmt: skip
