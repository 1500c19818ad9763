"""Fixtures for the fake Spotify tests: running fakes with the clock pinned."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_helpers import NOW

from spotify_etl.fake_spotify import FakeSpotify


@pytest.fixture
def extended_fake() -> Iterator[FakeSpotify]:
    """A running fake with the extended (pre-2026) profile, clock pinned to NOW."""
    with FakeSpotify(profile="extended", now=NOW) as fake:
        yield fake


@pytest.fixture
def dev_fake() -> Iterator[FakeSpotify]:
    """A running fake with the dev-2026 profile, clock pinned to NOW."""
    with FakeSpotify(profile="dev-2026", now=NOW) as fake:
        yield fake
