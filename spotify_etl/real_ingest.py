"""Real ingestion into the local lake: the Lambda's runtime and core, the lake's secret file.

Used by `spotify-etl ingest --source spotify` (one scheduled hour) and by `spotify-etl collect`
(every hour). api.spotify.com and the fake differ only in `SpotifyEndpoints`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ingest_lambda.core import RunSummary, ingest_hour
from ingest_lambda.retry import Deadline
from ingest_lambda.runtime import build_runtime
from ingest_lambda.secrets import SecretStore, SpotifyCredentials
from ingest_lambda.settings import (
    SPOTIFY_API_BASE_URL,
    SPOTIFY_TOKEN_URL,
    AuthMode,
    Settings,
    check_top_tracks_auth,
    with_trailing_slash,
)
from ingest_lambda.token_age import RefreshTokenAge
from spotify_etl.local_stores import LocalWriter

# Each local run gets the deployed Lambda's budget (its 120 s timeout).
INVOCATION_BUDGET_S = 120.0


def utc_now() -> datetime:
    """The wall clock."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class SpotifyEndpoints:
    """Where the Web API and the token endpoint are: Spotify's, or a fake's."""

    api_base_url: str = SPOTIFY_API_BASE_URL
    token_url: str = SPOTIFY_TOKEN_URL


@dataclass(frozen=True)
class RealIngestPlan:
    """What one real ingestion lands, from where, into which lake.

    `auth_mode` None means: from what is stored (a refresh token, else client credentials).
    `api_profile` labels the envelopes (`extended`/`dev-2026`, as the Lambda's API_PROFILE).
    """

    lake: Path
    playlist_ids: tuple[str, ...]
    endpoints: SpotifyEndpoints = SpotifyEndpoints()
    market: str | None = None
    auth_mode: AuthMode | None = None
    api_profile: str | None = None
    top_tracks: tuple[str, ...] = ()


@dataclass(frozen=True)
class HourResult:
    """One hour's outcome and the refresh token's age when it ran (None: client credentials)."""

    summary: RunSummary
    token_age: RefreshTokenAge | None
    auth_mode: AuthMode


def choose_auth_mode(credentials: SpotifyCredentials, forced: AuthMode | None) -> AuthMode:
    """The forced mode, else refresh-token mode when a refresh token is stored."""
    if forced is not None:
        return forced
    return AuthMode.REFRESH_TOKEN if credentials.refresh_token else AuthMode.CLIENT_CREDENTIALS


def settings_for(plan: RealIngestPlan, mode: AuthMode, secret_where: str) -> Settings:
    """The Lambda's settings for a local run (the lake folder stands where the bucket would)."""
    return Settings(
        lake_bucket=str(plan.lake),
        playlist_ids=plan.playlist_ids,
        auth_mode=mode,
        secret_id=secret_where,
        market=plan.market,
        api_profile=plan.api_profile,
        top_tracks_time_ranges=plan.top_tracks,
        api_base_url=with_trailing_slash(plan.endpoints.api_base_url),
        token_url=plan.endpoints.token_url,
    )


def ingest_scheduled_hour(
    plan: RealIngestPlan,
    hour: datetime,
    store: SecretStore,
    *,
    clock: Callable[[], datetime] = utc_now,
    sleep: Callable[[float], None] = time.sleep,
) -> HourResult:
    """Land `hour`'s slot with what the API serves now, as the Lambda invoked for that hour.

    The credentials are read afresh on each call, so a `spotify-etl auth` run in between (a new
    refresh token) is used at once; a rotated refresh token is written back to `store`.

    Raises:
        IngestError: the credentials are missing or unreadable, or top tracks are asked for
            with client credentials (before any request).
    """
    mode = choose_auth_mode(store.load(), plan.auth_mode)
    check_top_tracks_auth(mode, plan.top_tracks)
    runtime = build_runtime(
        settings_for(plan, mode, store.where),
        store,
        LocalWriter(plan.lake),
        sleep=sleep,
        wall_clock=lambda: clock().timestamp(),
    )
    age = runtime.refresh_token_age(clock())
    summary = ingest_hour(
        plan.playlist_ids,
        snapshot_ts=hour,
        source=runtime.source,
        writer=runtime.writer,
        clock=clock,
        deadline=Deadline.after(INVOCATION_BUDGET_S),
        labels=runtime.labels,
        top_tracks=plan.top_tracks,
    )
    return HourResult(summary=summary, token_age=age, auth_mode=mode)
