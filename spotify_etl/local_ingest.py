"""Simulated hours of ingestion: the Lambda's own core code against the in-process Spotify fake."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ingest_lambda.envelope import SOURCE_FAKE
from ingest_lambda.keys import truncate_to_hour
from ingest_lambda.secrets import MemoryStore, SpotifyCredentials
from ingest_lambda.settings import AuthMode
from ingest_lambda.storage import LocalWriter
from spotify_etl.fake_spotify import (
    CHART_PLAYLIST_ID,
    DEFAULT_SEED,
    USER_CHART_PLAYLIST_ID,
    FakeSpotify,
)

if TYPE_CHECKING:
    from ingest_lambda.core import RunSummary

# A fixed first hour keeps the demo's output the same on every run and machine.
DEFAULT_START = datetime(2026, 11, 1, tzinfo=UTC)
DEFAULT_HOURS = 24
EXTENDED, DEV_2026 = "extended", "dev-2026"
# The simulated Lambda captures a few seconds after the scheduled hour.
CAPTURE_DELAY = timedelta(seconds=7)
# Each simulated invocation gets the deployed Lambda's budget (its 120 s timeout).
INVOCATION_BUDGET_S = 120.0
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

    def hour_slots(self) -> list[datetime]:
        """The scheduled hours, oldest first."""
        first = truncate_to_hour(self.start)
        return [first + timedelta(hours=offset) for offset in range(self.hours)]


def default_playlists(profile: str) -> tuple[str, ...]:
    """The chart for `extended`; the user's copy of it for `dev-2026` (charts answer 404)."""
    return DEFAULT_PLAYLISTS[profile]


def simulate_hours(plan: LocalIngestPlan) -> Iterator[RunSummary]:
    """Run the Lambda's core once per hour of `plan`, yielding each hour's summary.

    The fake's clock is set to each hour (plus `CAPTURE_DELAY`), so the chart moves as it
    would, tokens expire on simulated time, and the output is the same on every run.
    """
    # spotipy and requests take about a second to import: only a command that ingests pays.
    from ingest_lambda.core import SnapshotLabels, ingest_hour
    from ingest_lambda.retry import Deadline, RetryPolicy
    from ingest_lambda.source import build_spotipy_source

    with FakeSpotify(profile=plan.profile, seed=plan.seed, now=plan.start) as fake:
        mode = AUTH_MODES[plan.profile]
        refresh_token = fake.refresh_token if mode is AuthMode.REFRESH_TOKEN else None
        # The fake's throwaway app lives in memory: never in the lake's real secret file.
        store = MemoryStore(SpotifyCredentials(fake.client_id, fake.client_secret, refresh_token))
        source = build_spotipy_source(
            store=store,
            mode=mode,
            api_base_url=fake.base_url,
            token_url=fake.token_url,
            market=plan.market,
            policy=RetryPolicy(),
            sleep=time.sleep,
            wall_clock=lambda: fake.now().timestamp(),
        )
        writer = LocalWriter(plan.lake)
        labels = SnapshotLabels(source=SOURCE_FAKE, api_profile=plan.profile, market=plan.market)
        for hour in plan.hour_slots():
            fake.set_now(hour + CAPTURE_DELAY)
            yield ingest_hour(
                plan.playlist_ids,
                snapshot_ts=hour,
                source=source,
                writer=writer,
                clock=fake.now,
                deadline=Deadline.after(INVOCATION_BUDGET_S),
                labels=labels,
            )


def count_written(summaries: Sequence[RunSummary]) -> int:
    """How many snapshots the runs wrote."""
    return sum(len(summary.outcomes) - len(summary.failed) for summary in summaries)
