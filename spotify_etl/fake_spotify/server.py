"""`FakeSpotify`: the fake Web API and accounts service on 127.0.0.1, in a background thread."""

from __future__ import annotations

import logging
import sys
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

from spotify_etl.fake_spotify.accounts import USER_SCOPE, Accounts, Clock, TokenError
from spotify_etl.fake_spotify.api import PlaylistApi, Request, Response, api_error, json_response
from spotify_etl.fake_spotify.faults import RATE_LIMIT, SLOW, STATUS, TRUNCATE, Fault, FaultQueue
from spotify_etl.fake_spotify.ids import DEFAULT_SEED
from spotify_etl.fake_spotify.me import MeApi, is_me_path
from spotify_etl.fake_spotify.objects import EXTENDED, PROFILES

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
TOKEN_PATH = "/api/token"  # noqa: S105 (a URL path, not a secret)
AUTHORIZE_PATH = "/authorize"
SHUTDOWN_POLL_SECONDS = 0.05  # how soon `stop` returns (serve_forever polls for shutdown)
STATUS_MESSAGES = {500: "Server error", 502: "Bad gateway", 503: "Service unavailable"}
QUOTA_EXCEEDED = {
    "error": {"status": 429, "message": "Too many requests", "reason": "QUOTA_EXCEEDED"}
}


class LoggedRequest(NamedTuple):
    """One request the fake answered."""

    method: str
    path: str
    query: dict[str, str]
    status: int


class FakeSpotify:
    """A local stand-in for api.spotify.com and accounts.spotify.com (see docs/fake-spotify.md).

    Use it as a context manager (or call `start`/`stop`); the server binds a free port on
    127.0.0.1 unless `port` is given.
    """

    def __init__(
        self,
        profile: str = EXTENDED,
        seed: int = DEFAULT_SEED,
        now: datetime | None = None,
        *,
        rotate_refresh_token: bool = False,
        premium: bool = True,
        port: int = 0,
        user_scope: str = USER_SCOPE,
    ) -> None:
        if profile not in PROFILES:
            raise ValueError(f"profile must be one of {PROFILES}, got {profile!r}")
        self.profile = profile
        self.seed = seed
        self.premium = premium
        self.clock = Clock(now)
        self.accounts = Accounts(seed, self.clock, rotate_refresh_token, user_scope)
        self.faults = FaultQueue()
        self._port = port
        self._log: list[LoggedRequest] = []
        self._log_lock = threading.Lock()
        self._server: _Server | None = None
        self._root_url: str | None = None
        self._thread: threading.Thread | None = None
        # Paging URLs point back at the fake; the premium flag can change while serving.
        routes = (profile, seed, self.accounts, self.clock.now, lambda: self.root_url)
        self.api = PlaylistApi(*routes, lambda: self.premium)
        self.me_api = MeApi(*routes, lambda: self.premium)

    def start(self) -> FakeSpotify:
        """Bind the port and serve in a daemon thread."""
        if self._server is not None:
            return self
        self._server = _Server((HOST, self._port), _Handler)
        self._server.fake = self
        self._root_url = f"http://{HOST}:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            args=(SHUTDOWN_POLL_SECONDS,),
            name="fake-spotify",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> FakeSpotify:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        """`http://127.0.0.1:PORT` (the server must be started)."""
        if self._root_url is None:
            raise RuntimeError("the fake was never started: use `with FakeSpotify() as fake:`")
        return self._root_url

    @property
    def base_url(self) -> str:
        """The Web API prefix for spotipy's `client.prefix` (ends with `/`)."""
        return f"{self.root_url}/v1/"

    @property
    def token_url(self) -> str:
        """The token endpoint for the auth manager's `OAUTH_TOKEN_URL`."""
        return f"{self.root_url}{TOKEN_PATH}"

    @property
    def authorize_url(self) -> str:
        """The authorisation page for `OAUTH_AUTHORIZE_URL` (auto-approves)."""
        return f"{self.root_url}{AUTHORIZE_PATH}"

    @property
    def client_id(self) -> str:
        """A valid client id."""
        return self.accounts.client_id

    @property
    def client_secret(self) -> str:
        """The secret matching `client_id`."""
        return self.accounts.client_secret

    @property
    def refresh_token(self) -> str:
        """The current valid refresh token of FAKE_USER_ID (after any rotation)."""
        return self.accounts.refresh_token

    @property
    def authorized_at(self) -> datetime:
        """When FAKE_USER_ID authorised `refresh_token` (on the fake's clock); it ends six
        months later (`invalid_grant: Refresh token expired`)."""
        return self.accounts.authorized_at

    def authorize_again(self) -> str:
        """The user authorises again (as `spotify-etl auth` would make them): a new refresh
        token, authorised now; returned and from now on `refresh_token`."""
        return self.accounts.authorize_again()

    def now(self) -> datetime:
        """The fake's current time."""
        return self.clock.now()

    def set_now(self, now: datetime) -> None:
        """Move the simulated clock: content and token expiry follow it."""
        self.clock.set(now)

    def inject(self, fault: Fault) -> None:
        """Queue `fault` for the next matching requests."""
        self.faults.add(fault)

    @property
    def requests(self) -> list[LoggedRequest]:
        """The requests answered so far, oldest first."""
        with self._log_lock:
            return list(self._log)

    def reset_log(self) -> None:
        """Forget the logged requests."""
        with self._log_lock:
            self._log.clear()

    def record(self, entry: LoggedRequest) -> None:
        """Append one answered request to the log."""
        with self._log_lock:
            self._log.append(entry)
        logger.info("%s %s %s -> %s", entry.method, entry.path, entry.query, entry.status)

    def answer(self, request: Request) -> Response:
        """The normal (fault-free) answer to `request`."""
        if request.path == TOKEN_PATH:
            return self._token(request)
        if request.path == AUTHORIZE_PATH:
            try:
                return Response(302, headers={"Location": self.accounts.authorize(request.query)})
            except TokenError as error:
                return Response(400, error.description.encode(), {"Content-Type": "text/plain"})
        if is_me_path(request.path):
            return self.me_api.handle(request)
        if request.path.startswith("/v1/"):
            return self.api.handle(request)
        return api_error(404, "Service not found")

    def _token(self, request: Request) -> Response:
        """POST /api/token: a form body, client credentials in HTTP Basic auth."""
        if request.method != "POST":
            return api_error(405, "Method not allowed")
        form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
        try:
            grant = self.accounts.grant(request.headers.get("authorization"), form)
        except TokenError as error:
            return json_response(
                400, {"error": error.error, "error_description": error.description}
            )
        return json_response(200, grant)


def fault_response(fault: Fault) -> Response | None:
    """The answer a fault replaces the normal one with (None: answer normally)."""
    if fault.kind == STATUS:
        return api_error(fault.status, STATUS_MESSAGES.get(fault.status, "Injected fault"))
    if fault.kind == RATE_LIMIT:
        headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
        if fault.empty_body:
            return Response(429, b"", headers)
        return json_response(429, QUOTA_EXCEEDED, headers)
    return None


class _Server(ThreadingHTTPServer):
    # Daemon handler threads: a client's idle keep-alive connection must not block `stop`.
    daemon_threads = True
    fake: FakeSpotify

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (timeouts, truncation) is expected; anything else is logged."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            logger.debug("client %s went away: %s", client_address, error)
            return
        logger.exception("fake Spotify failed on a request from %s", client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as with the real API
    server: _Server

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the stderr access log: `FakeSpotify.record` logs each request instead."""

    def _serve(self, method: str) -> None:
        fake = self.server.fake
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            method=method,
            path=url.path,
            query=dict(parse_qsl(url.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        fault = fake.faults.take(url.path)
        if fault is not None and (fault.delay or fault.kind == SLOW):
            time.sleep(fault.delay)
        response = (fault_response(fault) if fault else None) or fake.answer(request)
        fake.record(LoggedRequest(method, url.path, request.query, response.status))
        truncate = fault is not None and fault.kind == TRUNCATE
        self._send(response, truncate)

    def _send(self, response: Response, truncate: bool) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if truncate:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(response.body[: len(response.body) // 2] if truncate else response.body)
        self.wfile.flush()
