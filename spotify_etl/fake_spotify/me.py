"""The current user's routes: `GET /v1/me` and `GET /v1/me/top/tracks`, as pure functions."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from spotify_etl.fake_spotify.accounts import AccessToken, Accounts
from spotify_etl.fake_spotify.api import (
    BadQueryError,
    Request,
    Response,
    api_error,
    caller_token,
    int_param,
    json_response,
    page_url,
)
from spotify_etl.fake_spotify.top_tracks import (
    DEFAULT_TIME_RANGE,
    TIME_RANGES,
    day_index,
    ranking,
    top_track,
    user_object,
)

ME_ROUTE = re.compile(r"^/v1/me/?$")
TOP_ROUTE = re.compile(r"^/v1/me/top/(?P<type>[^/]+)/?$")
TOP_READ_SCOPE = "user-top-read"
DEFAULT_LIMIT, MAX_LIMIT = 20, 50
# Only ranks 1-100 are served, whatever `total` says (spotify/web-api#1424, #1539: the cap was
# 50 in 2020; web-api-examples#118: 100 in 2023). Past it the API answers an empty page.
REACHABLE_ITEMS = 100
# A client-credentials token has no user (decision 0087): /me answers 404 "Invalid username"
# (spotify/web-api#1489), the top items 403 "Insufficient client scope" (web-api-examples#44).
INVALID_USERNAME = "Invalid username"
INSUFFICIENT_SCOPE = "Insufficient client scope"


def is_me_path(path: str) -> bool:
    """Whether `path` is one of the current user's routes (`/v1/me...`)."""
    return path == "/v1/me" or path.startswith("/v1/me/")


def top_items_page(
    total: int,
    offset: int,
    limit: int,
    items: Callable[[int, int], list[Any]],
    url: Callable[[int, int], str],
) -> dict[str, Any]:
    """A top-items paging object: `total` counts every ranked item, only 100 are reachable.

    `items(start, stop)` builds the items of ranks start+1..stop; `url(offset, limit)` a link.
    """
    if offset >= REACHABLE_ITEMS:
        # Recorded past the cap (web-api#1539): an empty page that reports limit and total 0.
        href = url(offset, 0)
        return {"href": href, "items": [], "limit": 0, "next": None, "offset": offset,
                "previous": href, "total": 0}  # fmt: skip
    reachable = min(total, REACHABLE_ITEMS)
    return {
        "href": url(offset, limit),
        "items": items(offset, min(offset + limit, reachable)) if offset < reachable else [],
        "limit": limit,
        "next": url(offset + limit, limit) if offset + limit < reachable else None,
        "offset": offset,
        "previous": url(max(0, offset - limit), limit) if offset > 0 else None,
        "total": total,
    }


@dataclass
class MeApi:
    """Answers `/v1/me` and `/v1/me/top/tracks` for one profile, on the fake's clock."""

    profile: str
    seed: int
    accounts: Accounts
    now: Callable[[], datetime]
    base_url: Callable[[], str]
    premium: Callable[[], bool]

    def handle(self, request: Request) -> Response:
        """Route one `/v1/me...` request."""
        token = caller_token(self.accounts, self.premium(), request)
        if isinstance(token, Response):
            return token
        refused = self._refusal(request, token)
        if refused is not None:
            return refused
        if ME_ROUTE.match(request.path):
            assert token.user_id is not None
            return json_response(200, user_object(token.user_id, self.profile, token.scopes))
        try:
            return json_response(200, self._top_tracks(token, request.query))
        except BadQueryError as error:
            return api_error(400, str(error))

    def _refusal(self, request: Request, token: AccessToken) -> Response | None:
        """The 404/405/403 refusing the path, method or caller (None: answer)."""
        top = TOP_ROUTE.match(request.path)
        is_me = ME_ROUTE.match(request.path) is not None
        refusal = None
        if not is_me and (top is None or top["type"] != "tracks"):
            refusal = api_error(404, "Service not found")  # top artists are not emulated
        elif request.method != "GET":
            refusal = api_error(405, "Method not allowed")
        elif is_me and token.user_id is None:
            refusal = api_error(404, INVALID_USERNAME)
        elif not is_me and (token.user_id is None or TOP_READ_SCOPE not in token.scopes):
            refusal = api_error(403, INSUFFICIENT_SCOPE)
        return refusal

    def _top_tracks(self, token: AccessToken, query: dict[str, str]) -> dict[str, Any]:
        time_range = query.get("time_range") or DEFAULT_TIME_RANGE
        if time_range not in TIME_RANGES:
            raise BadQueryError("Invalid time range")
        limit = int_param(query, "limit", DEFAULT_LIMIT, "Invalid limit")
        offset = int_param(query, "offset", 0, "Invalid offset")
        if not 1 <= limit <= MAX_LIMIT:
            raise BadQueryError("Invalid limit")
        if offset < 0:
            raise BadQueryError("Invalid offset")
        assert token.user_id is not None
        day = day_index(self.now())
        ranked = ranking(self.seed, token.user_id, time_range, day)
        extra = {k: v for k, v in query.items() if k not in ("offset", "limit")}

        def items(start: int, stop: int) -> list[Any]:
            return [top_track(self.seed, index, day, self.profile) for index in ranked[start:stop]]

        def url(at: int, size: int) -> str:
            return page_url(self.base_url(), "/v1/me/top/tracks", at, size, extra)

        return top_items_page(len(ranked), offset, limit, items, url)
