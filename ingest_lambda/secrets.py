"""The Spotify app credentials and refresh token, and their store on AWS: Secrets Manager.

The local stores (a file in the lake, memory) are `spotify_etl.local_stores`: they never ship.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from ingest_lambda.errors import SecretError
from ingest_lambda.keys import format_timestamp


@dataclass(frozen=True)
class SpotifyCredentials:
    """The app's client id/secret and, for the authorization-code flow, a refresh token.

    `authorized_at` is when the user authorised (the refresh token's six months start then);
    None for values stored before it was recorded, and for client credentials.
    """

    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    authorized_at: datetime | None = None

    def with_refresh_token(self, refresh_token: str) -> SpotifyCredentials:
        """A copy holding a new (rotated) refresh token; a rotation keeps `authorized_at`,
        because refreshing does not extend the authorisation."""
        return replace(self, refresh_token=refresh_token)

    def authorized(self, refresh_token: str, authorized_at: datetime) -> SpotifyCredentials:
        """A copy holding the refresh token of a new authorisation made at `authorized_at`."""
        return replace(self, refresh_token=refresh_token, authorized_at=authorized_at)

    def to_json(self) -> str:
        """The secret's JSON text: `{"client_id", "client_secret"[, "refresh_token",
        "authorized_at"]}`."""
        document = {"client_id": self.client_id, "client_secret": self.client_secret}
        if self.refresh_token:
            document["refresh_token"] = self.refresh_token
        if self.refresh_token and self.authorized_at is not None:
            document["authorized_at"] = format_timestamp(self.authorized_at)
        return json.dumps(document, sort_keys=True)


class SecretStore(Protocol):
    """Reads and writes the credentials; `where` names the place in error messages and
    `fix_command` the `spotify-etl auth` command that stores new credentials there."""

    where: str
    fix_command: str

    def load(self) -> SpotifyCredentials:
        """Read the credentials."""
        ...

    def save(self, credentials: SpotifyCredentials) -> None:
        """Replace the stored credentials (e.g. after a refresh-token rotation)."""
        ...


def parse_credentials(
    text: str, where: str, fix_command: str = "spotify-etl auth"
) -> SpotifyCredentials:
    """Parse the secret's JSON text, naming `where` (never the values) in errors.

    `fix_command` is the command that stores the credentials in that place, for the errors.
    """
    try:
        document: Any = json.loads(text)
    except ValueError:
        raise SecretError(
            f"{where} is not JSON; it must hold "
            '{"client_id": ..., "client_secret": ..., "refresh_token": ...}: '
            f"store the app's credentials with `{fix_command}`"
        ) from None
    if not isinstance(document, dict):
        raise SecretError(
            f"{where} must hold a JSON object with client_id and client_secret: "
            f"store the app's credentials with `{fix_command}`"
        )
    missing = [
        name for name in ("client_id", "client_secret") if not isinstance(document.get(name), str)
    ]
    if missing:
        raise SecretError(
            f"{where} lacks {' and '.join(missing)}; store the app's credentials with "
            f"`{fix_command}`"
        )
    refresh_token = document.get("refresh_token")
    return SpotifyCredentials(
        client_id=document["client_id"],
        client_secret=document["client_secret"],
        refresh_token=refresh_token if isinstance(refresh_token, str) and refresh_token else None,
        authorized_at=_authorized_at(document.get("authorized_at"), where, fix_command),
    )


def _authorized_at(value: object, where: str, fix_command: str) -> datetime | None:
    # Values stored before authorized_at was recorded have none: still readable, end unknown.
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise SecretError(
            f"{where} holds authorized_at={value!r}, not a UTC time such as "
            f"2026-11-26T07:00:00Z; store the credentials again with `{fix_command}`"
        )
    return moment.astimezone(UTC)


class SecretsManagerStore:
    """Credentials in an AWS Secrets Manager secret (the Lambda's store)."""

    def __init__(self, client: Any, secret_id: str) -> None:
        """Use `client` (a boto3 secretsmanager client) for the secret `secret_id` (id or ARN)."""
        self._client = client
        self.secret_id = secret_id
        self.where = f"Secrets Manager secret {secret_id}"
        self.fix_command = f"spotify-etl auth --secret-id {secret_id} --region <region>"

    def load(self) -> SpotifyCredentials:
        """Read the secret's current version."""
        try:
            answer = self._client.get_secret_value(SecretId=self.secret_id)
        except self._client.exceptions.ResourceNotFoundException:
            # The stack creates the secret without a value: the same answer as no secret.
            raise SecretError(
                f"{self.where} does not exist or has no value yet; store the app's credentials "
                f"in it with `{self.fix_command}`"
            ) from None
        return parse_credentials(answer.get("SecretString") or "", self.where, self.fix_command)

    def save(self, credentials: SpotifyCredentials) -> None:
        """Store a new version of the secret (needs secretsmanager:PutSecretValue)."""
        self._client.put_secret_value(SecretId=self.secret_id, SecretString=credentials.to_json())
