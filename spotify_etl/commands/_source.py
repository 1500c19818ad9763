"""The flags saying where snapshots come from, shared by `spotify-etl ingest` and `collect`.

`--source fake` is the in-process fake Spotify API; `--source spotify` is the Web API at
`--api-base-url`/`--token-url` (Spotify's by default, or a fake's: only the URLs differ) with
the credentials `spotify-etl auth` stored in `<lake>/.secrets/spotify.json`. A flag of one
source given with the other is refused, naming the flag.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ingest_lambda.envelope import API_PROFILES
from ingest_lambda.errors import InvalidPlaylistIdError
from ingest_lambda.keys import TIME_RANGES, validate_playlist_id
from ingest_lambda.settings import (
    API_BASE_URL_VARIABLE,
    MARKET_PATTERN,
    SPOTIFY_API_BASE_URL,
    SPOTIFY_TOKEN_URL,
    TOKEN_URL_VARIABLE,
)
from spotify_etl.commands import CommandError

if TYPE_CHECKING:
    from spotify_etl.real_ingest import RealIngestPlan

FAKE, SPOTIFY = "fake", "spotify"
# The fake serves the API profiles the Lambda labels its envelopes with.
FAKE_PROFILES = API_PROFILES
DEFAULT_PROFILE = FAKE_PROFILES[0]
AUTH_MODE_CHOICES = ("client_credentials", "refresh_token")
# Flags (argparse dests) that only one source understands; the commands add their own.
SPOTIFY_ONLY = ("auth_mode", "api_base_url", "token_url")
FAKE_ONLY = ("profile", "seed")


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --source, --playlist, --top-tracks, --market and the flags of each source."""
    parser.add_argument(
        "--source",
        choices=(FAKE, SPOTIFY),
        default=FAKE,
        help="fake: the in-process fake Spotify API (default); spotify: the Web API with the "
        "credentials `spotify-etl auth` stored in <lake>/.secrets/spotify.json",
    )
    parser.add_argument(
        "--playlist",
        action="append",
        dest="playlists",
        metavar="ID",
        help="a playlist id to ingest; repeat for several (--source fake: default the fake's "
        "Top 100 chart for --profile extended, the user's copy of it for dev-2026; "
        "--source spotify: at least one is required)",
    )
    parser.add_argument(
        "--top-tracks",
        action="append",
        dest="top_tracks",
        choices=TIME_RANGES,
        metavar="RANGE",
        help="also land the authorising user's top tracks for RANGE (short_term, medium_term or "
        "long_term); repeat for several. Any --playlist/--top-tracks replaces the fake's default "
        "playlist; top tracks need a user, so the fake is then read with a refresh token",
    )
    parser.add_argument("--market", help="the market query parameter, e.g. US (default: none)")
    real = parser.add_argument_group("--source spotify only")
    real.add_argument(
        "--auth-mode",
        choices=AUTH_MODE_CHOICES,
        help="force the grant (default: refresh_token when a refresh token is stored, else "
        "client_credentials)",
    )
    real.add_argument(
        "--api-base-url",
        metavar="URL",
        help=f"the Web API (default: ${API_BASE_URL_VARIABLE} or {SPOTIFY_API_BASE_URL})",
    )
    real.add_argument(
        "--token-url",
        metavar="URL",
        help=f"the token endpoint (default: ${TOKEN_URL_VARIABLE} or {SPOTIFY_TOKEN_URL})",
    )
    fake = parser.add_argument_group("--source fake only")
    fake.add_argument(
        "--profile",
        choices=FAKE_PROFILES,
        help="the API access level the fake imitates (default: extended)",
    )
    fake.add_argument("--seed", type=int, help="the fake's content seed (default: the fake's)")


def refuse_flags_of_the_other_source(
    args: argparse.Namespace, spotify_only: Iterable[str] = (), fake_only: Iterable[str] = ()
) -> None:
    """Refuse, naming it, a flag given that the chosen `--source` does not use."""
    if args.source == SPOTIFY:
        foreign, other = (*FAKE_ONLY, *fake_only), FAKE
    else:
        foreign, other = (*SPOTIFY_ONLY, *spotify_only), SPOTIFY
    for name in foreign:
        if getattr(args, name, None) is not None:
            flag = "--" + name.replace("_", "-")
            raise CommandError(
                f"{flag} applies to --source {other} only (this run uses --source {args.source})"
            )


def playlist_ids(values: Iterable[str] | None) -> tuple[str, ...]:
    """The --playlist values, checked and without repeats."""
    try:
        return tuple(dict.fromkeys(validate_playlist_id(value) for value in values or ()))
    except InvalidPlaylistIdError as error:
        raise CommandError(str(error)) from error


def top_tracks(values: Iterable[str] | None) -> tuple[str, ...]:
    """The --top-tracks values (argparse checked each) without repeats."""
    return tuple(dict.fromkeys(values or ()))


def describe_charts(playlists: tuple[str, ...], ranges: tuple[str, ...]) -> str:
    """`1 playlist(s)`, `2 top-tracks chart(s)` or both, for summary lines."""
    parts = [f"{len(playlists)} playlist(s)"] if playlists else []
    if ranges:
        parts.append(f"{len(ranges)} top-tracks chart(s)")
    return " + ".join(parts)


def market(value: str | None) -> str | None:
    """The --market value, checked."""
    if value is not None and not MARKET_PATTERN.fullmatch(value):
        raise CommandError(f"--market {value!r}: use a two-letter code such as US")
    return value


def endpoint(
    flag: str, value: str | None, variable: str, default: str, env: Mapping[str, str]
) -> str:
    """A URL from its flag, else its environment variable, else Spotify's; must be http(s)."""
    url = value or env.get(variable, "").strip() or default
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        source = flag if value else f"${variable}"
        raise CommandError(f"{source} {url!r}: give an http(s) URL, e.g. {default}")
    return url


def real_plan(args: argparse.Namespace, env: Mapping[str, str] = os.environ) -> RealIngestPlan:
    """The `--source spotify` plan from the arguments (checked; no request made)."""
    from ingest_lambda.settings import AuthMode
    from spotify_etl.real_ingest import RealIngestPlan, SpotifyEndpoints

    ids, ranges = playlist_ids(args.playlists), top_tracks(args.top_tracks)
    if not ids and not ranges:
        raise CommandError(
            "--source spotify needs at least one --playlist ID or --top-tracks RANGE: which "
            "charts an app may read depends on its access level (docs/ingestion.md, "
            "'Which Spotify app')"
        )
    endpoints = SpotifyEndpoints(
        api_base_url=endpoint(
            "--api-base-url", args.api_base_url, API_BASE_URL_VARIABLE, SPOTIFY_API_BASE_URL, env
        ),
        token_url=endpoint(
            "--token-url", args.token_url, TOKEN_URL_VARIABLE, SPOTIFY_TOKEN_URL, env
        ),
    )
    return RealIngestPlan(
        lake=args.lake,
        playlist_ids=ids,
        endpoints=endpoints,
        market=market(args.market),
        auth_mode=AuthMode(args.auth_mode) if args.auth_mode else None,
        top_tracks=ranges,
    )
