"""What `spotify-etl auth` asks of the token endpoint and the secret store, as one-line errors."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ingest_lambda.secrets import (
    SecretsManagerStore,
    SecretStore,
    SpotifyCredentials,
)
from spotify_etl.commands import CommandError
from spotify_etl.local_stores import LocalFileStore

TOKEN_TIMEOUT_S = 30.0
GIVEN = "the --client-id/--client-secret given"


def post_token(
    token_url: str, credentials: SpotifyCredentials, form: dict[str, str], doing: str
) -> dict[str, Any]:
    """POST `form` to the token endpoint with the app's credentials; the answer's JSON.

    Raises:
        CommandError: the endpoint refused (`doing` failed: why), answered 5xx/429, or could
            not be reached.
    """
    import requests

    from ingest_lambda.auth import basic_auth_header, raise_for_token_error
    from ingest_lambda.errors import IngestError
    from ingest_lambda.retry import TransientHttpError

    try:
        response = requests.post(
            token_url, data=form, headers=basic_auth_header(credentials), timeout=TOKEN_TIMEOUT_S
        )
    except requests.exceptions.RequestException as error:
        raise CommandError(
            f"{doing} failed: could not reach the token endpoint {token_url} "
            f"({type(error).__name__}); check the network and run again"
        ) from error
    try:
        raise_for_token_error(response, GIVEN)
        body = response.json()
    except (IngestError, TransientHttpError, ValueError) as error:
        raise CommandError(f"{doing} failed: {error}") from error
    if not isinstance(body, dict):
        raise CommandError(f"{doing} failed: the token endpoint answered {body!r}")
    return body


def exchange_code(
    token_url: str, credentials: SpotifyCredentials, code: str, redirect_uri: str
) -> str:
    """Trade the code for tokens; return the refresh token."""
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    refresh_token = post_token(token_url, credentials, form, "exchanging the code").get(
        "refresh_token"
    )
    if not isinstance(refresh_token, str) or not refresh_token:
        raise CommandError("the token endpoint answered without a refresh_token")
    return refresh_token


def check_client_credentials(token_url: str, credentials: SpotifyCredentials) -> None:
    """Ask for a client-credentials token: the id and secret work, or a one-line error."""
    form = {"grant_type": "client_credentials"}
    post_token(token_url, credentials, form, "checking the client id and secret")


def choose_store(args: argparse.Namespace) -> SecretStore:
    """Secrets Manager when --secret-id is given, else the lake's local secret file.

    Raises:
        CommandError: --secret-id without a region (from --region or the AWS configuration),
            found before the consent page is opened.
    """
    if not args.secret_id:
        return LocalFileStore.in_lake(args.lake)
    import boto3
    from botocore.exceptions import NoRegionError

    try:
        client = boto3.client("secretsmanager", region_name=args.region)
    except NoRegionError:
        raise CommandError(
            f"--secret-id {args.secret_id} needs the secret's region: pass --region (the "
            "stack's region, e.g. --region eu-west-1) or set AWS_REGION"
        ) from None
    return SecretsManagerStore(client, args.secret_id)


def store_credentials(store: SecretStore, credentials: SpotifyCredentials) -> None:
    """Write the credentials, turning AWS refusals and network failures into one line."""
    try:
        store.save(credentials)
    except Exception as error:
        message = _aws_message(store, error)
        if message is None:
            raise
        raise CommandError(message) from error


def _aws_message(store: SecretStore, error: Exception) -> str | None:
    exceptions = sys.modules.get("botocore.exceptions")
    if not isinstance(store, SecretsManagerStore) or exceptions is None:
        return None
    if isinstance(error, exceptions.ClientError):
        if error.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return (
                f"{store.where} does not exist in that region; deploy the stack (it creates the "
                "secret) or create it with `aws secretsmanager create-secret`, then run again"
            )
        return f"could not write {store.where}: {error}"
    if isinstance(error, exceptions.NoCredentialsError):
        return (
            f"could not write {store.where}: no AWS credentials found; configure them (`aws "
            "configure`, AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), then run again"
        )
    if isinstance(error, exceptions.BotoCoreError):
        return (
            f"could not write {store.where}: Secrets Manager could not be reached ({error}); "
            "check the network and --region, then run again"
        )
    return None
