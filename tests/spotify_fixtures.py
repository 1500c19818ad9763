"""Where the recorded Spotify bodies and OpenAPI descriptions live (tests/fixtures/spotify)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures" / "spotify"
OPENAPI_DIR = FIXTURES_DIR / "openapi"


@cache
def _text(name: str) -> str:
    return (FIXTURES_DIR / name).read_text(encoding="utf-8")


def load_fixture(name: str) -> Any:
    """A recorded API body (a fresh copy each call, so tests may change it)."""
    return json.loads(_text(name))
