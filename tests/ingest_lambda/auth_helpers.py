"""Pieces of the `spotify-etl auth` tests: the command's arguments and a browser stand-in."""

from __future__ import annotations

import threading
from typing import Any

import requests

from spotify_etl.fake_spotify import FakeSpotify


def auth_args(fake: FakeSpotify, *extra: str, secret: str | None = None) -> list[str]:
    """`spotify-etl auth` against the fake, on a free port."""
    return [
        "auth",
        "--client-id",
        fake.client_id,
        "--client-secret",
        secret or fake.client_secret,
        "--authorize-url",
        fake.authorize_url,
        "--token-url",
        fake.token_url,
        "--port",
        "0",
        "--timeout",
        "20",
        *extra,
    ]


def follow_in_background(url: str, pages: list[Any] | None = None) -> None:
    """What the browser does: load the consent page, follow its redirect to our listener;
    the final page (a `requests.Response`) goes to `pages`."""

    def browse() -> None:
        response = requests.get(url, timeout=10)
        if pages is not None:
            pages.append(response)

    threading.Thread(target=browse, daemon=True).start()


def opens_and_follows(url: str) -> bool:
    """A `webbrowser.open` stand-in."""
    follow_in_background(url)
    return True
