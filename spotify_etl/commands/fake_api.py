"""`spotify-etl fake-api`: run the fake Spotify Web API in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
from datetime import UTC, datetime

from ingest_lambda.keys import format_timestamp
from spotify_etl.commands import CommandError, port_number
from spotify_etl.fake_spotify import (
    CHART_PLAYLIST_ID,
    DEFAULT_SEED,
    EDGE_CASE_PLAYLIST_ID,
    EXTENDED,
    FAKE_USER_ID,
    PROFILES,
    USER_CHART_PLAYLIST_ID,
    FakeSpotify,
    Fault,
    FaultSpecError,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `fake-api` command."""
    parser = subparsers.add_parser(
        "fake-api",
        help="run the local fake of the Spotify Web API (foreground, Ctrl-C stops it)",
        description="Serve the fake Spotify Web API and accounts service on 127.0.0.1 and print "
        "the base URL, token URL, credentials and refresh token to use. See docs/fake-spotify.md.",
    )
    parser.add_argument(
        "--port", type=port_number, default=0, help="port to bind (default: a free one)"
    )
    parser.add_argument("--profile", choices=PROFILES, default=EXTENDED, help="API access level")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="content seed")
    parser.add_argument(
        "--now",
        type=_parse_now,
        default=None,
        metavar="ISO_TIME",
        help="pin the simulated clock, e.g. 2026-11-26T07:00:00Z (default: follow the wall clock)",
    )
    parser.add_argument(
        "--rotate-refresh-token",
        action="store_true",
        help="answer each refresh grant with a new refresh token and revoke the old one",
    )
    parser.add_argument(
        "--no-premium",
        action="store_true",
        help="answer every API call 403 'Active premium subscription required ...'",
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="SPEC",
        help="queue a fault, e.g. kind=status,status=503,count=2,path=*/items or "
        "kind=rate_limit,retry_after=1 or kind=slow,delay=2 or kind=truncate (repeatable)",
    )
    parser.add_argument("--json", action="store_true", help="print the connection details as JSON")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    parser.set_defaults(func=run)


def _parse_now(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO time such as 2026-11-26T07:00:00Z"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def connection_details(fake: FakeSpotify) -> dict[str, object]:
    """What a client needs to talk to the running fake."""
    return {
        "profile": fake.profile,
        "seed": fake.seed,
        "base_url": fake.base_url,
        "token_url": fake.token_url,
        "authorize_url": fake.authorize_url,
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
        "refresh_token": fake.refresh_token,
        "authorized_at": format_timestamp(fake.authorized_at),
        "user_id": FAKE_USER_ID,
        "user_scope": fake.accounts.user_scope,
        "top_tracks_url": f"{fake.base_url}me/top/tracks",
        "playlists": {
            "chart": CHART_PLAYLIST_ID,
            "user_chart": USER_CHART_PLAYLIST_ID,
            "edge_cases": EDGE_CASE_PLAYLIST_ID,
        },
    }


def run(args: argparse.Namespace) -> int:
    """Start the fake, print how to reach it, serve until interrupted."""
    try:
        faults = [Fault.parse(spec) for spec in args.fault]
    except FaultSpecError as error:
        raise CommandError(str(error)) from None
    if args.verbose:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    fake = FakeSpotify(
        profile=args.profile,
        seed=args.seed,
        now=args.now,
        rotate_refresh_token=args.rotate_refresh_token,
        premium=not args.no_premium,
        port=args.port,
    )
    for fault in faults:
        fake.inject(fault)
    try:
        fake.start()
    except OSError as error:
        raise CommandError(f"cannot listen on 127.0.0.1:{args.port}: {error}") from None
    details = connection_details(fake)
    if args.json:
        sys.stdout.write(json.dumps(details) + "\n")
    else:
        sys.stdout.write("Fake Spotify Web API running; Ctrl-C stops it.\n")
        for key, value in details.items():
            sys.stdout.write(f"  {key + ':':15} {value}\n")
    sys.stdout.flush()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
    return 0
