"""Helpers that point the Lambda's real spotipy source at the in-process Spotify fake."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import requests

from ingest_lambda.retry import RetryPolicy
from ingest_lambda.secrets import SecretStore, SpotifyCredentials
from ingest_lambda.settings import AuthMode
from ingest_lambda.source import SpotipySource, build_spotipy_source
from spotify_etl.fake_spotify import FakeSpotify
from spotify_etl.local_stores import MemoryStore


def credentials(fake: FakeSpotify, *, secret: str | None = None) -> SpotifyCredentials:
    """The fake app's credentials (optionally with a wrong secret) and the user's token."""
    return SpotifyCredentials(
        client_id=fake.client_id,
        client_secret=secret or fake.client_secret,
        refresh_token=fake.refresh_token,
    )


class FakeTime:
    """The source's `sleep` on the fake's clock: a wait between retries moves the fake's time on
    (its tokens age with it) and is recorded, instead of holding the test up."""

    def __init__(self, fake: FakeSpotify) -> None:
        """Wait on `fake`'s clock."""
        self.fake = fake
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        """Record the wait and move the fake's clock on by it."""
        self.waits.append(seconds)
        self.fake.set_now(self.fake.now() + timedelta(seconds=seconds))


def source_for(
    fake: FakeSpotify,
    mode: AuthMode,
    policy: RetryPolicy,
    *,
    store: SecretStore | None = None,
    market: str | None = None,
    wall_clock: Callable[[], float] | None = None,
    time: FakeTime | None = None,
    api_profile: str | None = None,
) -> SpotipySource:
    """The same source the handler builds, against the fake, judging expiry and waiting on
    the fake's clock (`time`, or a `FakeTime` of its own); `api_profile` is what API_PROFILE
    would say (None: not set)."""
    return build_spotipy_source(
        store=store or MemoryStore(credentials(fake)),
        mode=mode,
        api_base_url=fake.base_url,
        token_url=fake.token_url,
        market=market,
        policy=policy,
        sleep=(time or FakeTime(fake)).sleep,
        wall_clock=wall_clock or (lambda: fake.now().timestamp()),
        api_profile=api_profile,
    )


def served_entries(fake: FakeSpotify, playlist_id: str, token_grant: dict[str, str]) -> list[Any]:
    """Every entry of a playlist, read with plain HTTP (independently of spotipy)."""
    token = requests.post(
        fake.token_url,
        data=token_grant,
        auth=(fake.client_id, fake.client_secret),
        timeout=5,
    ).json()["access_token"]
    entries: list[Any] = []
    url: str | None = (
        f"{fake.base_url}playlists/{playlist_id}/items?limit=50&offset=0&additional_types=track,episode"
    )
    while url:
        page = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=5).json()
        entries.extend(page["items"])
        url = page["next"]
    return entries


def statuses(fake: FakeSpotify) -> list[tuple[str, int]]:
    """(path, status) of every request the fake answered, in order."""
    return [(logged.path, logged.status) for logged in fake.requests]
