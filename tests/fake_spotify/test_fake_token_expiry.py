"""Refresh tokens end six months after the authorisation, on the fake's clock, like Spotify's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import requests
from fake_helpers import NOW

from spotify_etl.fake_spotify import FakeSpotify

TIMEOUT = 5
# Six calendar months after NOW (2026-11-26T07:30Z).
SIX_MONTHS_LATER = datetime(2027, 5, 26, 7, 30, tzinfo=UTC)


def refresh(fake: FakeSpotify, refresh_token: str) -> requests.Response:
    return requests.post(
        fake.token_url,
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=(fake.client_id, fake.client_secret),
        timeout=TIMEOUT,
    )


def test_a_refresh_token_works_until_six_months_after_the_authorisation() -> None:
    with FakeSpotify(profile="dev-2026", now=NOW) as fake:
        token = fake.refresh_token
        assert fake.authorized_at == NOW
        fake.set_now(SIX_MONTHS_LATER - timedelta(seconds=1))
        assert refresh(fake, token).status_code == 200
        fake.set_now(SIX_MONTHS_LATER)
        expired = refresh(fake, token)
    assert (expired.status_code, expired.json()) == (
        400,
        {"error": "invalid_grant", "error_description": "Refresh token expired"},
    )


def test_rotation_does_not_extend_the_six_months() -> None:
    with FakeSpotify(profile="dev-2026", now=NOW, rotate_refresh_token=True) as fake:
        fake.set_now(NOW + timedelta(days=100))
        rotated = refresh(fake, fake.refresh_token).json()["refresh_token"]
        assert (fake.refresh_token, fake.authorized_at) == (rotated, NOW)
        fake.set_now(SIX_MONTHS_LATER)
        answer = refresh(fake, rotated)
    assert answer.json()["error_description"] == "Refresh token expired"


def test_authorising_again_starts_six_new_months_and_keeps_the_old_token_until_its_end() -> None:
    with FakeSpotify(profile="dev-2026", now=NOW) as fake:
        old = fake.refresh_token
        fake.set_now(NOW + timedelta(days=170))
        new = fake.authorize_again()
        assert (fake.refresh_token, fake.authorized_at) == (new, NOW + timedelta(days=170))
        assert new != old
        fake.set_now(SIX_MONTHS_LATER)
        statuses = [refresh(fake, token).status_code for token in (old, new)]
    assert statuses == [400, 200]


def test_the_authorization_code_flow_is_a_new_authorisation() -> None:
    redirect_uri = "http://127.0.0.1:9/callback"
    with FakeSpotify(profile="dev-2026", now=NOW) as fake:
        fake.set_now(NOW + timedelta(days=30))
        consent = requests.get(
            fake.authorize_url,
            params={
                "client_id": fake.client_id,
                "response_type": "code",
                "redirect_uri": redirect_uri,
            },
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        code = consent.headers["Location"].split("code=", 1)[1]
        answer = requests.post(
            fake.token_url,
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
            auth=(fake.client_id, fake.client_secret),
            timeout=TIMEOUT,
        ).json()
        assert (answer["refresh_token"], fake.authorized_at) == (
            fake.refresh_token,
            NOW + timedelta(days=30),
        )
