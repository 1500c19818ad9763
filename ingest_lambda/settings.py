"""The Lambda's settings: environment variables parsed once into a frozen dataclass."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ingest_lambda.envelope import API_PROFILES
from ingest_lambda.errors import (
    InvalidPlaylistIdError,
    InvalidTimeRangeError,
    SettingsError,
    TopTracksNeedUserError,
)
from ingest_lambda.keys import validate_playlist_id, validate_time_range
from ingest_lambda.logs import LOG_LEVELS

# The names the CloudFormation template sets (a test compares the two).
ENV_VARS = (
    "LAKE_BUCKET",
    "PLAYLIST_IDS",
    "TOP_TRACKS_TIME_RANGES",
    "MARKET",
    "AUTH_MODE",
    "SPOTIFY_SECRET_ID",
    "API_PROFILE",
    "LOG_LEVEL",
    "REQUEST_TIMEOUT_SECONDS",
    "DEADLINE_MARGIN_SECONDS",
)
# Test-only: point the deployed code at the local fake. Never set in the template.
API_BASE_URL_VARIABLE, TOKEN_URL_VARIABLE = "SPOTIFY_API_BASE_URL", "SPOTIFY_TOKEN_URL"
OVERRIDE_ENV_VARS = (API_BASE_URL_VARIABLE, TOKEN_URL_VARIABLE)

SPOTIFY_API_BASE_URL = "https://api.spotify.com/v1/"
SPOTIFY_TOKEN_URL = "https://accounts.spotify.com/api/token"  # noqa: S105 (a URL)
SPOTIFY_AUTHORIZE_URL = "https://accounts.spotify.com/authorize"
DEFAULT_REQUEST_TIMEOUT_S = 10.0
DEFAULT_DEADLINE_MARGIN_S = 10.0
MARKET_PATTERN = re.compile(r"[A-Z]{2}")


class AuthMode(enum.StrEnum):
    """How the Lambda gets an access token."""

    CLIENT_CREDENTIALS = "client_credentials"
    REFRESH_TOKEN = "refresh_token"  # noqa: S105 (a grant type)


@dataclass(frozen=True)
class Settings:
    """Everything the handler needs from its environment."""

    lake_bucket: str
    playlist_ids: tuple[str, ...]
    auth_mode: AuthMode
    secret_id: str
    market: str | None = None
    api_profile: str | None = None
    log_level: str = "INFO"
    request_timeout_s: float = DEFAULT_REQUEST_TIMEOUT_S
    deadline_margin_s: float = DEFAULT_DEADLINE_MARGIN_S
    api_base_url: str = SPOTIFY_API_BASE_URL
    token_url: str = SPOTIFY_TOKEN_URL
    top_tracks_time_ranges: tuple[str, ...] = ()

    @property
    def uses_fake(self) -> bool:
        """True when the API base URL was overridden (tests against the local fake)."""
        return self.api_base_url != SPOTIFY_API_BASE_URL


def parse_playlist_ids(text: str) -> tuple[str, ...]:
    """Split a comma-separated list of playlist ids, checking each one."""
    return tuple(validate_playlist_id(part.strip()) for part in text.split(",") if part.strip())


def parse_time_ranges(text: str) -> tuple[str, ...]:
    """Split a comma-separated list of top-tracks time ranges, checking each one (no repeats)."""
    return tuple(
        dict.fromkeys(validate_time_range(part.strip()) for part in text.split(",") if part.strip())
    )


def check_top_tracks_auth(mode: AuthMode | str | None, time_ranges: tuple[str, ...]) -> None:
    """Refuse top-tracks charts with client credentials before any request: no user, no top.

    Raises:
        TopTracksNeedUserError: `mode` is client_credentials and `time_ranges` is not empty.
    """
    if time_ranges and mode == AuthMode.CLIENT_CREDENTIALS:
        raise TopTracksNeedUserError()


def _charts(environ: Mapping[str, str], problems: list[str]) -> tuple[tuple[str, ...], ...]:
    """PLAYLIST_IDS and TOP_TRACKS_TIME_RANGES, each checked; at least one chart overall."""
    playlist_ids: tuple[str, ...] = ()
    time_ranges: tuple[str, ...] = ()
    try:
        playlist_ids = parse_playlist_ids(environ.get("PLAYLIST_IDS", ""))
    except InvalidPlaylistIdError as error:
        problems.append(f"PLAYLIST_IDS: {error}")
    try:
        time_ranges = parse_time_ranges(environ.get("TOP_TRACKS_TIME_RANGES", ""))
    except InvalidTimeRangeError as error:
        problems.append(f"TOP_TRACKS_TIME_RANGES: {error}")
    given = [environ.get(name, "").strip() for name in ("PLAYLIST_IDS", "TOP_TRACKS_TIME_RANGES")]
    if not any(given):
        problems.append("PLAYLIST_IDS or TOP_TRACKS_TIME_RANGES is required (at least one chart)")
    return playlist_ids, time_ranges


def parse_market(text: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 market code such as `US`, or None when empty."""
    if not text:
        return None
    if not MARKET_PATTERN.fullmatch(text):
        raise SettingsError(f"MARKET={text!r}: use a two-letter upper-case country code, e.g. US")
    return text


def _seconds(environ: Mapping[str, str], name: str, default: float, problems: list[str]) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        problems.append(f"{name}={raw!r}: use a positive number of seconds")
        return default
    return value


def _choice(
    environ: Mapping[str, str], name: str, choices: tuple[str, ...], problems: list[str]
) -> str | None:
    raw = environ.get(name, "").strip()
    if raw and raw not in choices:
        problems.append(f"{name}={raw!r}: use one of {', '.join(choices)}")
        return None
    return raw or None


def with_trailing_slash(url: str) -> str:
    """The API base URL as spotipy needs it: ending in `/`."""
    # spotipy joins the prefix and the path by plain concatenation.
    return url if not url or url.endswith("/") else url + "/"


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Parse the environment into `Settings`, reporting every problem at once.

    Raises:
        SettingsError: a required variable is missing or a value is invalid.
    """
    problems: list[str] = []
    for name in ("LAKE_BUCKET", "AUTH_MODE", "SPOTIFY_SECRET_ID"):
        if not environ.get(name, "").strip():
            problems.append(f"{name} is required")
    playlist_ids, time_ranges = _charts(environ, problems)
    auth_mode = _choice(environ, "AUTH_MODE", tuple(AuthMode), problems)
    try:
        check_top_tracks_auth(auth_mode, time_ranges)
    except TopTracksNeedUserError as error:
        problems.append(f"TOP_TRACKS_TIME_RANGES with AUTH_MODE=client_credentials: {error}")
    api_profile = _choice(environ, "API_PROFILE", API_PROFILES, problems)
    log_level = _choice(environ, "LOG_LEVEL", LOG_LEVELS, problems) or "INFO"
    market = None
    try:
        market = parse_market(environ.get("MARKET", "").strip())
    except SettingsError as error:
        problems.append(str(error))
    request_timeout = _seconds(
        environ, "REQUEST_TIMEOUT_SECONDS", DEFAULT_REQUEST_TIMEOUT_S, problems
    )
    margin = _seconds(environ, "DEADLINE_MARGIN_SECONDS", DEFAULT_DEADLINE_MARGIN_S, problems)
    if problems or auth_mode is None:
        raise SettingsError("invalid Lambda settings: " + "; ".join(problems))
    return Settings(
        lake_bucket=environ["LAKE_BUCKET"].strip(),
        playlist_ids=playlist_ids,
        auth_mode=AuthMode(auth_mode),
        secret_id=environ["SPOTIFY_SECRET_ID"].strip(),
        market=market,
        api_profile=api_profile,
        log_level=log_level,
        request_timeout_s=request_timeout,
        deadline_margin_s=margin,
        api_base_url=with_trailing_slash(environ.get(API_BASE_URL_VARIABLE, "").strip())
        or SPOTIFY_API_BASE_URL,
        token_url=environ.get(TOKEN_URL_VARIABLE, "").strip() or SPOTIFY_TOKEN_URL,
        top_tracks_time_ranges=time_ranges,
    )
