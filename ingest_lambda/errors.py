"""Errors the ingestion reports, each with a stable code and a message saying what to do."""

from __future__ import annotations

CHART_POLICY_DATE = "2024-11-27"
DEV_MODE_ITEMS_POLICY_DATE = "2026-03-09"
# Existing apps' refresh tokens end six months after the authorisation from this day on.
REFRESH_TOKEN_EXPIRY_DATE = "2026-07-20"  # noqa: S105 (a date)


class IngestError(Exception):
    """A failure the ingestion understands; `code` is stable, the message is for a human.

    `fatal_for_run` means every other playlist of the invocation would fail the same way
    (credentials, quota, time), so the run stops instead of burning its budget.
    """

    code = "ingest_error"
    fatal_for_run = False


class SettingsError(IngestError):
    """The Lambda's environment variables are missing or invalid."""

    code = "invalid_settings"
    fatal_for_run = True


class InvalidEventError(IngestError):
    """The invocation event is not what the schedule sends."""

    code = "invalid_event"
    fatal_for_run = True


class InvalidPlaylistIdError(IngestError, ValueError):
    """A playlist id that is not exactly 22 base62 characters."""

    code = "invalid_playlist_id"
    fatal_for_run = True

    def __init__(self, value: object) -> None:
        super().__init__(
            f"playlist id {value!r} is not a Spotify playlist id (exactly 22 characters 0-9, "
            "A-Z, a-z). Take the id from the playlist's link: "
            "https://open.spotify.com/playlist/<id>."
        )


class InvalidTimeRangeError(IngestError, ValueError):
    """A top-tracks time range that is not one of the API's three."""

    code = "invalid_time_range"
    fatal_for_run = True

    def __init__(self, value: object) -> None:
        super().__init__(
            f"time range {value!r} is not one of short_term (about 4 weeks), medium_term (about "
            "6 months) or long_term (about a year), the values of GET /me/top/tracks."
        )


class SecretError(IngestError):
    """The stored Spotify credentials are missing, unreadable or cannot be saved."""

    code = "secret_error"
    fatal_for_run = True


class InvalidCredentialsError(IngestError):
    """The token endpoint rejected the client id/secret."""

    code = "invalid_credentials"
    fatal_for_run = True

    def __init__(self, where: str, description: str | None) -> None:
        super().__init__(
            f"Spotify rejected the client id/secret (invalid_client: {description or 'no detail'})."
            f" Check client_id and client_secret in {where} against the app's settings on "
            "https://developer.spotify.com/dashboard, or store them again with `spotify-etl auth`."
        )


class RefreshTokenRejectedError(IngestError):
    """The stored refresh token expired (six months), was revoked or belongs to another app."""

    code = "refresh_token_rejected"
    fatal_for_run = True

    def __init__(
        self,
        where: str,
        description: str | None,
        fix_command: str = "spotify-etl auth",
        authorized_at: str | None = None,
    ) -> None:
        when = f" (this one was authorised on {authorized_at})" if authorized_at else ""
        super().__init__(
            f"Spotify rejected the stored refresh token (invalid_grant: "
            f"{description or 'no detail'}). Likely cause: since {REFRESH_TOKEN_EXPIRY_DATE} "
            f"Spotify ends every refresh token six months after the user authorised{when}, and "
            "refreshing does not extend it; else the user revoked access or the token belongs "
            f"to another app. Authorise again with `{fix_command}` (it updates {where})."
        )


class TokenEndpointError(IngestError):
    """Any other refusal from the token endpoint."""

    code = "token_error"
    fatal_for_run = True


class PremiumRequiredError(IngestError):
    """Development-mode apps need a Premium owner since February/March 2026."""

    code = "premium_required"
    fatal_for_run = True

    def __init__(self, message: str) -> None:
        super().__init__(
            f"Spotify answered 403 {message!r}: since 2026-03-09 a development-mode app only "
            "works while the Spotify account that owns the app holds an active Premium "
            "subscription. Renew Premium on the app owner's account, or move to an "
            "extended-quota app."
        )


class ChartUnavailableError(IngestError):
    """A Spotify-owned chart or editorial playlist answered 404 (dev-mode policy)."""

    code = "chart_unavailable"

    def __init__(self, playlist_id: str) -> None:
        super().__init__(
            f"playlist {playlist_id} answered 404 Not Found. Since {CHART_POLICY_DATE} Spotify "
            "answers 404 to new and development-mode apps for its own editorial and algorithmic "
            "playlists, including every chart (Top 50, Viral 50). Two ways out: (1) an "
            "extended-quota app with AUTH_MODE=client_credentials reads charts directly; (2) a "
            "development-mode app with AUTH_MODE=refresh_token (authorise once with "
            "`spotify-etl auth`) reading a copy of the chart that the authorising user owns or "
            "collaborates on, listed in PLAYLIST_IDS instead of the chart's id."
        )


class PlaylistNotFoundError(IngestError):
    """An ordinary playlist answered 404."""

    code = "playlist_not_found"

    def __init__(self, playlist_id: str) -> None:
        super().__init__(
            f"playlist {playlist_id} answered 404 Not Found: it was deleted, made private by a "
            "user other than the authorising one, or the id is wrong. Check the id in "
            "PLAYLIST_IDS (or --playlist)."
        )


class NotPlaylistOwnerError(IngestError):
    """403 on /items of a development-mode app (API_PROFILE=dev-2026): the user's own only."""

    code = "not_playlist_owner"

    def __init__(self, playlist_id: str, message: str, client_credentials: bool = True) -> None:
        no_user = " (and a client-credentials token has no user)" if client_credentials else ""
        super().__init__(
            f"reading the entries of playlist {playlist_id} was refused (403 {message!r}). Since "
            f"{DEV_MODE_ITEMS_POLICY_DATE} a development-mode app may read /playlists/{{id}}/items "
            f"only for playlists that the authorising user owns or collaborates on{no_user}. "
            "Make a copy of the playlist with the account you authorised with `spotify-etl auth` "
            "and ingest the copy, or use an extended-quota app."
        )


class ItemsForbiddenError(IngestError):
    """403 on /items when nothing says the app is in development mode."""

    code = "items_forbidden"

    def __init__(self, playlist_id: str, message: str, api_profile: str | None) -> None:
        if api_profile is None:
            known = (
                "The app's access level is not known here (API_PROFILE is not set). If it is a "
                f"development-mode app: since {DEV_MODE_ITEMS_POLICY_DATE} such an app reads "
                "/playlists/{id}/items only of playlists the authorising user owns or "
                "collaborates on (a client-credentials token has no user): ingest a copy owned "
                "by the user who ran `spotify-etl auth`, and set API_PROFILE=dev-2026. If it is "
                "an extended-quota app, that rule does not apply"
            )
        else:
            known = (
                f"API_PROFILE={api_profile} says the app has extended quota, to which the "
                "development-mode rule (entries only of the user's own playlists) does not "
                "apply: check on https://developer.spotify.com/dashboard that the app still has "
                "extended quota (if it is now in development mode, set API_PROFILE=dev-2026 and "
                "ingest a copy the authorising user owns)"
            )
        super().__init__(
            f"reading the entries of playlist {playlist_id} was refused (403 {message!r}). "
            f"{known}; otherwise check that the playlist is public, or shared with the "
            "authorising user."
        )


class SpotifyApiError(IngestError):
    """Any other error answer from the Web API."""

    code = "spotify_api_error"


class QuotaExceededError(IngestError):
    """429 with reason QUOTA_EXCEEDED: the developer account's quota is spent."""

    code = "quota_exceeded"
    fatal_for_run = True

    def __init__(self, what: str, attempts: int, retry_after_s: float | None) -> None:
        asked = f"Retry-After {retry_after_s:g} s" if retry_after_s else "no usable Retry-After"
        super().__init__(
            f"{what} answered 429 with reason QUOTA_EXCEEDED ({attempts} attempts, {asked}): the "
            "app's quota, counted per developer account since 2026-07-23, is used up for now. "
            "The next scheduled hour tries again by itself. If it keeps happening, ingest fewer "
            "playlists, stop other apps of the same developer account, or apply for extended "
            "quota."
        )


class RetriesExhaustedError(IngestError):
    """A transient failure (429, 5xx, timeout, truncated body) outlasted the retry budget."""

    code = "retries_exhausted"


class DeadlineExceededError(IngestError):
    """Not enough invocation time is left to try (again)."""

    code = "deadline_exceeded"
    fatal_for_run = True


class IncompletePlaylistError(IngestError):
    """The pages did not add up to the playlist's `total`: nothing is written."""

    code = "incomplete_playlist"


class ChartChangedError(IngestError):
    """The chart changed while its pages were read, on every one of the bounded re-reads."""

    code = "chart_changed_while_read"


class IngestRunError(IngestError):
    """Raised at the end of an invocation in which at least one playlist failed."""

    code = "run_failed"


class TopTracksNeedUserError(IngestError):
    """Top tracks asked for with a client-credentials token, which has no user."""

    code = "top_tracks_need_user"

    def __init__(self, detail: str = "") -> None:
        answered = f" (Spotify answered {detail})" if detail else ""
        super().__init__(
            f"top tracks are the authorising user's own, and a client-credentials token has no "
            f"user{answered}: use AUTH_MODE=refresh_token after authorising once with "
            "`spotify-etl auth` (it asks for the user-top-read scope), or drop the top-tracks "
            "charts (TOP_TRACKS_TIME_RANGES, --top-tracks)."
        )


class MissingScopeError(IngestError):
    """403 "Insufficient client scope": the refresh token lacks `user-top-read`."""

    code = "missing_scope"

    def __init__(self, message: str) -> None:
        super().__init__(
            f"GET /me/top/tracks was refused (403 {message!r}): the stored refresh token was "
            "authorised without the user-top-read scope (for example before this project asked "
            "for it). Authorise again with `spotify-etl auth`: the new refresh token replaces the "
            "stored one."
        )


class IncompleteTopTracksError(IngestError):
    """The top-tracks pages did not add up: nothing is written."""

    code = "incomplete_top_tracks"
