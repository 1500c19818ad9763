"""The tutorial way: pandas, one raw file at a time, `drop_duplicates`, one file per table per run.

Spotify ETL tutorials dedupe only within the file they just fetched, so the same song seen in 24
hourly files lands 24 times. To reach the Glue job's row counts this way ends with the step the
tutorials leave out, a per-day dedup across files, and that step is timed with the rest.
"""

from __future__ import annotations

import gzip
import json
import re
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
}
# The job's tie-breaks: latest snapshot, then playlist and position (then artist credit order).
LATEST_FIRST = {
    "chart_entry": (["captured_at", "raw_key"], [False, True]),
    "song": (["snapshot_ts", "playlist_id", "position"], [False, True, True]),
    "album": (["snapshot_ts", "playlist_id", "position"], [False, True, True]),
    "artist": (
        ["snapshot_ts", "playlist_id", "position", "artist_source", "artist_index"],
        [False, True, True, True, True],
    ),
}
SEEN_TABLES = ("song", "album", "artist")
TIMESTAMP_COLUMNS = frozenset({"snapshot_ts", "captured_at", "added_at"})
CHART_EPOCH = "1970-01-01T00:00:00Z"
RELEASE_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def _songs(document: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for entry in document["entries"]:
        item = entry.get("item") or entry.get("track")
        local = entry.get("is_local") or (item or {}).get("is_local")
        if not item or local or item.get("type") == "episode" or not item.get("id"):
            continue
        yield entry, item


def _ids(artists: list[dict[str, Any]] | None) -> list[str]:
    return [artist["id"] for artist in artists or [] if artist.get("id")]


def _album_row(album: dict[str, Any]) -> dict[str, Any]:
    match = RELEASE_DATE.match(album.get("release_date") or "")
    year = int(match[1]) if match and int(match[1]) > 0 else None
    release = (
        f"{year:04d}-{match[2] or '01'}-{match[3] or '01'}" if match and year is not None else None
    )
    images = [image for image in album.get("images") or [] if image.get("url")]
    largest: dict[str, Any] = max(
        images,
        key=lambda image: ((image.get("width") or 0) * (image.get("height") or 0), image["url"]),
        default={},
    )
    return {
        "album_id": album["id"],
        "name": album.get("name"),
        "album_type": album.get("album_type"),
        "total_tracks": album.get("total_tracks"),
        "release_date": release,
        "release_date_precision": album.get("release_date_precision"),
        "release_year": year,
        "artist_ids": _ids(album.get("artists")),
        "image_url": largest.get("url"),
        "spotify_url": (album.get("external_urls") or {}).get("spotify"),
    }


def _song_row(item: dict[str, Any]) -> dict[str, Any]:
    artist_ids = _ids(item.get("artists"))
    return {
        "song_id": item["id"],
        "name": item.get("name"),
        "duration_ms": item.get("duration_ms"),
        "explicit": item.get("explicit"),
        "disc_number": item.get("disc_number"),
        "track_number": item.get("track_number"),
        "isrc": (item.get("external_ids") or {}).get("isrc"),
        "album_id": (item.get("album") or {}).get("id"),
        "artist_ids": artist_ids,
        "primary_artist_id": ((item.get("artists") or [{}])[0]).get("id"),
        "popularity": item.get("popularity"),
        "spotify_url": (item.get("external_urls") or {}).get("spotify"),
    }


def file_rows(document: dict[str, Any], raw_key: str) -> dict[str, list[dict[str, Any]]]:
    """One snapshot's rows for every table, before any dedup (the tutorial's loop)."""
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLE_KEYS}
    # Envelope version 1 is a playlist; version 2 names its chart (decision 0085).
    chart = document.get("chart") or {
        "kind": "playlist",
        "id": document["playlist_id"],
        "name": document["playlist"].get("name"),
    }
    snapshot = {"snapshot_ts": document["snapshot_ts"], "playlist_id": chart["id"]}
    for entry, item in _songs(document):
        here = {**snapshot, "position": entry["position"]}
        song = _song_row(item)
        added_at = entry.get("added_at")
        rows["chart_entry"].append(
            {
                **here,
                "raw_key": raw_key,
                "captured_at": document["captured_at"],
                "chart_kind": chart["kind"],
                "playlist_name": chart["name"],
                "snapshot_hour": int(document["snapshot_ts"][11:13]),
                "added_at": None if added_at == CHART_EPOCH else added_at,
                **{name: song[name] for name in ("song_id", "album_id", "popularity")},
                "primary_artist_id": song["primary_artist_id"],
            }
        )
        rows["song"].append({**here, **song})
        album = item.get("album") or {}
        if album.get("id"):
            rows["album"].append({**here, **_album_row(album)})
        for source, artists in enumerate((item.get("artists"), album.get("artists"))):
            for index, artist in enumerate(artists or []):
                if artist.get("id"):
                    rows["artist"].append(
                        {
                            **here,
                            "artist_source": source,
                            "artist_index": index,
                            "artist_id": artist["id"],
                            "name": artist.get("name"),
                            "spotify_url": (artist.get("external_urls") or {}).get("spotify"),
                        }
                    )
    return rows


def _typed(file_df: pd.DataFrame) -> pd.DataFrame:
    for column in TIMESTAMP_COLUMNS.intersection(file_df.columns):
        file_df[column] = pd.to_datetime(file_df[column], utc=True).dt.tz_localize(None)
    if "release_date" in file_df.columns:
        file_df["release_date"] = pd.to_datetime(file_df["release_date"], errors="coerce").dt.date
    return file_df


def _columns(table: str) -> list[str]:
    return [field.name for field in CURATED_TABLES[table].fields if field.name != PARTITION]


def _dedupe_day(day_df: pd.DataFrame, table: str) -> pd.DataFrame:
    key = TABLE_KEYS[table]
    if table in SEEN_TABLES:
        by_key = day_df.groupby(key)["snapshot_ts"]
        day_df = day_df.assign(
            first_seen_ts=by_key.transform("min"), last_seen_ts=by_key.transform("max")
        )
    order, ascending = LATEST_FIRST[table]
    latest_df = day_df.sort_values(order, ascending=ascending, kind="stable")
    return latest_df.drop_duplicates(subset=key, keep="first")[_columns(table)]


def song_artists(song_df: pd.DataFrame) -> pd.DataFrame:
    """One row per (song, credited artist) of the day's songs; a repeated artist keeps its first."""
    credit_df = song_df[["song_id", "artist_ids"]].explode("artist_ids").dropna()
    credit_df = credit_df.rename(columns={"artist_ids": "artist_id"})
    credit_df["artist_position"] = credit_df.groupby("song_id").cumcount() + 1
    return credit_df.drop_duplicates(subset=["song_id", "artist_id"], keep="first")


def _write_per_run(lake: Path, staging: Path) -> tuple[Counter[str], set[str]]:
    per_file_rows: Counter[str] = Counter()
    dates: set[str] = set()
    for path in sorted((lake / RAW_PREFIX).glob("*/*/*.json.gz")):
        document = json.loads(gzip.decompress(path.read_bytes()))
        date_part, hour_part = path.parent.parent.name, path.parent.name
        dates.add(date_part)
        raw_key = str(path.relative_to(lake))
        for table, records in file_rows(document, raw_key).items():
            if not records:
                continue
            file_df = _typed(pd.DataFrame.from_records(records))
            file_df = file_df.drop_duplicates(subset=TABLE_KEYS[table])
            target = staging / table / f"{date_part}_{hour_part}_{path.name}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            file_df.to_parquet(target, index=False)
            per_file_rows[table] += len(file_df)
    return per_file_rows, dates


def _write_day(day_df: pd.DataFrame, out: Path, table: str, date_part: str) -> int:
    target = out / table / date_part / "part-0.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    day_df.to_parquet(target, index=False)
    return len(day_df)


def run(lake: Path, out: Path) -> dict[str, Any]:
    """Transform every raw file of `lake` the tutorial way, then dedupe per day into `out`."""
    staging = out / "_per_run"
    per_file_rows, dates = _write_per_run(lake, staging)
    rows: Counter[str] = Counter()
    for date_part in sorted(dates):
        for table in TABLE_KEYS:
            paths = sorted((staging / table).glob(f"{date_part}_*.parquet"))
            if not paths:
                continue
            day_df = pd.concat([pd.read_parquet(path) for path in paths], ignore_index=True)
            day_df = _dedupe_day(day_df, table)
            rows[table] += _write_day(day_df, out, table, date_part)
            if table == "song":
                credits_df = song_artists(day_df)
                rows["song_artist"] += _write_day(credits_df, out, "song_artist", date_part)
    return {"rows": dict(rows), "tutorial_rows": dict(per_file_rows)}
