"""`spotify-etl collect`: ingest every hour, transform and crawl every N hours, until stopped."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from types import FrameType
from typing import TYPE_CHECKING

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
    from ingest_lambda.secrets import SecretStore
    from spotify_etl.collect.steps import LakeSteps
    from spotify_etl.collect.stop import StopFlag
    from spotify_etl.real_ingest import RealIngestPlan

DEFAULT_TRANSFORM_EVERY_HOURS = 6
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def utc_now() -> datetime:
    """The wall clock."""
    return datetime.now(UTC)


def log(message: str) -> None:
    """One line on stderr, stamped with the UTC time (journald and cron keep it)."""
    stamp = utc_now().strftime("%Y-%m-%dT%H:%M:%SZ")
    sys.stderr.write(f"{stamp} {message}\n")
    sys.stderr.flush()


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `collect` command."""
    parser = subparsers.add_parser(
        "collect",
        help="run the whole chain on this machine: ingest every hour, transform and crawl "
        "every N hours, until Ctrl-C or SIGTERM",
        description="Long-running local mode (docs/collect.md). At start it runs the chain once "
        "(ingest the current hour, transform if any raw object changed, crawl); then it ingests "
        "at every full hour (UTC) and transforms and crawls at :15 of every N-th hour. Ctrl-C or "
        "SIGTERM stops it after the running step; a second one interrupts that step. One log "
        "line per step on stderr.",
    )
    add_lake_argument(parser)
    add_source_arguments(parser)
    parser.add_argument(
        "--transform-every",
        type=int,
        default=DEFAULT_TRANSFORM_EVERY_HOURS,
        metavar="HOURS",
        help="transform and crawl at :15 of every HOURS-th hour, a divisor of 24 (default: "
        f"{DEFAULT_TRANSFORM_EVERY_HOURS}, as the deployed Glue trigger)",
    )
    parser.add_argument(
        "--once",
        action="store_true",
        help="run the chain once now (ingest the current hour, transform, crawl) and exit; "
        "exit 1 if a step failed",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="also log the ingestion's JSON lines on stderr"
    )
    parser.set_defaults(func=run)


@contextmanager
def open_source(args: argparse.Namespace) -> Iterator[tuple[RealIngestPlan, SecretStore]]:
    """The plan and credentials: the lake's secret file, or the fake's app in memory.

    With --source fake the fake runs in this process on a random port and follows the wall
    clock (each real hour gets that hour's fake chart); only its URLs differ from Spotify's.
    """
    from ingest_lambda.errors import IngestError
    from spotify_etl.local_stores import LocalFileStore, MemoryStore

    if args.source == SPOTIFY:
        plan = real_plan(args)
        store = LocalFileStore.in_lake(plan.lake)
        try:
            store.load()  # refuse a missing or broken secret before the first hour
        except IngestError as error:
            raise CommandError(str(error)) from error
        yield plan, store
        return
    from spotify_etl.fake_spotify import DEFAULT_SEED, FakeSpotify
    from spotify_etl.local_ingest import (
        default_playlists,
        fake_app_credentials,
        fake_auth_mode,
        fake_endpoints,
    )
    from spotify_etl.real_ingest import RealIngestPlan

    profile = args.profile or DEFAULT_PROFILE
    seed = DEFAULT_SEED if args.seed is None else args.seed
    with FakeSpotify(profile=profile, seed=seed) as fake:
        ranges = top_tracks(args.top_tracks)
        mode = fake_auth_mode(profile, ranges)
        fake_plan = RealIngestPlan(
            lake=args.lake,
            playlist_ids=playlist_ids(args.playlists)
            or (() if ranges else default_playlists(profile)),
            endpoints=fake_endpoints(fake),
            market=market(args.market),
            auth_mode=mode,
            api_profile=profile,
            top_tracks=ranges,
        )
        yield fake_plan, MemoryStore(fake_app_credentials(fake, mode))


@contextmanager
def stop_on_signals(stop: StopFlag, steps: LakeSteps) -> Iterator[None]:
    """First Ctrl-C/SIGTERM: stop after the running step. Second: interrupt that step too."""

    def handle(number: int, frame: FrameType | None) -> None:
        del frame
        name = signal.Signals(number).name
        if not stop.is_set():
            stop.set()
            log(f"{name}: stopping after the running step (send it again to interrupt the step)")
            return
        if steps.interrupt_child():
            log(f"{name} again: interrupting the running step")
            return
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, handle) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def run(args: argparse.Namespace) -> int:
    """Collect until stopped (or once with --once)."""
    from ingest_lambda.keys import truncate_to_hour
    from ingest_lambda.logs import configure_logging
    from spotify_etl.collect.lock import LakeBusyError, lake_lock
    from spotify_etl.collect.loop import FAILED, Collector
    from spotify_etl.collect.schedule import Schedule
    from spotify_etl.collect.steps import LakeSteps
    from spotify_etl.collect.stop import StopFlag

    refuse_flags_of_the_other_source(args)
    try:
        schedule = Schedule(args.transform_every)
    except ValueError as error:
        raise CommandError(f"--transform-every {args.transform_every}: {error}") from None
    check_lake_writable(args.lake)
    # The steps' lines say what happened; the ingestion's JSON lines only with --verbose.
    configure_logging("INFO" if args.verbose else "CRITICAL", stream=sys.stderr)
    with ExitStack() as stack:
        try:
            lock = stack.enter_context(lake_lock(args.lake))
        except LakeBusyError as error:
            raise CommandError(str(error)) from None
        plan, store = stack.enter_context(open_source(args))
        steps = LakeSteps(plan, store, clock=utc_now, keep_fds=(lock,))
        stop = StopFlag()
        stack.callback(stop.close)
        collector = Collector(steps, schedule, clock=utc_now, stop=stop, log=log)
        log(
            f"collect {plan.lake}: --source {args.source}, "
            f"{describe_charts(plan.playlist_ids, plan.top_tracks)}, ingest every hour at :00, "
            "transform and crawl every "
            f"{args.transform_every} h at :15 (UTC)"
        )
        with stop_on_signals(stop, steps):
            if args.once:
                collector.run_chain(truncate_to_hour(utc_now()))
            else:
                collector.run()
    log("collect stopped" if stop.is_set() else "collect done")
    # A long run that is stopped ends well whatever hour failed; --once reports its chain.
    failed = any(result.outcome == FAILED for result in collector.results)
    return 1 if args.once and failed else 0
