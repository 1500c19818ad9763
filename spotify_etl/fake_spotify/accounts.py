"""The fake accounts service: credentials, token grants, authorisation codes, a settable clock."""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from ingest_lambda.token_age import refresh_token_expires_at
from spotify_etl.fake_spotify.ids import FAKE_USER_ID, hex_key

ACCESS_TOKEN_SECONDS = 3600
# What `spotify-etl auth` asks for; the fake user's stored refresh token grants it.
USER_SCOPE = "playlist-read-private playlist-read-collaborative user-top-read"
GRANT_TYPES = ("client_credentials", "refresh_token", "authorization_code")


class TokenError(Exception):
    """A refused token request: HTTP 400 with an OAuth error body."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description


class Clock:
    """The fake's notion of now: the wall clock until `set` pins it."""

    def __init__(self, now: datetime | None = None) -> None:
        self._pinned = _aware(now) if now is not None else None

    def now(self) -> datetime:
        """The current simulated time (UTC)."""
        return self._pinned if self._pinned is not None else datetime.now(UTC)

    def set(self, now: datetime) -> None:
        """Pin the clock to `now` (naive means UTC)."""
        self._pinned = _aware(now)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Authorisation:
    """Whose a refresh token is and when they authorised (its six months start then)."""

    user_id: str
    authorized_at: datetime


@dataclass(frozen=True)
class AccessToken:
    """An issued access token: whose it is (None for client credentials), until when, and the
    scopes the user granted (none for client credentials)."""

    user_id: str | None
    expires_at: datetime
    scopes: frozenset[str] = frozenset()


class Accounts:
    """Issues and checks tokens like accounts.spotify.com, on the fake's clock."""

    def __init__(
        self,
        seed: int,
        clock: Clock,
        rotate_refresh_token: bool = False,
        user_scope: str = USER_SCOPE,
    ) -> None:
        self.client_id = hex_key(seed, "client-id", length=32)
        self.client_secret = hex_key(seed, "client-secret", length=32)
        self.rotate_refresh_token = rotate_refresh_token
        self._seed = seed
        self._clock = clock
        self._lock = threading.Lock()
        self._rotations = 0
        # The user authorised when the fake started (on its clock); newest token last.
        self._refresh_tokens = {
            self._make_refresh_token(): Authorisation(FAKE_USER_ID, clock.now())
        }
        self._access: dict[str, AccessToken] = {}
        self._codes: dict[str, tuple[str, str]] = {}  # code -> (redirect_uri, scope)
        # What the user's refresh token grants: the scope of the latest authorisation.
        self.user_scope = user_scope

    def _latest(self) -> tuple[str, Authorisation]:
        return next(
            (token, grant)
            for token, grant in reversed(self._refresh_tokens.items())
            if grant.user_id == FAKE_USER_ID
        )

    @property
    def refresh_token(self) -> str:
        """FAKE_USER_ID's newest refresh token (changes when rotated or authorised again)."""
        with self._lock:
            return self._latest()[0]

    @property
    def authorized_at(self) -> datetime:
        """When FAKE_USER_ID authorised the newest refresh token (rotation keeps it)."""
        with self._lock:
            return self._latest()[1].authorized_at

    def authorize_again(self) -> str:
        """The user authorises once more: a new refresh token whose six months start now.

        Earlier tokens keep working until their own end, as Spotify's do.
        """
        with self._lock:
            return self._new_authorisation()

    def _new_authorisation(self) -> str:
        self._rotations += 1
        token = self._make_refresh_token()
        self._refresh_tokens[token] = Authorisation(FAKE_USER_ID, self._clock.now())
        return token

    def _make_refresh_token(self) -> str:
        raw = "".join(hex_key(self._seed, "refresh", self._rotations, part) for part in range(4))
        return "AQ" + base64.urlsafe_b64encode(bytes.fromhex(raw)).decode().rstrip("=")

    def _issue(self, user_id: str | None, scope: str = "") -> dict[str, object]:
        token = "BQ" + secrets.token_urlsafe(96)
        expires = self._clock.now() + timedelta(seconds=ACCESS_TOKEN_SECONDS)
        self._access[token] = AccessToken(user_id, expires, frozenset(scope.split()))
        return {"access_token": token, "token_type": "Bearer", "expires_in": ACCESS_TOKEN_SECONDS}

    def check_client(self, authorization: str | None, form: dict[str, str]) -> None:
        """Accept HTTP Basic credentials (or client_id/client_secret in the form)."""
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            try:
                decoded = base64.b64decode(authorization[6:], validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                raise TokenError("invalid_client", "Invalid client") from None
            client_id, _, client_secret = decoded.partition(":")
        if (client_id, client_secret) != (self.client_id, self.client_secret):
            raise TokenError("invalid_client", "Invalid client")

    def grant(self, authorization: str | None, form: dict[str, str]) -> dict[str, object]:
        """Answer a POST /api/token form, or raise `TokenError`."""
        grant_type = form.get("grant_type")
        if not grant_type:
            raise TokenError("unsupported_grant_type", "grant_type parameter is missing")
        if grant_type not in GRANT_TYPES:
            raise TokenError("unsupported_grant_type", f"grant_type must be one of {GRANT_TYPES}")
        self.check_client(authorization, form)
        with self._lock:
            if grant_type == "client_credentials":
                return self._issue(None)
            if grant_type == "refresh_token":
                return self._refresh(form.get("refresh_token", ""))
            return self._exchange_code(form.get("code", ""), form.get("redirect_uri", ""))

    def _refresh(self, refresh_token: str) -> dict[str, object]:
        grant = self._refresh_tokens.get(refresh_token)
        if grant is None:
            raise TokenError("invalid_grant", "Invalid refresh token")
        # Six months after the authorisation, whatever was refreshed or rotated since.
        if self._clock.now() >= refresh_token_expires_at(grant.authorized_at):
            raise TokenError("invalid_grant", "Refresh token expired")
        answer = self._issue(grant.user_id, self.user_scope) | {"scope": self.user_scope}
        if self.rotate_refresh_token:
            # The old token stops working, so a client that forgets the new one fails loudly.
            del self._refresh_tokens[refresh_token]
            self._rotations += 1
            new_token = self._make_refresh_token()
            self._refresh_tokens[new_token] = grant
            answer["refresh_token"] = new_token
        return answer

    def _exchange_code(self, code: str, redirect_uri: str) -> dict[str, object]:
        issued = self._codes.pop(code, None)
        if issued is None:
            raise TokenError("invalid_grant", "Invalid authorization code")
        if issued[0] != redirect_uri:
            raise TokenError("invalid_grant", "Invalid redirect URI")
        refresh_token = self._new_authorisation()
        self.user_scope = issued[1]
        answer = self._issue(FAKE_USER_ID, issued[1])
        return answer | {"refresh_token": refresh_token, "scope": issued[1]}

    def authorize(self, query: dict[str, str]) -> str:
        """Auto-approve GET /authorize: the redirect URL carrying `code` and `state`."""
        if query.get("client_id") != self.client_id:
            raise TokenError("invalid_client", "INVALID_CLIENT: Invalid client")
        if query.get("response_type") != "code":
            raise TokenError("unsupported_response_type", "response_type must be code")
        redirect_uri = query.get("redirect_uri", "")
        if not redirect_uri.startswith(("http://", "https://")):
            raise TokenError("invalid_request", "INVALID_CLIENT: Invalid redirect URI")
        code = "AQ" + secrets.token_urlsafe(48)
        with self._lock:
            self._codes[code] = (redirect_uri, query.get("scope", USER_SCOPE))
        params = {"code": code} | ({"state": query["state"]} if "state" in query else {})
        separator = "&" if "?" in redirect_uri else "?"
        return f"{redirect_uri}{separator}{urlencode(params)}"

    def bearer(self, authorization: str | None) -> AccessToken | str:
        """The access token of an API call, or the 401 message explaining why it is refused."""
        if not authorization or not authorization.startswith("Bearer "):
            return "No token provided"
        with self._lock:
            token = self._access.get(authorization[7:])
        if token is None:
            return "Invalid access token"
        if self._clock.now() >= token.expires_at:
            return "The access token expired"
        return token
