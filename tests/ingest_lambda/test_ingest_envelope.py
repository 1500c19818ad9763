"""The envelope builder: the documented shape, real recorded entries, deterministic bytes."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from ingest_helpers import CAPTURED, HOUR, PLAYLIST_A, entry, metadata
from spotify_fixtures import load_fixture

from ingest_lambda.envelope import (
    build_envelope,
    decode_envelope,
    encode_envelope,
    entry_content,
)


def _envelope(entries: list[dict[str, Any]], meta: dict[str, Any] | None = None) -> dict[str, Any]:
    return build_envelope(
        playlist_id=PLAYLIST_A,
        metadata=meta if meta is not None else metadata(PLAYLIST_A),
        entries=entries,
        snapshot_ts=HOUR.replace(minute=4, second=9),
        captured_at=CAPTURED,
        market="US",
        source="spotify-web-api",
        api_profile="dev-2026",
    )


def test_envelope_is_exactly_the_documented_shape() -> None:
    first, second = entry(1), entry(2)
    assert _envelope([first, second]) == {
        "schema_version": 2,
        "source": "spotify-web-api",
        "api_profile": "dev-2026",
        "chart": {"kind": "playlist", "id": PLAYLIST_A, "name": "list 0123"},
        "playlist_id": PLAYLIST_A,
        "playlist": {
            "id": PLAYLIST_A,
            "name": "list 0123",
            "snapshot_id": "snap1",
            "owner": {"id": "owner1", "display_name": "Owner One"},
            "followers": {"total": 7},
        },
        "snapshot_ts": "2026-11-26T07:00:00Z",
        "captured_at": "2026-11-26T07:00:12.345678Z",
        "market": "US",
        "entries": [{**first, "position": 1}, {**second, "position": 2}],
    }


def test_followers_are_left_out_when_the_api_does_not_send_them() -> None:
    meta = {"id": PLAYLIST_A, "name": "n", "snapshot_id": "s", "owner": {"id": "o"}}
    assert _envelope([], meta)["playlist"] == {
        "id": PLAYLIST_A,
        "name": "n",
        "snapshot_id": "s",
        "owner": {"id": "o", "display_name": None},
    }


@pytest.mark.parametrize(
    ("fixture", "expected_ids"),
    [
        ("playlist_items_page_2026.json", ["3ZL9gPzeCnKG9l5SB1SlcZ"]),
        ("playlist_tracks_local_files.json", [None, None]),
        ("playlist_tracks_null_track.json", [None]),
        (
            "playlist_tracks_page_year_precision.json",
            ["7ATyvp3TmYBmGW7YuC8DJ3", "0FNanBLvmFEDyD75Whjj52"],
        ),
    ],
)
def test_recorded_entries_are_kept_unchanged(fixture: str, expected_ids: list[str | None]) -> None:
    entries = load_fixture(fixture)["items"]
    envelope = decode_envelope(encode_envelope(_envelope(entries)))
    assert envelope["entries"] == [
        {**original, "position": position} for position, original in enumerate(entries, start=1)
    ]
    contents = [entry_content(kept) for kept in envelope["entries"]]
    assert [content and content.get("id") for content in contents] == expected_ids


def test_recorded_get_playlist_fills_the_playlist_object() -> None:
    recorded = load_fixture("get_playlist_2026.json")
    envelope = _envelope(recorded["items"]["items"], recorded)
    assert envelope["playlist"] == {
        "id": recorded["id"],
        "name": recorded["name"],
        "snapshot_id": recorded["snapshot_id"],
        "owner": {
            "id": recorded["owner"]["id"],
            "display_name": recorded["owner"]["display_name"],
        },
        "followers": {"total": recorded["followers"]["total"]},
    }


def test_item_is_read_before_the_deprecated_track() -> None:
    assert entry_content({"item": {"id": "new"}, "track": {"id": "old"}}) == {"id": "new"}
    assert entry_content({"item": None, "track": {"id": "old"}}) == {"id": "old"}
    assert entry_content({"track": None}) is None


def test_encoding_is_deterministic_compact_gzip() -> None:
    envelope = _envelope([entry(1)])
    body = encode_envelope(envelope)
    assert body == encode_envelope(dict(reversed(list(envelope.items()))))
    assert body[4:8] == b"\x00\x00\x00\x00"  # gzip header mtime
    text = gzip.decompress(body).decode("utf-8")
    assert "\n" not in text
    assert ", " not in text
    assert decode_envelope(body) == envelope


def test_a_non_object_entry_is_refused() -> None:
    with pytest.raises(TypeError, match="entry 2 is list"):
        _envelope([entry(1), []])  # type: ignore[list-item]
