"""The Web API routes (`/v1/playlists/...`) as a pure function of a request and the fake's state."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from spotify_etl.fake_spotify.accounts import AccessToken, Accounts
from spotify_etl.fake_spotify.content import (
    PlaylistInfo,
    UnknownPlaylistError,
    playlist_entries,
    playlist_info,
    playlist_object,
)
from spotify_etl.fake_spotify.fields import FieldsSyntaxError, apply_fields, parse_fields
from spotify_etl.fake_spotify.ids import is_spotify_id
from spotify_etl.fake_spotify.objects import DEV_2026

PLAYLIST_ROUTE = re.compile(r"^/v1/playlists/(?P<id>[^/]+)(?P<sub>/items|/tracks)?/?$")
MARKET_CODE = re.compile(r"^[A-Z]{2}$")
FROM_TOKEN_MARKET = "US"  # noqa: S105 (a country code: the fake user's, for market=from_token)
EMBEDDED_PAGE_LIMIT = 100
# (default, maximum) page size per endpoint: /items follows the 2026 docs, /tracks the old ones.
PAGE_LIMITS = {"/items": (20, 50), "/tracks": (100, 100)}
PREMIUM_REQUIRED = "Active premium subscription required for the owner of the app"
JSON_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Request:
    """What the routes need from an HTTP request."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Response:
    """An HTTP answer: status, headers and body bytes."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer with the right content type."""
    return Response(
        status, json.dumps(payload).encode(), {"Content-Type": JSON_TYPE} | (headers or {})
    )


def api_error(status: int, message: str, reason: str | None = None) -> Response:
    """The Web API's error body: `{"error": {"status": N, "message": "..."}}`."""
    error: dict[str, Any] = {"status": status, "message": message}
    if reason:
        error["reason"] = reason
    return json_response(status, {"error": error})


class BadQueryError(ValueError):
    """A query parameter the API rejects with 400."""


def caller_token(accounts: Accounts, premium: bool, request: Request) -> AccessToken | Response:
    """The caller's token, or the 401/403 that stops any `/v1/` call before routing."""
    token = accounts.bearer(request.headers.get("authorization"))
    if isinstance(token, str):
        return api_error(401, token)
    if not premium:
        return api_error(403, PREMIUM_REQUIRED)
    return token


def page_url(base_url: str, path: str, offset: int, limit: int, extra: dict[str, str]) -> str:
    """A paging URL on the fake's own host that repeats the other query parameters."""
    return f"{base_url}{path}?{urlencode({'offset': offset, 'limit': limit} | extra)}"


@dataclass
class PlaylistApi:
    """Answers `/v1/` calls for one profile, on the fake's clock and accounts."""

    profile: str
    seed: int
    accounts: Accounts
    now: Callable[[], datetime]
    base_url: Callable[[], str]  # "http://127.0.0.1:PORT" (paging URLs point back at the fake)
    premium: Callable[[], bool]

    def handle(self, request: Request) -> Response:
        """Route one `/v1/...` request."""
        token = self._caller(request)
        if isinstance(token, Response):
            return token
        target = self._target(request)
        if isinstance(target, Response):
            return target
        info, sub = target
        refused = self._refusal(info, sub, token)
        if refused is not None:
            return refused
        try:
            if sub:
                return json_response(200, self._page(info, sub, request.query))
            return json_response(200, self._playlist(info, token, request.query))
        except (BadQueryError, FieldsSyntaxError) as error:
            return api_error(400, str(error))

    def _caller(self, request: Request) -> AccessToken | Response:
        """The caller's token, or the 401/403 that stops the call before routing."""
        return caller_token(self.accounts, self.premium(), request)

    def _target(self, request: Request) -> tuple[PlaylistInfo, str] | Response:
        """The playlist and sub-resource asked for, or the 404/405/400 refusing the path."""
        match = PLAYLIST_ROUTE.match(request.path)
        if match is None:
            return api_error(404, "Service not found")
        if request.method != "GET":
            return api_error(405, "Method not allowed")
        if not is_spotify_id(match["id"]):
            return api_error(400, "Invalid base62 id")
        try:
            return playlist_info(match["id"]), match["sub"] or ""
        except UnknownPlaylistError:
            return api_error(404, "Resource not found")

    def _refusal(self, info: PlaylistInfo, sub: str, token: AccessToken) -> Response | None:
        """The 2026 development-mode access rules (the extended profile refuses nothing)."""
        if self.profile != DEV_2026:
            return None
        if info.spotify_owned:
            return api_error(404, "Resource not found")
        if sub == "/tracks":
            return api_error(403, "Forbidden")
        if sub == "/items" and token.user_id != info.owner_id:
            return api_error(403, "Forbidden")
        return None

    def _entries(self, info: PlaylistInfo, query: dict[str, str]) -> list[dict[str, Any]]:
        market = query.get("market")
        if market == "from_token":
            market = FROM_TOKEN_MARKET
        if market is not None and not MARKET_CODE.match(market):
            raise BadQueryError("Invalid market code")
        types = {t.strip() for t in query.get("additional_types", "").split(",") if t.strip()}
        return playlist_entries(
            info.id, self.now(), self.profile, self.seed, market, additional_types=types
        )

    def _page(self, info: PlaylistInfo, sub: str, query: dict[str, str]) -> dict[str, Any]:
        default, maximum = PAGE_LIMITS[sub]
        limit = int_param(query, "limit", default, "Invalid limit")
        offset = int_param(query, "offset", 0, "Invalid offset")
        if not 1 <= limit <= maximum:
            raise BadQueryError("Invalid limit")
        if offset < 0:
            raise BadQueryError("Invalid offset")
        spec = parse_fields(query["fields"]) if "fields" in query else None
        path = f"/v1/playlists/{info.id}{sub}"
        page = self.paging(path, self._entries(info, query), offset, limit, query)
        return apply_fields(page, spec)

    def _playlist(
        self, info: PlaylistInfo, token: AccessToken, query: dict[str, str]
    ) -> dict[str, Any]:
        spec = parse_fields(query["fields"]) if "fields" in query else None
        body = playlist_object(info.id, self.now(), self.profile, self.seed)
        tail = {key: body.pop(key) for key in ("type", "uri")}
        page_query = {k: v for k, v in query.items() if k == "additional_types"}
        if self.profile != DEV_2026:
            body["tracks"] = self.paging(
                f"/v1/playlists/{info.id}/tracks",
                self._entries(info, query),
                0,
                EMBEDDED_PAGE_LIMIT,
                page_query,
            )
        elif token.user_id == info.owner_id:  # 2026: entries only for the owner, under both keys
            entries = self._entries(info, query)
            for key, sub in (("tracks", "/tracks"), ("items", "/items")):
                body[key] = self.paging(
                    f"/v1/playlists/{info.id}{sub}", entries, 0, EMBEDDED_PAGE_LIMIT, page_query
                )
        return apply_fields(body | tail, spec)

    def paging(
        self, path: str, entries: list[Any], offset: int, limit: int, query: dict[str, str]
    ) -> dict[str, Any]:
        """A paging object whose `href`/`next`/`previous` repeat the query on the fake's host."""
        extra = {k: v for k, v in query.items() if k not in ("offset", "limit")}

        def url(at: int) -> str:
            return page_url(self.base_url(), path, at, limit, extra)

        total = len(entries)
        return {
            "href": url(offset),
            "items": entries[offset : offset + limit],
            "limit": limit,
            "next": url(offset + limit) if offset + limit < total else None,
            "offset": offset,
            "previous": url(max(0, offset - limit)) if offset > 0 else None,
            "total": total,
        }


def int_param(query: dict[str, str], name: str, default: int, message: str) -> int:
    """An integer query parameter (`default` when absent), or `BadQueryError(message)`."""
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadQueryError(message) from None
