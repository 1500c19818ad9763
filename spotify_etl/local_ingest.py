"""Simulated hours of ingestion: the Lambda's own runtime and core against the in-process fake."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ingest_lambda.core import RunSummary
from ingest_lambda.keys import truncate_to_hour
from ingest_lambda.secrets import SpotifyCredentials
from ingest_lambda.settings import AuthMode
from ingest_lambda.token_age import RefreshTokenAge
from spotify_etl.fake_spotify import (
    CHART_PLAYLIST_ID,
    DEFAULT_SEED,
    DEV_2026,
    EXTENDED,
    USER_CHART_PLAYLIST_ID,
    FakeSpotify,
)
from spotify_etl.local_stores import MemoryStore
from spotify_etl.real_ingest import RealIngestPlan, SpotifyEndpoints, ingest_scheduled_hour

# A fixed first hour keeps the demo's output the same on every run and machine.
DEFAULT_START = datetime(2026, 11, 1, tzinfo=UTC)
DEFAULT_HOURS = 24
# The simulated Lambda captures a few seconds after the scheduled hour.
CAPTURE_DELAY = timedelta(seconds=7)
DEFAULT_PLAYLISTS = {EXTENDED: (CHART_PLAYLIST_ID,), DEV_2026: (USER_CHART_PLAYLIST_ID,)}
AUTH_MODES = {EXTENDED: AuthMode.CLIENT_CREDENTIALS, DEV_2026: AuthMode.REFRESH_TOKEN}


@dataclass(frozen=True)
class LocalIngestPlan:
    """Which hours and playlists to land, from which fake, into which lake."""

    lake: Path
    start: datetime
    hours: int
    playlist_ids: tuple[str, ...]
    profile: str = EXTENDED
    seed: int = DEFAULT_SEED
    market: str | None = None
    top_tracks: tuple[str, ...] = ()

    def hour_slots(self) -> list[datetime]:
        """The scheduled hours, oldest first."""
        first = truncate_to_hour(self.start)
        return [first + timedelta(hours=offset) for offset in range(self.hours)]


def default_playlists(profile: str) -> tuple[str, ...]:
    """The chart for `extended`; the user's copy of it for `dev-2026` (charts answer 404)."""
    return DEFAULT_PLAYLISTS[profile]


def fake_auth_mode(profile: str, top_tracks: Sequence[str]) -> AuthMode:
    """The profile's usual grant, or a user's refresh token when top tracks are asked for
    (an app of either access level reads both chart kinds with it)."""
    return AuthMode.REFRESH_TOKEN if top_tracks else AUTH_MODES[profile]


def fake_endpoints(fake: FakeSpotify) -> SpotifyEndpoints:
    """The running fake's base URLs: the only thing that differs from api.spotify.com."""
    return SpotifyEndpoints(api_base_url=fake.base_url, token_url=fake.token_url)


def fake_app_credentials(fake: FakeSpotify, mode: AuthMode) -> SpotifyCredentials:
    """The fake's throwaway app, with the user's refresh token in refresh-token mode."""
    app = SpotifyCredentials(fake.client_id, fake.client_secret)
    if mode is AuthMode.CLIENT_CREDENTIALS:
        return app
    return app.authorized(fake.refresh_token, fake.authorized_at)


def keep_authorised(fake: FakeSpotify, store: MemoryStore) -> bool:
    """Authorise again, as a user warned by the run would, once the stored refresh token is
    within its last WARNING_DAYS (simulated years outlive Spotify's six months). True if so."""
    credentials = store.credentials
    if not credentials.refresh_token:
        return False
    if not RefreshTokenAge(credentials.authorized_at, fake.now()).needs_attention:
        return False
    store.save(credentials.authorized(fake.authorize_again(), fake.authorized_at))
    return True


def simulate_hours(plan: LocalIngestPlan) -> Iterator[RunSummary]:
    """Run the Lambda's core once per hour of `plan`, yielding each hour's summary.

    The fake's clock is set to each hour (plus `CAPTURE_DELAY`), so the chart moves as it
    would, tokens expire on simulated time, and the output is the same on every run.
    """
    with FakeSpotify(profile=plan.profile, seed=plan.seed, now=plan.start) as fake:
        mode = fake_auth_mode(plan.profile, plan.top_tracks)
        # The fake's throwaway app lives in memory: never in the lake's real secret file.
        store = MemoryStore(fake_app_credentials(fake, mode))
        real_plan = RealIngestPlan(
            lake=plan.lake,
            playlist_ids=plan.playlist_ids,
            endpoints=fake_endpoints(fake),
            market=plan.market,
            auth_mode=mode,
            api_profile=plan.profile,
            top_tracks=plan.top_tracks,
        )
        for hour in plan.hour_slots():
            fake.set_now(hour + CAPTURE_DELAY)
            keep_authorised(fake, store)
            yield ingest_scheduled_hour(real_plan, hour, store, clock=fake.now).summary


def count_written(summaries: Sequence[RunSummary]) -> int:
    """How many snapshots the runs wrote."""
    return sum(len(summary.outcomes) - len(summary.failed) for summary in summaries)
