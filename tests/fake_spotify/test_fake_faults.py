"""Injected faults: each kind is observable on the wire and through spotipy."""

from __future__ import annotations

import time

import pytest
import requests
import spotipy
from fake_helpers import app_client

from spotify_etl.fake_spotify import CHART_PLAYLIST_ID, FakeSpotify, Fault, FaultSpecError

TIMEOUT = 5
ITEMS_PATH = f"/v1/playlists/{CHART_PLAYLIST_ID}/items"
QUOTA_BODY = {"error": {"status": 429, "message": "Too many requests", "reason": "QUOTA_EXCEEDED"}}


def get_items(fake: FakeSpotify) -> requests.Response:
    access = requests.post(
        fake.token_url,
        data={"grant_type": "client_credentials"},
        auth=(fake.client_id, fake.client_secret),
        timeout=TIMEOUT,
    ).json()["access_token"]
    return requests.get(
        fake.root_url + ITEMS_PATH, headers={"Authorization": f"Bearer {access}"}, timeout=TIMEOUT
    )


@pytest.mark.parametrize(
    ("fault", "retry_after", "body"),
    [
        (Fault(kind="rate_limit", retry_after=0), "0", QUOTA_BODY),
        (Fault(kind="rate_limit", retry_after=3), "3", QUOTA_BODY),
        (Fault(kind="rate_limit", retry_after=None), None, QUOTA_BODY),
        (Fault(kind="rate_limit", retry_after=1, empty_body=True), "1", None),
    ],
)
def test_rate_limit_variants(
    extended_fake: FakeSpotify, fault: Fault, retry_after: str | None, body: object
) -> None:
    extended_fake.inject(Fault(**{**fault.__dict__, "path": ITEMS_PATH}))
    answer = get_items(extended_fake)
    assert answer.status_code == 429
    assert answer.headers.get("Retry-After") == retry_after
    assert (answer.json() if answer.content else None) == body
    assert get_items(extended_fake).status_code == 200  # count=1: the next call is served


def test_burst_targets_a_path_and_a_count(extended_fake: FakeSpotify) -> None:
    extended_fake.inject(Fault(status=503, path="*/items", count=2))
    statuses = [get_items(extended_fake).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    token_calls = [r.status for r in extended_fake.requests if r.path == "/api/token"]
    assert token_calls == [200, 200, 200]  # the token path did not match the pattern


def test_spotipy_retries_through_a_burst_of_5xx(extended_fake: FakeSpotify) -> None:
    extended_fake.inject(Fault(status=500, path=ITEMS_PATH))
    extended_fake.inject(Fault(status=502, path=ITEMS_PATH))
    page = app_client(extended_fake).playlist_items(CHART_PLAYLIST_ID)
    assert len(page["items"]) == 50
    assert [r.status for r in extended_fake.requests if r.path == ITEMS_PATH] == [500, 502, 200]
    assert extended_fake.faults.pending() == []


def test_spotipy_gives_up_after_its_retries_and_reports_429(extended_fake: FakeSpotify) -> None:
    extended_fake.inject(Fault(status=503, path=ITEMS_PATH, count=10))
    with pytest.raises(spotipy.SpotifyException) as raised:
        app_client(extended_fake).playlist_items(CHART_PLAYLIST_ID)
    assert raised.value.http_status == 429  # spotipy reports exhausted 5xx retries as 429
    assert len([r for r in extended_fake.requests if r.path == ITEMS_PATH]) == 4
    assert extended_fake.faults.pending()[0].count == 6


def test_spotipy_honours_retry_after_zero(extended_fake: FakeSpotify) -> None:
    extended_fake.inject(Fault(kind="rate_limit", retry_after=0, path=ITEMS_PATH, count=2))
    page = app_client(extended_fake).playlist_items(CHART_PLAYLIST_ID)
    assert page["total"] == 100
    assert [r.status for r in extended_fake.requests if r.path == ITEMS_PATH] == [429, 429, 200]


def test_slow_response(extended_fake: FakeSpotify) -> None:
    extended_fake.inject(Fault(kind="slow", delay=0.4, path=ITEMS_PATH))
    started = time.perf_counter()
    answer = get_items(extended_fake)
    assert answer.status_code == 200
    assert time.perf_counter() - started >= 0.4


def test_slow_response_beyond_the_client_timeout(extended_fake: FakeSpotify) -> None:
    extended_fake.inject(Fault(kind="slow", delay=0.6, path=ITEMS_PATH))
    client = app_client(extended_fake, requests_timeout=0.2, retries=0)
    with pytest.raises(requests.exceptions.ReadTimeout):
        client.playlist_items(CHART_PLAYLIST_ID)


def test_truncated_body_breaks_the_read(extended_fake: FakeSpotify) -> None:
    extended_fake.inject(Fault(kind="truncate", path=ITEMS_PATH))
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        get_items(extended_fake)
    assert get_items(extended_fake).status_code == 200


def test_truncated_body_surfaces_through_spotipy(extended_fake: FakeSpotify) -> None:
    extended_fake.inject(Fault(kind="truncate", path=ITEMS_PATH))
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        app_client(extended_fake).playlist_items(CHART_PLAYLIST_ID)


def test_fault_parse_matches_the_dataclass() -> None:
    assert Fault.parse("kind=status,status=502,count=2,path=*/items") == Fault(
        kind="status", status=502, count=2, path="*/items"
    )
    assert Fault.parse("kind=rate_limit,retry_after=none,empty_body=true") == Fault(
        kind="rate_limit", retry_after=None, empty_body=True
    )
    assert Fault.parse("kind=slow,delay=1.5") == Fault(kind="slow", delay=1.5)


@pytest.mark.parametrize(
    "spec",
    ["kind=bogus", "count=0", "status=200", "colour=red", "count=two", "delay=-1", "kind"],
)
def test_bad_fault_specs_are_refused(spec: str) -> None:
    with pytest.raises(FaultSpecError):
        Fault.parse(spec)
