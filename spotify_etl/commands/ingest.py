"""`spotify-etl ingest`: land simulated hours of raw snapshots from the Spotify fake."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from ingest_lambda.errors import InvalidPlaylistIdError
from ingest_lambda.keys import RAW_SNAPSHOTS_PREFIX, format_timestamp, validate_playlist_id
from ingest_lambda.logs import configure_logging
from ingest_lambda.settings import MARKET_PATTERN
from spotify_etl.commands import CommandError, add_lake_argument
from spotify_etl.fake_spotify import DEFAULT_SEED
from spotify_etl.local_ingest import (
    DEFAULT_HOURS,
    DEFAULT_START,
    DEV_2026,
    EXTENDED,
    LocalIngestPlan,
    count_written,
    default_playlists,
    simulate_hours,
)
from spotify_etl.preflight import check_lake_writable

MAX_HOURS = 24 * 366


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `ingest` command."""
    parser = subparsers.add_parser(
        "ingest",
        help="land N simulated hours of raw playlist snapshots from the local Spotify fake",
        description="Start the Spotify fake in-process and run the ingestion Lambda's own core "
        "code once per simulated hour, writing raw/playlist_snapshots/... under the lake with the "
        "same keys and bytes the Lambda writes to S3.",
    )
    add_lake_argument(parser)
    parser.add_argument(
        "--hours",
        type=int,
        default=DEFAULT_HOURS,
        metavar="N",
        help=f"how many consecutive hours to land (default: {DEFAULT_HOURS})",
    )
    parser.add_argument(
        "--start",
        type=parse_start,
        default=DEFAULT_START,
        metavar="ISO_HOUR",
        help="the first scheduled hour, UTC, e.g. 2026-11-01T00:00Z (default: "
        f"{format_timestamp(DEFAULT_START)}, fixed so the demo's output never changes)",
    )
    parser.add_argument(
        "--playlist",
        action="append",
        dest="playlists",
        metavar="ID",
        help="a playlist id to ingest; repeat for several (default: the fake's Top 100 chart "
        "for --profile extended, the user's copy of it for dev-2026)",
    )
    parser.add_argument(
        "--profile",
        choices=(EXTENDED, DEV_2026),
        default=EXTENDED,
        help="the API access level the fake imitates (default: extended)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"the fake's content seed (default: {DEFAULT_SEED})",
    )
    parser.add_argument("--market", help="the market query parameter, e.g. US (default: none)")
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
    """Check the arguments and turn them into a plan."""
    if not 1 <= args.hours <= MAX_HOURS:
        raise CommandError(f"--hours must be between 1 and {MAX_HOURS}, got {args.hours}")
    if args.market is not None and not MARKET_PATTERN.fullmatch(args.market):
        raise CommandError(f"--market {args.market!r}: use a two-letter code such as US")
    try:
        playlist_ids = tuple(
            dict.fromkeys(validate_playlist_id(value) for value in args.playlists or ())
        )
    except InvalidPlaylistIdError as error:
        raise CommandError(str(error)) from error
    return LocalIngestPlan(
        lake=args.lake,
        start=args.start,
        hours=args.hours,
        playlist_ids=playlist_ids or default_playlists(args.profile),
        profile=args.profile,
        seed=args.seed,
        market=args.market,
    )


def run(args: argparse.Namespace) -> int:
    """Land the hours; print where the snapshots went; exit 1 if any snapshot failed."""
    from tqdm import tqdm

    plan = build_plan(args)
    check_lake_writable(plan.lake)
    configure_logging("INFO" if args.verbose else "WARNING", stream=sys.stderr)
    summaries = []
    with tqdm(total=plan.hours, unit="hour", desc="ingest", disable=None) as progress:
        for summary in simulate_hours(plan):
            summaries.append(summary)
            progress.set_postfix_str(format_timestamp(summary.snapshot_ts))
            progress.update()
    written = count_written(summaries)
    slots = plan.hour_slots()
    print(  # noqa: T201
        f"Landed {written} snapshots ({len(plan.playlist_ids)} playlist(s) x {plan.hours} "
        f"hour(s), {format_timestamp(slots[0])} to {format_timestamp(slots[-1])}, profile "
        f"{plan.profile}) under {plan.lake / RAW_SNAPSHOTS_PREFIX}"
    )
    failures = [outcome for summary in summaries for outcome in summary.failed]
    for outcome in failures:
        print(  # noqa: T201
            f"not written: {outcome.key}: {outcome.error_code}: {outcome.error}", file=sys.stderr
        )
    return 1 if failures else 0
