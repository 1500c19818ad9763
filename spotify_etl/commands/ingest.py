"""`spotify-etl ingest`: land raw snapshots, from the fake (simulated hours) or the real API."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ingest_lambda.errors import IngestError
from ingest_lambda.keys import RAW_SNAPSHOTS_PREFIX, format_timestamp, truncate_to_hour
from spotify_etl.commands import CommandError, add_lake_argument
from spotify_etl.commands._source import (
    DEFAULT_PROFILE,
    SPOTIFY,
    add_source_arguments,
    describe_charts,
    market,
    playlist_ids,
    real_plan,
    refuse_flags_of_the_other_source,
    top_tracks,
)
from spotify_etl.preflight import check_lake_writable

if TYPE_CHECKING:
    from ingest_lambda.core import PlaylistOutcome
    from spotify_etl.local_ingest import LocalIngestPlan
    from spotify_etl.real_ingest import HourResult, RealIngestPlan

MAX_HOURS = 24 * 366
DEFAULT_HOURS = 24
# A fixed first hour keeps the demo's output the same on every run and machine.
DEFAULT_START = datetime(2026, 11, 1, tzinfo=UTC)


def utc_now() -> datetime:
    """The wall clock (tests pin it to the fake's clock)."""
    return datetime.now(UTC)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `ingest` command."""
    parser = subparsers.add_parser(
        "ingest",
        help="land raw playlist snapshots: simulated hours from the fake, or one real hour",
        description="Run the ingestion Lambda's own runtime and core code, writing "
        "raw/playlist_snapshots/... under the lake with the same keys and bytes the Lambda "
        "writes to S3. --source fake (default) starts the Spotify fake in-process and lands N "
        "simulated hours; --source spotify lands the current (or --hour's) hour from the Web "
        "API with the credentials stored by `spotify-etl auth`.",
    )
    add_lake_argument(parser)
    add_source_arguments(parser)
    parser.add_argument(
        "--hours",
        type=int,
        metavar="N",
        help=f"--source fake: how many consecutive hours to land (default: {DEFAULT_HOURS})",
    )
    parser.add_argument(
        "--start",
        type=parse_start,
        metavar="ISO_HOUR",
        help="--source fake: the first scheduled hour, UTC, e.g. 2026-11-01T00:00Z (default: "
        f"{format_timestamp(DEFAULT_START)}, fixed so the demo's output never changes)",
    )
    parser.add_argument(
        "--hour",
        type=parse_start,
        metavar="ISO_HOUR",
        help="--source spotify: the scheduled hour whose slot the snapshot fills (default: the "
        "current UTC hour); the content is what the API serves now",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="log every snapshot as JSON on stderr"
    )
    parser.set_defaults(func=run)


def parse_start(text: str) -> datetime:
    """An ISO 8601 time; without a zone it is taken as UTC. Truncated to the hour."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 time, e.g. 2026-11-01T00:00Z"
        ) from None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.replace(minute=0, second=0, microsecond=0)


def build_plan(args: argparse.Namespace) -> LocalIngestPlan:
    """Check the --source fake arguments and turn them into a plan."""
    from spotify_etl.fake_spotify import DEFAULT_SEED
    from spotify_etl.local_ingest import LocalIngestPlan, default_playlists

    hours = DEFAULT_HOURS if args.hours is None else args.hours
    if not 1 <= hours <= MAX_HOURS:
        raise CommandError(f"--hours must be between 1 and {MAX_HOURS}, got {hours}")
    profile = args.profile or DEFAULT_PROFILE
    ranges = top_tracks(args.top_tracks)
    return LocalIngestPlan(
        lake=args.lake,
        start=args.start or DEFAULT_START,
        hours=hours,
        playlist_ids=playlist_ids(args.playlists) or (() if ranges else default_playlists(profile)),
        profile=profile,
        seed=DEFAULT_SEED if args.seed is None else args.seed,
        market=market(args.market),
        top_tracks=ranges,
    )


def run(args: argparse.Namespace) -> int:
    """Land the hours; print where the snapshots went; exit 1 if any snapshot failed."""
    from ingest_lambda.logs import configure_logging

    refuse_flags_of_the_other_source(args, spotify_only=("hour",), fake_only=("hours", "start"))
    if args.source == SPOTIFY:
        plan = real_plan(args)
        check_lake_writable(plan.lake)
        configure_logging("INFO" if args.verbose else "WARNING", stream=sys.stderr)
        return run_real(plan, args.hour)
    simulated = build_plan(args)
    check_lake_writable(simulated.lake)
    configure_logging("INFO" if args.verbose else "WARNING", stream=sys.stderr)
    return run_simulated(simulated)


def run_simulated(plan: LocalIngestPlan) -> int:
    """--source fake: every simulated hour, with a progress bar."""
    from tqdm import tqdm

    from spotify_etl.local_ingest import count_written, simulate_hours

    summaries = []
    with tqdm(total=plan.hours, unit="hour", desc="ingest", disable=None) as progress:
        for summary in simulate_hours(plan):
            summaries.append(summary)
            progress.set_postfix_str(format_timestamp(summary.snapshot_ts))
            progress.update()
    slots = plan.hour_slots()
    print(  # noqa: T201
        f"Landed {count_written(summaries)} snapshots "
        f"({describe_charts(plan.playlist_ids, plan.top_tracks)} x {plan.hours} hour(s), "
        f"{format_timestamp(slots[0])} to {format_timestamp(slots[-1])}, "
        f"profile {plan.profile}) under {plan.lake / RAW_SNAPSHOTS_PREFIX}"
    )
    return report_failures([outcome for summary in summaries for outcome in summary.failed])


def run_real(plan: RealIngestPlan, hour: datetime | None) -> int:
    """--source spotify: one scheduled hour through the Lambda's runtime and core."""
    from spotify_etl.local_stores import LocalFileStore
    from spotify_etl.real_ingest import ingest_scheduled_hour

    hour = hour or truncate_to_hour(utc_now())
    store = LocalFileStore.in_lake(plan.lake)
    try:
        result = ingest_scheduled_hour(plan, hour, store, clock=utc_now)
    except IngestError as error:
        raise CommandError(str(error)) from error
    written = len(result.summary.outcomes) - len(result.summary.failed)
    print(  # noqa: T201
        f"Landed {written} of {len(result.summary.outcomes)} snapshot(s) for "
        f"{format_timestamp(hour)} ({result.auth_mode.value}, {plan.endpoints.api_base_url}) "
        f"under {plan.lake / RAW_SNAPSHOTS_PREFIX}"
    )
    report_token_age(result, store.fix_command)
    return report_failures(list(result.summary.failed))


def report_token_age(result: HourResult, fix_command: str) -> None:
    """The refresh token's days left on stdout, or a warning on stderr from 30 days before."""
    age = result.token_age
    if age is None:
        return
    if age.needs_attention:
        print(f"warning: {age.describe(fix_command)}", file=sys.stderr)  # noqa: T201
    else:
        print(age.describe(fix_command))  # noqa: T201


def report_failures(failures: Sequence[PlaylistOutcome]) -> int:
    """List the snapshots not written on stderr; 1 if there were any."""
    for outcome in failures:
        print(  # noqa: T201
            f"not written: {outcome.key}: {outcome.error_code}: {outcome.error}", file=sys.stderr
        )
    return 1 if failures else 0
