"""The tutorial way: pandas, one raw file at a time, `drop_duplicates`, one file per table per run.

Spotify ETL tutorials dedupe only within the file they just fetched, so the same song seen in 24
hourly files lands 24 times. To reach the Glue job's row counts this way ends with the step the
tutorials leave out, a per-day dedup across files, and that step is timed with the rest.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks.generate import RAW_PREFIX
from glue_jobs.charts.schemas import CURATED_TABLES
from glue_jobs.charts.schemas import PARTITION_COLUMN as PARTITION

TABLE_KEYS: dict[str, list[str]] = {
    "chart_entry": ["playlist_id", "snapshot_ts", "position"],
    "song": ["song_id"],
    "album": ["album_id"],
    "artist": ["artist_id"],
    "song_artist": ["song_id", "artist_id"],
}
LATEST_FIRST = ["snapshot_ts", "captured_at", "playlist_id", "position"]
LATEST_FIRST_ASCENDING = [False, False, True, True]
# Tables that carry first/last sightings within the day.
SEEN_TABLES = ("song", "album", "artist")
TIMESTAMP_COLUMNS = frozenset({"snapshot_ts", "captured_at", "added_at"})
CHART_EPOCH = "1970-01-01T00:00:00Z"
RELEASE_DATE_SUFFIX = {"day": "", "month": "-01", "year": "-01-01"}


def _tracks(document: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for entry in document["entries"]:
        track = entry.get("item") or entry.get("track")
        if not track or track.get("is_local") or track.get("type") != "track" or not track["id"]:
            continue
        yield entry, track


def _release(album: dict[str, Any]) -> tuple[str | None, int | None]:
    raw, precision = album.get("release_date"), album.get("release_date_precision")
    if not raw or precision not in RELEASE_DATE_SUFFIX:
        return None, None
    return raw + RELEASE_DATE_SUFFIX[precision], int(raw[:4])


def file_rows(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """One snapshot's rows for every table, before any dedup (the tutorial's loop)."""
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLE_KEYS}
    seen = {
        "snapshot_ts": document["snapshot_ts"],
        "captured_at": document["captured_at"],
        "playlist_id": document["playlist_id"],
    }
    for entry, track in _tracks(document):
        album, artists = track.get("album") or {}, track.get("artists") or []
        artist_ids = [artist["id"] for artist in artists if artist.get("id")]
        primary = artist_ids[0] if artist_ids else None
        here = {**seen, "position": entry["position"]}
        added_at = entry.get("added_at")
        rows["chart_entry"].append(
            {
                **here,
                "playlist_name": document["playlist"].get("name"),
                "snapshot_hour": int(document["snapshot_ts"][11:13]),
                "song_id": track["id"],
                "album_id": album.get("id"),
                "primary_artist_id": primary,
                "added_at": None if added_at == CHART_EPOCH else added_at,
                "popularity": track.get("popularity"),
            }
        )
        rows["song"].append(
            {
                **here,
                "song_id": track["id"],
                "name": track.get("name"),
                "duration_ms": track.get("duration_ms"),
                "explicit": track.get("explicit"),
                "disc_number": track.get("disc_number"),
                "track_number": track.get("track_number"),
                "isrc": (track.get("external_ids") or {}).get("isrc"),
                "album_id": album.get("id"),
                "artist_ids": artist_ids,
                "primary_artist_id": primary,
                "popularity": track.get("popularity"),
                "spotify_url": (track.get("external_urls") or {}).get("spotify"),
            }
        )
        if album.get("id"):
            release_date, release_year = _release(album)
            rows["album"].append(
                {
                    **here,
                    "album_id": album["id"],
                    "name": album.get("name"),
                    "album_type": album.get("album_type"),
                    "total_tracks": album.get("total_tracks"),
                    "release_date": release_date,
                    "release_date_precision": album.get("release_date_precision"),
                    "release_year": release_year,
                    "artist_ids": [a["id"] for a in album.get("artists") or [] if a.get("id")],
                    "image_url": ((album.get("images") or [{}])[0]).get("url"),
                    "spotify_url": (album.get("external_urls") or {}).get("spotify"),
                }
            )
        for artist_position, artist in enumerate(artists, start=1):
            if not artist.get("id"):
                continue
            rows["artist"].append(
                {
                    **here,
                    "artist_id": artist["id"],
                    "name": artist.get("name"),
                    "spotify_url": (artist.get("external_urls") or {}).get("spotify"),
                }
            )
            rows["song_artist"].append(
                {
                    **here,
                    "song_id": track["id"],
                    "artist_id": artist["id"],
                    "artist_position": artist_position,
                }
            )
    return rows


def _typed(file_df: pd.DataFrame) -> pd.DataFrame:
    for column in TIMESTAMP_COLUMNS.intersection(file_df.columns):
        file_df[column] = pd.to_datetime(file_df[column], utc=True).dt.tz_localize(None)
    if "release_date" in file_df.columns:
        file_df["release_date"] = pd.to_datetime(file_df["release_date"]).dt.date
    return file_df


def _dedupe_day(frames: list[pd.DataFrame], table: str) -> pd.DataFrame:
    day_df = pd.concat(frames, ignore_index=True)
    key = TABLE_KEYS[table]
    if table in SEEN_TABLES:
        by_key = day_df.groupby(key)["snapshot_ts"]
        day_df = day_df.assign(
            first_seen_ts=by_key.transform("min"), last_seen_ts=by_key.transform("max")
        )
    latest_df = day_df.sort_values(LATEST_FIRST, ascending=LATEST_FIRST_ASCENDING, kind="stable")
    columns = [field.name for field in CURATED_TABLES[table].fields if field.name != PARTITION]
    return latest_df.drop_duplicates(subset=key, keep="first")[columns]


def _write_per_run(lake: Path, staging: Path) -> tuple[Counter[str], set[str]]:
    per_file_rows: Counter[str] = Counter()
    dates: set[str] = set()
    for path in sorted((lake / RAW_PREFIX).glob("*/*/*.json.gz")):
        document = json.loads(gzip.decompress(path.read_bytes()))
        date_part, hour_part = path.parent.parent.name, path.parent.name
        dates.add(date_part)
        for table, records in file_rows(document).items():
            if not records:
                continue
            file_df = _typed(pd.DataFrame.from_records(records))
            file_df = file_df.drop_duplicates(subset=TABLE_KEYS[table])
            target = staging / table / f"{date_part}_{hour_part}_{document['playlist_id']}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            file_df.to_parquet(target, index=False)
            per_file_rows[table] += len(file_df)
    return per_file_rows, dates


def run(lake: Path, out: Path) -> dict[str, Any]:
    """Transform every raw file of `lake` the tutorial way, then dedupe per day into `out`."""
    staging = out / "_per_run"
    per_file_rows, dates = _write_per_run(lake, staging)
    rows: Counter[str] = Counter()
    for table in TABLE_KEYS:
        for date_part in sorted(dates):
            paths = sorted((staging / table).glob(f"{date_part}_*.parquet"))
            if not paths:
                continue
            day_df = _dedupe_day([pd.read_parquet(path) for path in paths], table)
            target = out / table / date_part / "part-0.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            day_df.to_parquet(target, index=False)
            rows[table] += len(day_df)
    return {"rows": dict(rows), "tutorial_rows": dict(per_file_rows)}
