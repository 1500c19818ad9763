"""A faithful local fake of the Spotify Web API (playlists, tokens, faults) for tests and demos."""

from spotify_etl.fake_spotify.faults import Fault, FaultSpecError
from spotify_etl.fake_spotify.ids import (
    CHART_PLAYLIST_ID,
    DEFAULT_SEED,
    EDGE_CASE_PLAYLIST_ID,
    FAKE_USER_ID,
    USER_CHART_PLAYLIST_ID,
)
from spotify_etl.fake_spotify.objects import DEV_2026, EXTENDED, PROFILES
from spotify_etl.fake_spotify.server import FakeSpotify, LoggedRequest

__all__ = [
    "CHART_PLAYLIST_ID",
    "DEFAULT_SEED",
    "DEV_2026",
    "EDGE_CASE_PLAYLIST_ID",
    "EXTENDED",
    "FAKE_USER_ID",
    "PROFILES",
    "USER_CHART_PLAYLIST_ID",
    "FakeSpotify",
    "Fault",
    "FaultSpecError",
    "LoggedRequest",
]
