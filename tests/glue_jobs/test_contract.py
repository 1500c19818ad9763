"""Contract: real recorded API entries, in the raw envelope, become these exact rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import glue_raw_builder as rb
import pytest
from chispa import assert_df_equality
from glue_frames import made
from glue_shared_lake import DAY_1
from pyspark.sql import functions as F

from glue_jobs.charts.entries import to_entries
from glue_jobs.charts.reader import read_raw_snapshots
from glue_jobs.charts.schemas import CURATED_TABLES, TABLE_KEYS

pytestmark = pytest.mark.spark

D1 = dt.date(2026, 11, 24)
D2 = dt.date(2026, 11, 25)
TS1 = DAY_1
TS2 = dt.datetime(2026, 11, 25, 7)
SONG = "3ZL9gPzeCnKG9l5SB1SlcZ"
ALBUM = "7cynQpUNbqg7ZqYQu11Yng"
MARIBOU = "7zrkALJ9ayRjzysp4QYoEg"
ANDREYA = "6SKEuFZYhaTytrhtJjgnO2"
GHOSTPOET = "69lEbRQRe29JdyLrewNAvD"
YEAR_ALBUM = "6jiLkuSnhzDvzsHJlweoGh"
ONE_TWOS = "7ATyvp3TmYBmGW7YuC8DJ3"
US_AGAINST = "0FNanBLvmFEDyD75Whjj52"
OPEN = "https://open.spotify.com"

EXPECTED: dict[str, list[tuple[Any, ...]]] = {
    "chart_entry": [
        (
            rb.PLAYLIST_A,
            "playlist",
            "Top 50",
            TS1,
            22,
            1,
            SONG,
            ALBUM,
            MARIBOU,
            dt.datetime(2025, 7, 29, 21, 11, 55),
            46,
            D1,
        ),
        (
            rb.PLAYLIST_B,
            "playlist",
            "Other",
            TS2,
            7,
            1,
            US_AGAINST,
            YEAR_ALBUM,
            GHOSTPOET,
            dt.datetime(2020, 11, 3, 15, 19, 4),
            36,
            D2,
        ),
        (
            rb.PLAYLIST_B,
            "playlist",
            "Other",
            TS2,
            7,
            2,
            ONE_TWOS,
            YEAR_ALBUM,
            GHOSTPOET,
            dt.datetime(2020, 11, 3, 15, 19, 4),
            22,
            D2,
        ),
        (
            rb.PLAYLIST_A,
            "playlist",
            "Top 50",
            TS2,
            7,
            1,
            ONE_TWOS,
            YEAR_ALBUM,
            GHOSTPOET,
            dt.datetime(2020, 11, 3, 15, 19, 4),
            22,
            D2,
        ),
        (
            rb.PLAYLIST_A,
            "playlist",
            "Top 50",
            TS2,
            7,
            2,
            US_AGAINST,
            YEAR_ALBUM,
            GHOSTPOET,
            dt.datetime(2020, 11, 3, 15, 19, 4),
            36,
            D2,
        ),
    ],
    "song": [
        (
            SONG,
            "All I Need",
            227934,
            False,
            1,
            1,
            "GBCFB2300770",
            ALBUM,
            [MARIBOU, ANDREYA],
            MARIBOU,
            46,
            f"{OPEN}/track/{SONG}",
            TS1,
            TS1,
            D1,
        ),
        (
            US_AGAINST,
            "Us Against Whatever Ever",
            269346,
            False,
            1,
            2,
            "GBMEF1000270",
            YEAR_ALBUM,
            [GHOSTPOET],
            GHOSTPOET,
            36,
            f"{OPEN}/track/{US_AGAINST}",
            TS2,
            TS2,
            D2,
        ),
        (
            ONE_TWOS,
            "One Twos / Run Run Run",
            241346,
            False,
            1,
            1,
            "GBMEF1100339",
            YEAR_ALBUM,
            [GHOSTPOET],
            GHOSTPOET,
            22,
            f"{OPEN}/track/{ONE_TWOS}",
            TS2,
            TS2,
            D2,
        ),
    ],
    "album": [
        (
            ALBUM,
            "All I Need",
            "single",
            5,
            dt.date(2025, 1, 13),
            "day",
            2025,
            [MARIBOU, ANDREYA],
            "https://i.scdn.co/image/ab67616d0000b2732f41071676f4f50842581fb4",
            f"{OPEN}/album/{ALBUM}",
            TS1,
            TS1,
            D1,
        ),
        (
            YEAR_ALBUM,
            "Peanut Butter Blues and Melancholy Jam",
            "album",
            10,
            dt.date(2011, 1, 1),
            "year",
            2011,
            [GHOSTPOET],
            "https://i.scdn.co/image/ab67616d0000b273306e7640be17c5b3468e6e80",
            f"{OPEN}/album/{YEAR_ALBUM}",
            TS2,
            TS2,
            D2,
        ),
    ],
    "artist": [
        (ANDREYA, "Andreya Triana", f"{OPEN}/artist/{ANDREYA}", TS1, TS1, D1),
        (MARIBOU, "Maribou State", f"{OPEN}/artist/{MARIBOU}", TS1, TS1, D1),
        (GHOSTPOET, "Ghostpoet", f"{OPEN}/artist/{GHOSTPOET}", TS2, TS2, D2),
    ],
    "song_artist": [
        (SONG, ANDREYA, 2, D1),
        (SONG, MARIBOU, 1, D1),
        (US_AGAINST, GHOSTPOET, 1, D2),
        (ONE_TWOS, GHOSTPOET, 1, D2),
    ],
}


@pytest.mark.parametrize("table", list(CURATED_TABLES))
def test_curated_rows_from_real_entries(
    spark: Any, shared_lake: tuple[Path, dict[str, Any]], table: str
) -> None:
    lake, _ = shared_lake
    keys = ["snapshot_date", *TABLE_KEYS[table]]
    actual_df = spark.read.parquet(str(lake / "curated" / table)).orderBy(*keys)
    expected_df = spark.createDataFrame(EXPECTED[table], made(CURATED_TABLES[table]))
    assert_df_equality(actual_df, expected_df.orderBy(*keys))


@pytest.mark.parametrize("table", list(CURATED_TABLES))
def test_columns_declared_non_null_hold_no_null(
    spark: Any, shared_lake: tuple[Path, dict[str, Any]], table: str
) -> None:
    # Parquet (and so the comparisons here) sees every column as nullable: the declaration is
    # kept by the filters before each table's select, which this checks on written data.
    lake, _ = shared_lake
    table_df = spark.read.parquet(str(lake / "curated" / table))
    non_null = [f.name for f in CURATED_TABLES[table].fields if not f.nullable]
    nulls = table_df.select([F.count_if(F.col(name).isNull()).alias(name) for name in non_null])
    assert table_df.count() > 0
    assert nulls.first().asDict() == dict.fromkeys(non_null, 0)


def test_reader_keeps_every_real_entry_with_its_skip_reason(
    spark: Any, shared_lake: tuple[Path, dict[str, Any]]
) -> None:
    lake, _ = shared_lake
    folder = lake / "raw" / "playlist_snapshots" / "snapshot_date=2026-11-24"
    actual_df = (
        to_entries(read_raw_snapshots(spark, [str(folder)]))
        .select("position", "skip_reason", "song_id", "album_id", "release_year")
        .orderBy("position")
    )
    expected_df = spark.createDataFrame(
        [
            (1, None, SONG, ALBUM, 2025),
            (2, "local_file", None, None, None),
            (3, "local_file", None, None, None),
            (4, "null_track", None, None, None),
            (5, "episode", "5ePisode0000000000000A", None, None),
        ],
        "position int, skip_reason string, song_id string, album_id string, release_year int",
    )
    assert_df_equality(actual_df, expected_df)
