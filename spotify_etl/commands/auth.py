"""`spotify-etl auth`: the one-time authorization-code flow that stores a refresh token."""

from __future__ import annotations

import argparse
import os
import secrets
import time
import webbrowser
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from ingest_lambda.keys import format_timestamp
from ingest_lambda.secrets import SecretsManagerStore, SecretStore, SpotifyCredentials
from ingest_lambda.settings import SPOTIFY_AUTHORIZE_URL, SPOTIFY_TOKEN_URL
from ingest_lambda.token_age import WARNING_DAYS, refresh_token_expires_at
from spotify_etl.commands import CommandError, add_lake_argument, port_number
from spotify_etl.local_stores import LocalFileStore

# user-top-read: the top-tracks charts (decision 0088); a token authorised without it gets 403.
SCOPE = "playlist-read-private playlist-read-collaborative user-top-read"
LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8888
CALLBACK_PATH = "/callback"
DEFAULT_TIMEOUT_S = 300.0
TOKEN_TIMEOUT_S = 30.0
POLL_S = 0.5
PAGE = b"<html><body><p>%s</p><p>You can close this tab.</p></body></html>"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `auth` command."""
    parser = subparsers.add_parser(
        "auth",
        help="authorise once (authorization-code flow) and store the refresh token",
        description="Open Spotify's consent page, receive the code on a 127.0.0.1 redirect URI, "
        "exchange it for a refresh token and store client id, secret and refresh token in "
        "<lake>/.secrets/spotify.json or in an AWS Secrets Manager secret (--secret-id). "
        "Register http://127.0.0.1:PORT/callback as a redirect URI of the app first.",
    )
    add_lake_argument(parser)
    parser.add_argument("--client-id", help="the app's client id (default: $SPOTIFY_CLIENT_ID)")
    parser.add_argument(
        "--client-secret", help="the app's client secret (default: $SPOTIFY_CLIENT_SECRET)"
    )
    parser.add_argument("--secret-id", help="store in this Secrets Manager secret (id or ARN)")
    parser.add_argument("--region", help="the secret's AWS region (default: the AWS config's)")
    parser.add_argument(
        "--client-credentials-only",
        action="store_true",
        help="store only the client id and secret (for AUTH_MODE=client_credentials)",
    )
    parser.add_argument("--no-browser", action="store_true", help="print the URL, do not open it")
    parser.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        help=f"port of the redirect URI http://127.0.0.1:PORT{CALLBACK_PATH} (default: "
        f"{DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        help=f"seconds to wait for the consent (default: {DEFAULT_TIMEOUT_S:g})",
    )
    parser.add_argument("--authorize-url", default=SPOTIFY_AUTHORIZE_URL, help=argparse.SUPPRESS)
    parser.add_argument("--token-url", default=SPOTIFY_TOKEN_URL, help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


class _CallbackServer(HTTPServer):
    """Receives one redirect: `?code=...&state=...` or `?error=...`."""

    expected_state: str
    code: str | None = None
    error: str | None = None


class _CallbackHandler(BaseHTTPRequestHandler):
    server: _CallbackServer

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query))
        if url.path != CALLBACK_PATH:
            self._answer(404, "Not the redirect URI.")
        elif "error" in query:
            self.server.error = f"Spotify refused the authorisation: {query['error']}"
            self._answer(400, "Authorisation refused.")
        elif query.get("state") != self.server.expected_state:
            self.server.error = "the redirect's state does not match (a stale or forged request)"
            self._answer(400, "Unexpected state.")
        elif not query.get("code"):
            self.server.error = "the redirect carried no code"
            self._answer(400, "No code.")
        else:
            self.server.code = query["code"]
            self._answer(200, "Authorised: spotify-etl stored the refresh token.")

    def _answer(self, status: int, text: str) -> None:
        body = PAGE % text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the redirect (it carries the code) out of the terminal."""


def consent_url(authorize_url: str, client_id: str, redirect_uri: str, state: str) -> str:
    """The consent page URL asking for read access to the user's playlists."""
    query = {
        "client_id": client_id,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "scope": SCOPE,
        "state": state,
    }
    return f"{authorize_url}?{urlencode(query)}"


def wait_for_code(server: _CallbackServer, timeout_s: float) -> str:
    """Serve redirects until one carries the code (or an error), within `timeout_s`."""
    end = time.monotonic() + timeout_s
    server.timeout = POLL_S
    while server.code is None and server.error is None:
        if time.monotonic() >= end:
            raise CommandError(
                f"no redirect arrived within {timeout_s:g} s; open the URL above, approve, and "
                "check that the app's redirect URIs include the one shown"
            )
        server.handle_request()
    if server.error is not None:
        raise CommandError(server.error)
    return str(server.code)


def exchange_code(
    token_url: str, credentials: SpotifyCredentials, code: str, redirect_uri: str
) -> str:
    """Trade the code for tokens; return the refresh token."""
    import requests

    from ingest_lambda.auth import basic_auth_header, raise_for_token_error
    from ingest_lambda.errors import IngestError
    from ingest_lambda.retry import TransientHttpError

    response = requests.post(
        token_url,
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
        headers=basic_auth_header(credentials),
        timeout=TOKEN_TIMEOUT_S,
    )
    try:
        raise_for_token_error(response, "the --client-id/--client-secret given")
    except (IngestError, TransientHttpError) as error:
        raise CommandError(f"exchanging the code failed: {error}") from error
    refresh_token = response.json().get("refresh_token")
    if not isinstance(refresh_token, str) or not refresh_token:
        raise CommandError("the token endpoint answered without a refresh_token")
    return refresh_token


def authorize(
    args: argparse.Namespace, credentials: SpotifyCredentials, open_url: Callable[[str], None]
) -> str:
    """Run the authorization-code flow; return the refresh token."""
    try:
        callback_server = _CallbackServer((LOOPBACK, args.port), _CallbackHandler)
    except OSError as error:
        raise CommandError(
            f"cannot listen on {LOOPBACK}:{args.port} for the redirect: {error}; "
            "free that port or pass another --port (and register its redirect URI)"
        ) from None
    with callback_server as server:
        server.expected_state = secrets.token_urlsafe(16)
        redirect_uri = f"http://{LOOPBACK}:{server.server_address[1]}{CALLBACK_PATH}"
        url = consent_url(
            args.authorize_url, credentials.client_id, redirect_uri, server.expected_state
        )
        print(f"Redirect URI (register it in the app's settings): {redirect_uri}")  # noqa: T201
        print(f"Open this URL to authorise read access to your playlists:\n{url}", flush=True)  # noqa: T201
        open_url(url)
        code = wait_for_code(server, args.timeout)
    return exchange_code(args.token_url, credentials, code, redirect_uri)


def choose_store(args: argparse.Namespace) -> SecretStore:
    """Secrets Manager when --secret-id is given, else the lake's local secret file."""
    if args.secret_id:
        import boto3

        client = boto3.client("secretsmanager", region_name=args.region)
        return SecretsManagerStore(client, args.secret_id)
    return LocalFileStore.in_lake(args.lake)


def store_credentials(store: SecretStore, credentials: SpotifyCredentials) -> None:
    """Write the credentials, turning AWS refusals into actionable messages."""
    try:
        store.save(credentials)
    except Exception as error:
        name = type(error).__name__
        if "ResourceNotFound" in name or "ResourceNotFound" in str(error):
            raise CommandError(
                f"{store.where} does not exist in that region; deploy the stack (it creates the "
                "secret) or create it with `aws secretsmanager create-secret`, then run again"
            ) from error
        if "ClientError" in name or "NoCredentials" in name:
            raise CommandError(f"could not write {store.where}: {error}") from error
        raise


def run(args: argparse.Namespace) -> int:
    """Store the app credentials (and, unless --client-credentials-only, a refresh token)."""
    client_id = args.client_id or os.environ.get("SPOTIFY_CLIENT_ID")
    client_secret = args.client_secret or os.environ.get("SPOTIFY_CLIENT_SECRET")
    if not client_id or not client_secret:
        raise CommandError(
            "give the app's credentials with --client-id/--client-secret or SPOTIFY_CLIENT_ID/"
            "SPOTIFY_CLIENT_SECRET (from https://developer.spotify.com/dashboard)"
        )
    credentials = SpotifyCredentials(client_id=client_id, client_secret=client_secret)
    store = choose_store(args)
    if args.client_credentials_only:
        store_credentials(store, credentials)
        print(f"Stored the client id and secret in {store.where}.")  # noqa: T201
        return 0
    open_url = _print_only if args.no_browser else _open_in_browser
    refresh_token = authorize(args, credentials, open_url)
    # The refresh token's six months run from this authorisation (ingest_lambda.token_age).
    authorized_at = utc_now()
    store_credentials(store, credentials.authorized(refresh_token, authorized_at))
    print(  # noqa: T201
        f"Stored the client id, client secret and refresh token in {store.where}. Spotify ends "
        f"the refresh token on {format_timestamp(refresh_token_expires_at(authorized_at))}, six "
        "months after this authorisation; the ingestion warns from "
        f"{WARNING_DAYS} days before. Run this command again then."
    )
    return 0


def utc_now() -> datetime:
    """The wall clock (tests pin it to the fake's)."""
    return datetime.now(UTC)


def _print_only(url: str) -> None:
    del url  # already printed


def _open_in_browser(url: str) -> None:
    if not webbrowser.open(url):
        print("No browser could be opened: open the URL above yourself.")  # noqa: T201
