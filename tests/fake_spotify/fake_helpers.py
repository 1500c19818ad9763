"""Helpers for the fake Spotify tests: spotipy clients, fixtures, OpenAPI schemas, shapes."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

import spotipy
import yaml
from spotify_fixtures import OPENAPI_DIR
from spotipy.cache_handler import MemoryCacheHandler
from spotipy.oauth2 import SpotifyClientCredentials, SpotifyOAuth

from spotify_etl.fake_spotify import FakeSpotify

NOW = datetime(2026, 11, 26, 7, 30, tzinfo=UTC)
REDIRECT_URI = "http://127.0.0.1:9/callback"
SPEC_FILES = {
    "extended": "spotify-web-api.pre-2026-02.yml",
    "dev-2026": "spotify-web-api.2026-05-31.yml",
}


def app_client(fake: FakeSpotify, **spotify_kwargs: Any) -> spotipy.Spotify:
    """A spotipy client on client credentials, pointed at the fake."""
    manager = SpotifyClientCredentials(
        fake.client_id, fake.client_secret, cache_handler=MemoryCacheHandler()
    )
    manager.OAUTH_TOKEN_URL = fake.token_url
    client = spotipy.Spotify(auth_manager=manager, backoff_factor=0.01, **spotify_kwargs)
    client.prefix = fake.base_url
    return client


def user_client(fake: FakeSpotify, **spotify_kwargs: Any) -> spotipy.Spotify:
    """A spotipy client on the user's refresh token (as the dev-2026 ingestion runs)."""
    manager = SpotifyOAuth(
        fake.client_id,
        fake.client_secret,
        redirect_uri=REDIRECT_URI,
        cache_handler=MemoryCacheHandler(),
        open_browser=False,
    )
    manager.OAUTH_TOKEN_URL = fake.token_url
    manager.refresh_access_token(fake.refresh_token)
    client = spotipy.Spotify(auth_manager=manager, backoff_factor=0.01, **spotify_kwargs)
    client.prefix = fake.base_url
    return client


def all_items(client: spotipy.Spotify, playlist_id: str, **kwargs: Any) -> list[dict[str, Any]]:
    """Every entry of a playlist, following `next` links."""
    page = client.playlist_items(playlist_id, **kwargs)
    entries = list(page["items"])
    while page["next"]:
        page = client.next(page)
        entries.extend(page["items"])
    return entries


@cache
def _components(profile: str) -> dict[str, Any]:
    spec = yaml.load((OPENAPI_DIR / SPEC_FILES[profile]).read_text(), Loader=yaml.CSafeLoader)
    return spec["components"]["schemas"]


def json_schema(profile: str, name: str, not_required: frozenset[str] = frozenset()) -> Any:
    """Component `name` of the profile's OpenAPI spec as a self-contained JSON Schema.

    `$ref`s are inlined, `nullable: true` becomes a null type, and the property names in
    `not_required` are dropped from every `required` list (fields the API removed but the
    spec still requires).
    """
    components = _components(profile)

    def convert(node: Any) -> Any:
        if isinstance(node, list):
            return [convert(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            return convert(components[node["$ref"].rsplit("/", 1)[1]])
        out = {
            key: convert(value)
            for key, value in node.items()
            if key not in ("discriminator", "example", "nullable") and not key.startswith("x-")
        }
        if "required" in node:
            out["required"] = [name for name in node["required"] if name not in not_required]
        if node.get("nullable") and "type" in node:
            out["type"] = [node["type"], "null"]
        return out

    return convert(components[name])


def shape(value: Any) -> Any:
    """The structure of a JSON value: keys and scalar types, lists by their elements' union."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        merged: Any = None
        for item in value:
            merged = merge_shapes(merged, shape(item))
        return [merged]
    return type(value).__name__


def merge_shapes(left: Any, right: Any) -> Any:
    """Union of two shapes (null combines with anything: the API nulls many fields)."""
    if left is None or left == "NoneType":
        return right
    if right is None or right == "NoneType":
        return left
    if isinstance(left, dict) and isinstance(right, dict):
        return {k: merge_shapes(left.get(k), right.get(k)) for k in left.keys() | right.keys()}
    if isinstance(left, list) and isinstance(right, list):
        return [merge_shapes(left[0], right[0])]
    return left
