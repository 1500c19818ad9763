"""The ingestion's runtime, built in one place: settings, a secret store and a writer in.

The Lambda handler passes Secrets Manager and S3; `spotify-etl ingest` and `collect` pass the
lake's secret file (or the fake's throwaway app in memory) and a folder writer; the benchmark
passes memory and a folder. Talking to api.spotify.com or to the fake differs only in
`Settings.api_base_url` and `Settings.token_url`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ingest_lambda.core import SnapshotLabels
from ingest_lambda.envelope import SOURCE_FAKE, SOURCE_SPOTIFY
from ingest_lambda.retry import RetryPolicy
from ingest_lambda.secrets import SecretStore, SpotifyCredentials
from ingest_lambda.settings import AuthMode, Settings
from ingest_lambda.source import ChartSource, build_spotipy_source
from ingest_lambda.storage import Writer
from ingest_lambda.token_age import RefreshTokenAge


class RememberingStore:
    """A `SecretStore` that keeps the credentials it last loaded or saved (rotation included),
    so the runtime can tell the refresh token's age without reading the secret again."""

    def __init__(self, store: SecretStore) -> None:
        """Wrap `store`."""
        self._store = store
        self.where = store.where
        self.fix_command = store.fix_command
        self.credentials: SpotifyCredentials | None = None

    def load(self) -> SpotifyCredentials:
        """Read the wrapped store and remember the result."""
        self.credentials = self._store.load()
        return self.credentials

    def save(self, credentials: SpotifyCredentials) -> None:
        """Write through to the wrapped store, then remember."""
        self._store.save(credentials)
        self.credentials = credentials


@dataclass(frozen=True)
class Runtime:
    """Everything one ingestion needs, built once (per Lambda cold start, per local run)."""

    settings: Settings
    source: ChartSource
    writer: Writer
    labels: SnapshotLabels
    store: RememberingStore

    def refresh_token_age(self, now: datetime) -> RefreshTokenAge | None:
        """The refresh token's age at `now`; None in client-credentials mode (no expiry)."""
        credentials = self.store.credentials
        if self.settings.auth_mode is not AuthMode.REFRESH_TOKEN or credentials is None:
            return None
        return RefreshTokenAge(authorized_at=credentials.authorized_at, now=now)


def labels_for(settings: Settings) -> SnapshotLabels:
    """What the envelope says: `fake-spotify` whenever the API base URL is not Spotify's."""
    return SnapshotLabels(
        source=SOURCE_FAKE if settings.uses_fake else SOURCE_SPOTIFY,
        api_profile=settings.api_profile,
        market=settings.market,
    )


def build_runtime(
    settings: Settings,
    store: SecretStore,
    writer: Writer,
    *,
    sleep: Callable[[float], None] = time.sleep,
    wall_clock: Callable[[], float] = time.time,
) -> Runtime:
    """Read the credentials from `store` (once) and wire the spotipy source to the settings.

    `wall_clock` (epoch seconds) judges access-token expiry: the wall clock, or the fake's.

    Raises:
        SecretError: the credentials are missing or unreadable.
    """
    remembering = RememberingStore(store)
    source = build_spotipy_source(
        store=remembering,
        mode=settings.auth_mode,
        api_base_url=settings.api_base_url,
        token_url=settings.token_url,
        market=settings.market,
        policy=RetryPolicy(
            request_timeout_s=settings.request_timeout_s, margin_s=settings.deadline_margin_s
        ),
        sleep=sleep,
        wall_clock=wall_clock,
        api_profile=settings.api_profile,
    )
    return Runtime(
        settings=settings,
        source=source,
        writer=writer,
        labels=labels_for(settings),
        store=remembering,
    )
