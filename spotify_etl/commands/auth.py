"""`spotify-etl auth`: the one-time authorization-code flow that stores a refresh token."""

from __future__ import annotations

import argparse
import html
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
from ingest_lambda.secrets import SpotifyCredentials
from ingest_lambda.settings import SPOTIFY_AUTHORIZE_URL, SPOTIFY_TOKEN_URL
from ingest_lambda.token_age import WARNING_DAYS, refresh_token_expires_at
from spotify_etl.commands import CommandError, add_lake_argument, port_number
from spotify_etl.commands._auth_checks import (
    check_client_credentials,
    choose_store,
    exchange_code,
    store_credentials,
)

# user-top-read: the top-tracks charts (decision 0088); a token authorised without it gets 403.
SCOPE = "playlist-read-private playlist-read-collaborative user-top-read"
LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8888
CALLBACK_PATH = "/callback"
DEFAULT_TIMEOUT_S = 300.0
POLL_S = 0.5
PAGE = "<html><body><p>{}</p><p>You can close this tab.</p></body></html>"
# Turns the redirect's code into what to tell the browser once the token is stored; raises
# (CommandError) when the exchange or the store fails.
Completion = Callable[[str], str]


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
        help="check the client id and secret (a client-credentials token request) and store "
        "only them (for AUTH_MODE=client_credentials)",
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
    """Receives one redirect: `?code=...&state=...` or `?error=...`.

    The browser's request is answered only after `complete` has exchanged the code and
    stored the token, so the page says what really happened.
    """

    expected_state: str
    complete: Completion
    done: bool = False
    failure: Exception | None = None


class _CallbackHandler(BaseHTTPRequestHandler):
    server: _CallbackServer

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query))
        if url.path != CALLBACK_PATH:
            self._answer(404, "Not the redirect URI.")
        elif "error" in query:
            self._fail(CommandError(f"Spotify refused the authorisation: {query['error']}"))
        elif query.get("state") != self.server.expected_state:
            self._fail(
                CommandError("the redirect's state does not match (a stale or forged request)")
            )
        elif not query.get("code"):
            self._fail(CommandError("the redirect carried no code"))
        else:
            try:
                text = self.server.complete(query["code"])
            except Exception as error:  # re-raised by wait_for_outcome, after the answer
                self._fail(error)
            else:
                self.server.done = True
                self._answer(200, text)

    def _fail(self, error: Exception) -> None:
        self.server.failure = error
        reason = str(error) if isinstance(error, CommandError) else "see the terminal"
        self._answer(400, f"Not authorised, nothing stored: {reason}")

    def _answer(self, status: int, text: str) -> None:
        body = PAGE.format(html.escape(text)).encode()
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


def wait_for_outcome(server: _CallbackServer, timeout_s: float) -> None:
    """Serve redirects until one was completed (or failed), within `timeout_s`."""
    end = time.monotonic() + timeout_s
    server.timeout = POLL_S
    while not server.done and server.failure is None:
        if time.monotonic() >= end:
            raise CommandError(
                f"no redirect arrived within {timeout_s:g} s; open the URL above, approve, and "
                "check that the app's redirect URIs include the one shown"
            )
        server.handle_request()
    if server.failure is not None:
        raise server.failure


def authorize(
    args: argparse.Namespace,
    credentials: SpotifyCredentials,
    open_url: Callable[[str], None],
    keep: Callable[[str], str],
) -> None:
    """Run the authorization-code flow: `keep(refresh_token)` stores the token and returns
    what the browser is told, which it is told only then."""
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
        server.complete = lambda code: keep(
            exchange_code(args.token_url, credentials, code, redirect_uri)
        )
        url = consent_url(
            args.authorize_url, credentials.client_id, redirect_uri, server.expected_state
        )
        print(f"Redirect URI (register it in the app's settings): {redirect_uri}")  # noqa: T201
        print(f"Open this URL to authorise read access to your playlists:\n{url}", flush=True)  # noqa: T201
        open_url(url)
        wait_for_outcome(server, args.timeout)


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
        check_client_credentials(args.token_url, credentials)
        store_credentials(store, credentials)
        print(f"Checked and stored the client id and secret in {store.where}.")  # noqa: T201
        return 0
    open_url = _print_only if args.no_browser else _open_in_browser
    authorised: list[datetime] = []

    def keep(refresh_token: str) -> str:
        # The refresh token's six months run from this authorisation (ingest_lambda.token_age).
        authorised.append(utc_now())
        store_credentials(store, credentials.authorized(refresh_token, authorised[0]))
        return f"Authorised: spotify-etl stored the refresh token in {store.where}."

    authorize(args, credentials, open_url, keep)
    authorized_at = authorised[0]
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
