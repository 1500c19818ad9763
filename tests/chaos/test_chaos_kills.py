"""Attack suite, kills: a process killed at any step loses nothing published, and a rerun
ends where an undisturbed run would have.

Each kill is a real process dying (os._exit, see chaos_kill.py) while running `spotify-etl`,
with no cleanup; the rerun runs in this process.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from chaos_kill import KILLED
from chaos_lake import (
    OTHER_SEED,
    PLAYLISTS,
    START,
    attack,
    ingest,
    quarantined,
    raw_keys,
)
from chispa import assert_df_equality

from glue_jobs.charts import pipeline
from glue_jobs.charts.config import JobConfig
from glue_jobs.charts.schemas import CURATED_TABLES, TABLE_KEYS
from glue_jobs.charts.state import STATE_KEY
from spotify_etl.catalog import crawl, open_catalog
from spotify_etl.cli import main

pytestmark = [pytest.mark.spark, pytest.mark.slow]
REPO_ROOT = Path(__file__).resolve().parents[2]
CHAOS_KILL = Path(__file__).with_name("chaos_kill.py")
KILL_TIMEOUT_S = 900
QUARANTINED_ATTACKS = ["empty_gzip", "not_gzip", "truncated"]


def killed(step: str, *arguments: str) -> None:
    """Run `spotify-etl arguments` in a new process that dies at `step`."""
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "SPARK_LOCAL_IP": "127.0.0.1"}
    result = subprocess.run(
        [sys.executable, str(CHAOS_KILL), step, *arguments],
        capture_output=True,
        text=True,
        timeout=KILL_TIMEOUT_S,
        env=environment,
        check=False,
    )
    assert result.returncode == KILLED, result.stderr[-3000:]


def ingest_arguments(lake: Path, seed: int) -> list[str]:
    """`spotify-etl ingest` as chaos_lake.ingest lands the hours."""
    charts = [part for playlist in PLAYLISTS for part in ("--playlist", playlist)]
    return [
        "ingest",
        "--lake",
        str(lake),
        "--hours",
        "6",
        "--start",
        START.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "--seed",
        str(seed),
        *charts,
        "--top-tracks",
        "short_term",
    ]


def chart_rows_by_day(spark: Any, lake: Path) -> dict[dt.date, frozenset[tuple[Any, ...]]]:
    rows = spark.read.parquet(str(lake / "curated" / "chart_entry")).collect()
    days: dict[dt.date, set[tuple[Any, ...]]] = {}
    for row in rows:
        days.setdefault(row["snapshot_date"], set()).add(tuple(row))
    return {day: frozenset(found) for day, found in days.items()}


def assert_same_tables(spark: Any, left: Path, right: Path) -> None:
    for table in CURATED_TABLES:
        keys = ["snapshot_date", *TABLE_KEYS[table]]
        assert_df_equality(
            spark.read.parquet(str(left / "curated" / table)).orderBy(*keys),
            spark.read.parquet(str(right / "curated" / table)).orderBy(*keys),
            ignore_nullable=True,
        )


@pytest.fixture(scope="module")
def published(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hours landed, transformed and crawled: what readers see before the attack."""
    lake = tmp_path_factory.mktemp("published") / "lake"
    ingest(lake)
    pipeline.run(spark, JobConfig(str(lake)))
    crawl(lake)
    return lake


@pytest.fixture(scope="module")
def republished(spark: Any, published: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same hours landed again with other content, a few bad objects beside them, and
    transformed undisturbed: where every killed run must end after its rerun."""
    lake = tmp_path_factory.mktemp("republished") / "lake"
    shutil.copytree(published, lake)
    ingest(lake, OTHER_SEED)
    attack(lake, QUARANTINED_ATTACKS)
    pipeline.run(spark, JobConfig(str(lake)))
    return lake


@pytest.fixture
def changed(published: Path, tmp_path: Path) -> Path:
    """A copy of the published lake whose every hour was landed again, with bad objects."""
    lake = tmp_path / "lake"
    shutil.copytree(published, lake)
    ingest(lake, OTHER_SEED)
    attack(lake, QUARANTINED_ATTACKS)
    return lake


TRANSFORM_STEPS = [
    "transform-mid-read",
    "transform-staged",
    "transform-mid-publish",
    "transform-mid-quarantine",
    "transform-mid-state-write",
]


@pytest.mark.parametrize("step", TRANSFORM_STEPS)
def test_a_transform_killed_at_any_step_loses_no_published_day(
    step: str, spark: Any, published: Path, republished: Path, changed: Path
) -> None:
    old_days = chart_rows_by_day(spark, published)
    new_days = chart_rows_by_day(spark, republished)
    state_before = (changed / STATE_KEY).read_bytes()

    killed(step, "transform", "--lake", str(changed))

    # Every day published before is there, whole: its old rows or its new rows, never none.
    after = chart_rows_by_day(spark, changed)
    assert set(after) == set(old_days)
    for day, rows in after.items():
        assert rows in (old_days[day], new_days[day]), f"{step}: {day} is neither version"
    if step == "transform-mid-publish":
        assert {after[day] == new_days[day] for day in after} == {True, False}
    assert (changed / STATE_KEY).read_bytes() == state_before  # nothing recorded as done

    summary = pipeline.run(spark, JobConfig(str(changed)))
    assert summary["partitions_held_back"] == []
    assert_same_tables(spark, changed, republished)
    assert quarantined(changed) == quarantined(republished)
    assert len(quarantined(changed)) == len(QUARANTINED_ATTACKS)
    # Done and recorded: (local fingerprints hold mtimes, so digests differ between lakes).
    assert pipeline.run(spark, JobConfig(str(changed)))["partitions_rebuilt"] == []
    hidden = [p for p in (changed / "curated").rglob(".*-staging-*")]
    assert hidden == []


def test_an_ingest_killed_mid_write_leaves_no_partial_object(
    spark: Any, tmp_path: Path, published: Path
) -> None:
    lake = tmp_path / "lake"
    killed("ingest-mid-write", *ingest_arguments(lake, OTHER_SEED))
    landed = raw_keys(lake)
    assert 0 < len(landed) < 3 * 6  # some written, the rest not
    for key in landed:  # each whole: a gzip of one JSON document
        json.loads(gzip.decompress((lake / key).read_bytes()))
    summary = pipeline.run(spark, JobConfig(str(lake)))
    assert summary["quarantined"] == {}  # nothing half-written lies under the raw prefix

    assert main(ingest_arguments(lake, OTHER_SEED)) == 0
    clean = tmp_path / "clean"
    ingest(clean, OTHER_SEED)
    assert {k: (lake / k).read_bytes() for k in raw_keys(lake)} == {
        k: (clean / k).read_bytes() for k in raw_keys(clean)
    }


def catalog_partitions(lake: Path) -> list[tuple[str, str]]:
    with open_catalog(lake) as con:
        rows = con.execute(
            "SELECT table_name, partition_name FROM glue.partitions ORDER BY ALL"
        ).fetchall()
    return [(str(table), str(name)) for table, name in rows]


def test_a_crawl_killed_mid_write_keeps_the_previous_catalog(
    spark: Any, published: Path, tmp_path: Path
) -> None:
    lake = tmp_path / "lake"
    shutil.copytree(published, lake)
    crawl(lake)  # the catalog records its lake's path: catalogue the copy
    before = catalog_partitions(lake)
    # A new day, so that the new catalog differs from the old one.
    later = (START + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert main(["ingest", "--lake", str(lake), "--hours", "1", "--start", later]) == 0
    pipeline.run(spark, JobConfig(str(lake)))

    killed("crawl-mid-write", "crawl", "--lake", str(lake))

    assert catalog_partitions(lake) == before  # the transaction never committed
    crawl(lake)
    after = catalog_partitions(lake)
    assert set(after) - set(before) == {
        (table, "snapshot_date=2026-11-03") for table in sorted(CURATED_TABLES)
    }
