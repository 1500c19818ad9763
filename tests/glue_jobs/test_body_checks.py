"""Bodies the JSON parse would take silently: not UTF-8, or more after the JSON object."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import glue_raw_builder as rb
import pytest
from chispa import assert_df_equality

from glue_jobs.charts.entries import to_entries
from glue_jobs.charts.reader import read_raw_snapshots

pytestmark = pytest.mark.spark
HOUR = dt.datetime(2026, 11, 25, 7)


def playlist(number: int) -> str:
    return f"B0dyCheck{number:013d}"


def body(number: int, song_name: str = "Song") -> bytes:
    """The compact UTF-8 JSON of a one-entry snapshot (as the Lambda writes it, unzipped)."""
    entry = rb.track_entry("S0ng00000000000000000A", "A1bum0000000000000000A", [], name=song_name)
    document = rb.envelope(playlist(number), HOUR, [entry])
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


CASES: dict[int, tuple[bytes, str | None]] = {
    # Issue 12: a second gzip member was read as nothing more than the first.
    1: (gz(body(1)) + gz(body(1)), "trailing_data"),
    2: (gz(body(2) + b"\n" + body(2)), "trailing_data"),
    3: (gz(body(3) + b"garbage"), "trailing_data"),
    # Two documents joined by a space: the byte searches alone let this through.
    11: (gz(body(11) + b" " + body(11)), "trailing_data"),
    12: (gz(body(12) + b"\n\n" + body(12)), "trailing_data"),
    # Issue 12: latin-1 bytes were read with replacement characters.
    4: (gz(body(4, "Caf\u00e9").replace("Caf\u00e9".encode(), b"Caf\xe9")), "invalid_utf8"),
    # Issue 12: a gzip of nothing stopped every run; whitespace alone is no JSON value either.
    9: (gz(b""), "empty_body"),
    10: (gz(b" \n"), "empty_body"),
    # Valid: a real U+FFFD, a newline at the end, `}{` inside a string, a lone member.
    5: (gz(body(5, "Odd \ufffd name")), None),
    6: (gz(body(6) + b"\n"), None),
    7: (gz(body(7, "Brackets }{ inside")), None),
    8: (gz(body(8)), None),
    # Whitespace before the object, and a body of two lines (pretty-printed): one object each.
    13: (gz(b" \n" + body(13)), None),
    14: (gz(json.dumps(json.loads(body(14)), indent=1).encode()), None),
}


def test_each_body_is_read_or_quarantined_by_name(spark: Any, tmp_path: Path) -> None:
    for number, (data, _) in CASES.items():
        rb.put(tmp_path, rb.raw_key(playlist(number), HOUR), data)
    folder = str(tmp_path / "raw" / "playlist_snapshots")
    actual_df = (
        to_entries(read_raw_snapshots(spark, [folder]))
        .select("raw_key", "reason", "song_name")
        .orderBy("raw_key")
    )
    expected_df = spark.createDataFrame(
        [
            (
                rb.raw_key(playlist(number), HOUR),
                reason,
                None if reason else _song_name(number),
            )
            for number, (_, reason) in sorted(CASES.items())
        ],
        "raw_key string not null, reason string, song_name string",
    ).orderBy("raw_key")
    assert_df_equality(actual_df, expected_df)


def _song_name(number: int) -> str:
    return {5: "Odd \ufffd name", 7: "Brackets }{ inside"}.get(number, "Song")
