"""Lakes for the attack suite: hours landed by the Lambda's own code, then bad objects beside them.

Every bad object is built from a real landed snapshot (its bytes or its decoded envelope), so the
attacks look like what reaches a lake: a retried copy, a half-finished upload, a hand edit.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ingest_lambda.envelope import decode_envelope
from ingest_lambda.keys import snapshot_key
from spotify_etl.fake_spotify import CHART_PLAYLIST_ID, DEFAULT_SEED, EDGE_CASE_PLAYLIST_ID
from spotify_etl.local_ingest import LocalIngestPlan, simulate_hours

# Six hours across midnight: two snapshot dates, so a run rebuilds (and can lose) two days.
START = datetime(2026, 11, 1, 21, tzinfo=UTC)
HOURS = 6
DAY_1, DAY_2 = "2026-11-01", "2026-11-02"
# The chart (100 entries) and the fake's edge playlist (local files, removed tracks, episodes).
PLAYLISTS = (CHART_PLAYLIST_ID, EDGE_CASE_PLAYLIST_ID)
OTHER_SEED = DEFAULT_SEED + 1
RAW = "raw/playlist_snapshots"
# A slot of DAY_1 that no landed snapshot uses, for objects at a valid key of their own.
FREE_HOUR = "snapshot_date=2026-11-01/snapshot_hour=03"


def ingest(lake: Path, seed: int = DEFAULT_SEED) -> None:
    """Land HOURS hours of both playlists (and the user's short-term top tracks)."""
    plan = LocalIngestPlan(
        lake=lake,
        start=START,
        hours=HOURS,
        playlist_ids=PLAYLISTS,
        seed=seed,
        top_tracks=("short_term",),
    )
    for summary in simulate_hours(plan):
        assert not summary.failed, summary.as_dict()


def landed_key(hour: int = 0, playlist_id: str = CHART_PLAYLIST_ID) -> str:
    """The raw key of a landed snapshot: hour `hour` after START."""
    return snapshot_key(playlist_id, START + timedelta(hours=hour))


def gz(text: bytes) -> bytes:
    return gzip.compress(text, mtime=0)


def bad_id(number: int) -> str:
    """A 22-character playlist id for bad object `number` (as in issue 12's reproduction)."""
    return f"BAD{number:019d}"


def at_free_slot(number: int) -> str:
    return f"{RAW}/{FREE_HOUR}/playlist_id={bad_id(number)}.json.gz"


def with_positions(envelope: dict[str, Any], positions: list[int]) -> dict[str, Any]:
    """The envelope with its first entries renumbered to `positions` (the rest dropped)."""
    kept = envelope["entries"][: len(positions)]
    entries = [{**entry, "position": p} for entry, p in zip(kept, positions, strict=True)]
    return {**envelope, "entries": entries}


def compact(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


@dataclass(frozen=True)
class Attack:
    """One bad object: where it goes, how it is built from a landed snapshot, what must follow.

    `reason` is the quarantine reason; None means the object is read (its entries then count
    under `skips`).
    """

    key: Callable[[], str]
    body: Callable[[bytes], bytes]
    reason: str | None
    skips: tuple[tuple[str, int], ...] = ()


def _renumbered(number: int, positions: list[int]) -> Callable[[bytes], bytes]:
    def build(real: bytes) -> bytes:
        envelope = with_positions(decode_envelope(real), positions)
        envelope["chart"] = {**envelope["chart"], "id": bad_id(number)}
        envelope["playlist_id"] = bad_id(number)
        envelope["snapshot_ts"] = "2026-11-01T03:00:00Z"
        return gz(compact(envelope))

    return build


def _latin1(real: bytes) -> bytes:
    text = gzip.decompress(real)
    # A name rewritten in latin-1: 0xE9 alone is not UTF-8.
    return gz(text.replace(b'"name":"', b'"name":"Caf\xe9 ', 1))


# Issue 12's list, by name. Keys are functions: some depend on landed keys.
ATTACKS: dict[str, Attack] = {
    # 1. Objects Spark cannot read as rows, or skips without a word.
    "empty_gzip": Attack(lambda: at_free_slot(25), lambda real: gz(b""), "empty_body"),
    "hidden_backup_folder": Attack(
        lambda: landed_key(1).replace("snapshot_hour=", "_backup/snapshot_hour="),
        lambda real: real,
        "bad_key",
    ),
    "copying_suffix": Attack(lambda: landed_key(2) + "._COPYING_", lambda real: real, "bad_key"),
    "hidden_file": Attack(
        lambda: landed_key(0).replace("playlist_id=", ".playlist_id="), lambda r: r, "bad_key"
    ),
    "invalid_date_folder": Attack(
        lambda: landed_key(0).replace(DAY_1, "2026-02-30"), lambda r: r, "bad_key"
    ),
    "stray_file": Attack(lambda: f"{RAW}/README.txt", lambda real: b"notes", "bad_key"),
    "not_gzip": Attack(lambda: at_free_slot(1), gzip.decompress, "not_gzip"),
    "truncated": Attack(lambda: at_free_slot(2), lambda real: real[:-12], "truncated"),
    # 4. What the parse took silently.
    "second_gzip_member": Attack(lambda: at_free_slot(3), lambda r: r + r, "trailing_data"),
    "documents_on_two_lines": Attack(
        lambda: at_free_slot(4),
        lambda r: gz(gzip.decompress(r) + b"\n" + gzip.decompress(r)),
        "trailing_data",
    ),
    "invalid_utf8": Attack(lambda: at_free_slot(5), _latin1, "invalid_utf8"),
    "duplicate_positions": Attack(
        lambda: at_free_slot(6),
        _renumbered(6, [1, 1, 3, 1, 5]),
        None,
        (("duplicate_position", 3),),
    ),
    "positions_out_of_range": Attack(
        lambda: at_free_slot(7),
        _renumbered(7, [0, -7, 3]),
        None,
        (("position_out_of_range", 2),),
    ),
}


def attack(lake: Path, names: list[str] | None = None) -> dict[str, str | None]:
    """Write the named attacks (all by default) into a landed lake; key -> expected reason."""
    real = (lake / landed_key(0)).read_bytes()
    placed: dict[str, str | None] = {}
    for name in names or list(ATTACKS):
        spec = ATTACKS[name]
        key = spec.key()
        path = lake / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(spec.body(real))
        placed[key] = spec.reason
    return placed


def raw_keys(lake: Path) -> set[str]:
    """Every object under the raw prefix (what the job lists)."""
    return {p.relative_to(lake).as_posix() for p in (lake / RAW).rglob("*") if p.is_file()}


def quarantined(lake: Path) -> dict[str, str]:
    """raw key -> reason, from the quarantine records."""
    records = (json.loads(p.read_text()) for p in (lake / "quarantine").rglob("*.reason.json"))
    return {record["raw_key"]: record["reason"] for record in records}
