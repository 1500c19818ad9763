"""The shared test lake of the charts job: real API entries and one object per bad kind."""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Callable
from pathlib import Path
from typing import Any

import glue_raw_builder as rb
from spotify_fixtures import load_fixture

from ingest_lambda.envelope import encode_envelope

# The shared lake: two playlists over two days, real entries, and one object per bad kind.
DAY_1 = dt.datetime(2026, 11, 24, 22)
DAY_2 = dt.datetime(2026, 11, 25, 7)
MALFORMED_HOUR = dt.datetime(2026, 11, 25, 3)


def fixture_entries(name: str) -> list[dict[str, Any]]:
    """The entries (`items`) of a recorded API page (tests/fixtures/spotify)."""
    document = load_fixture(name)
    page = document["items"] if isinstance(document["items"], dict) else document
    return list(page["items"])


def episode_entry() -> dict[str, Any]:
    """A podcast episode entry (type "episode", a show instead of album/artists)."""
    episode = {"id": "5ePisode0000000000000A", "type": "episode", "name": "Ep", "show": {}}
    return {"added_at": "2026-11-20T10:00:00Z", "is_local": False, "item": episode}


MALFORMED_KINDS = (
    "not_gzip",
    "truncated",
    "corrupt_gzip",
    "not_json",
    "unknown_schema_version",
    "schema_mismatch",
    "missing_envelope_fields",
    "key_mismatch",
    "bad_key",
)


def put_malformed(lake: Path, kind: str, playlist_id: str, when: dt.datetime) -> str:
    """Write one malformed raw object of `kind` at the key of (playlist_id, when)."""
    key = rb.raw_key(playlist_id, when)
    good = rb.envelope(playlist_id, when, [])
    encoded = encode_envelope(good)
    payloads: dict[str, Callable[[], bytes]] = {
        "not_gzip": lambda: b'{"schema_version": 1}',
        "truncated": lambda: encoded[:-12],
        "corrupt_gzip": lambda: encoded[:-8] + b"\0\0\0\0" + encoded[-4:],
        "not_json": lambda: gzip.compress(b'{"schema_version": 1, "entries": [', mtime=0),
        "unknown_schema_version": lambda: encode_envelope({**good, "schema_version": 3}),
        "schema_mismatch": lambda: encode_envelope({**good, "entries": "not a list"}),
        "missing_envelope_fields": lambda: encode_envelope(
            {k: v for k, v in good.items() if k != "snapshot_ts"}
        ),
        "key_mismatch": lambda: encode_envelope(
            {**good, "chart": {**good["chart"], "id": rb.PLAYLIST_B}}
        ),
        "bad_key": lambda: encoded,
    }
    if kind == "bad_key":
        key = key.rsplit("/", 1)[0] + "/notes.json.gz"
    return rb.put(lake, key, payloads[kind]())


def build_shared_raw(lake: Path, api_entries: dict[str, list[dict[str, Any]]]) -> None:
    """Raw objects of the shared lake (see module constants)."""
    real = api_entries
    rb.put_snapshot(
        lake,
        rb.envelope(
            rb.PLAYLIST_A,
            DAY_1,
            real["items_2026"] + real["local_files"] + real["null_track"] + [episode_entry()],
        ),
    )
    rb.put_snapshot(lake, rb.envelope(rb.PLAYLIST_A, DAY_2, real["year_precision"]))
    rb.put_snapshot(
        lake, rb.envelope(rb.PLAYLIST_B, DAY_2, real["year_precision"][::-1], name="Other")
    )
    playlists = [f"{index:022d}" for index in range(len(MALFORMED_KINDS))]
    for kind, playlist_id in zip(MALFORMED_KINDS, playlists, strict=True):
        put_malformed(lake, kind, playlist_id, MALFORMED_HOUR)
