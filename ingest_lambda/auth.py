"""Access tokens for spotipy: client credentials or a stored (possibly rotating) refresh token."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable
from typing import Any

import requests

from ingest_lambda.errors import (
    InvalidCredentialsError,
    RefreshTokenRejectedError,
    SecretError,
    TokenEndpointError,
)
from ingest_lambda.keys import format_timestamp
from ingest_lambda.retry import (
    RETRYABLE_STATUSES,
    EndpointFailureError,
    TransientHttpError,
    TransientResponseError,
    classify,
)
from ingest_lambda.secrets import SecretStore, SpotifyCredentials
from ingest_lambda.settings import AuthMode

LOGGER = logging.getLogger("ingest_lambda.auth")
# spotipy treats a token with under 60 s left as expired; so do we.
EXPIRY_MARGIN_S = 60
HTTP_OK = 200


def basic_auth_header(credentials: SpotifyCredentials) -> dict[str, str]:
    """`Authorization: Basic base64(client_id:client_secret)` for the token endpoint."""
    pair = f"{credentials.client_id}:{credentials.client_secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}


def raise_for_token_error(
    response: requests.Response,
    where: str,
    fix_command: str = "spotify-etl auth",
    credentials: SpotifyCredentials | None = None,
) -> None:
    """Turn a token endpoint refusal into a clear error (retryable statuses stay transient).

    `where` and `fix_command` name the credentials' store and the command that renews them;
    `credentials` (when a stored token was used) date the authorisation in the message.
    """
    if response.status_code == HTTP_OK:
        return
    try:
        body: Any = response.json()
    except ValueError:
        body = {}
    error = body.get("error") if isinstance(body, dict) else None
    description = body.get("error_description") if isinstance(body, dict) else None
    if response.status_code in RETRYABLE_STATUSES:
        raise TransientHttpError(
            response.status_code, response.headers.get("Retry-After"), "token endpoint"
        )
    if error == "invalid_client":
        raise InvalidCredentialsError(where, description)
    if error == "invalid_grant":
        authorized_at = credentials.authorized_at if credentials else None
        raise RefreshTokenRejectedError(
            where,
            description,
            fix_command,
            format_timestamp(authorized_at) if authorized_at else None,
        )
    raise TokenEndpointError(
        f"the token endpoint answered {response.status_code} ({error}: {description})"
    )


class TokenManager:
    """A spotipy auth manager: gets, caches and refreshes access tokens.

    The credentials are read from `store` once (per Lambda cold start). In refresh-token mode
    a refresh token that Spotify rotates is written back to `store` at once, because the old
    one may stop working.
    """

    def __init__(
        self,
        *,
        store: SecretStore,
        mode: AuthMode,
        token_url: str,
        session: requests.Session,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        """Read the credentials from `store` and prepare to request tokens from `token_url`."""
        self._store = store
        self._credentials = store.load()
        if mode is AuthMode.REFRESH_TOKEN and not self._credentials.refresh_token:
            raise SecretError(
                f"AUTH_MODE=refresh_token but {store.where} holds no refresh_token; authorise "
                f"once with `{store.fix_command}` (it stores one there)"
            )
        self.mode = mode
        self.token_url = token_url
        self.requests_timeout: float = 10.0
        self._session = session
        self._wall_clock = wall_clock
        self._access_token: str | None = None
        self._expires_at = 0.0

    def get_access_token(self, as_dict: bool = False) -> str:
        """A valid access token (spotipy calls this before every request)."""
        del as_dict  # spotipy passes it; only the string form is supported.
        if self._access_token and self._expires_at - self._wall_clock() > EXPIRY_MARGIN_S:
            return self._access_token
        return self._request_token()

    def forget_token(self) -> None:
        """Drop the cached access token (it was refused), so the next call gets a new one."""
        self._access_token = None

    def _request_token(self) -> str:
        if self.mode is AuthMode.REFRESH_TOKEN:
            payload = {
                "grant_type": "refresh_token",
                "refresh_token": self._credentials.refresh_token or "",
            }
        else:
            payload = {"grant_type": "client_credentials"}
        try:
            body = self._post(payload)
            token, expires_in = str(body["access_token"]), float(body["expires_in"])
        except (ValueError, KeyError, TypeError):
            error = TransientResponseError("answered a malformed body")
            raise EndpointFailureError(self._endpoint, error) from None
        self._access_token = token
        self._expires_at = self._wall_clock() + expires_in
        self._keep_rotated_refresh_token(body.get("refresh_token"))
        return token

    @property
    def _endpoint(self) -> str:
        return f"the token endpoint {self.token_url}"

    def _post(self, payload: dict[str, str]) -> Any:
        """POST the grant; a transient failure is the token endpoint's, never the API call's
        that needed the token (a 500 storm there is not a playlist GET failure)."""
        try:
            response = self._session.post(
                self.token_url,
                data=payload,
                headers=basic_auth_header(self._credentials),
                timeout=self.requests_timeout,
            )
            raise_for_token_error(
                response, self._store.where, self._store.fix_command, self._credentials
            )
        except (requests.exceptions.RequestException, TransientHttpError) as error:
            if classify(error) is None:
                raise
            raise EndpointFailureError(self._endpoint, error) from error
        return response.json()

    def _keep_rotated_refresh_token(self, new_token: object) -> None:
        if self.mode is not AuthMode.REFRESH_TOKEN or not isinstance(new_token, str):
            return
        if not new_token or new_token == self._credentials.refresh_token:
            return
        rotated = self._credentials.with_refresh_token(new_token)
        try:
            self._store.save(rotated)
        except Exception as error:
            raise SecretError(
                f"Spotify rotated the refresh token but saving it to {self._store.where} "
                f"failed ({type(error).__name__}); the stored one may no longer work. Check "
                f"the write permission, then run `{self._store.fix_command}` if later runs fail."
            ) from error
        self._credentials = rotated
        LOGGER.info("refresh token rotated and stored", extra={"store": self._store.where})
