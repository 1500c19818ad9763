"""`spotify-etl fake-api` in a process of its own on a random port, for tests that reach it
only by its base URLs, as they would reach api.spotify.com."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from ingest_lambda.secrets import SpotifyCredentials
from spotify_etl.local_stores import LocalFileStore

STOP_TIMEOUT_S = 30


@contextmanager
def running_fake_api(*flags: str) -> Iterator[dict[str, Any]]:
    """Start the fake with `flags`; yield what it printed (`--json`): URLs, app, token."""
    command = [sys.executable, "-m", "spotify_etl.cli", "fake-api", "--json", *flags]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as server:
        try:
            assert server.stdout is not None
            yield json.loads(server.stdout.readline())
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=STOP_TIMEOUT_S)


def store_authorised_app(lake: Path, details: dict[str, Any]) -> SpotifyCredentials:
    """Write what `spotify-etl auth` would store for the fake's user into the lake."""
    credentials = SpotifyCredentials(details["client_id"], details["client_secret"]).authorized(
        details["refresh_token"], datetime.fromisoformat(details["authorized_at"])
    )
    LocalFileStore.in_lake(lake).save(credentials)
    return credentials
