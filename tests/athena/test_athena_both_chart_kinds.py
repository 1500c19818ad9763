"""A playlist and two top-tracks charts from the fake: ingest, the job, crawl, named queries."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from spotify_etl.catalog import crawl
from spotify_etl.cli import main
from spotify_etl.fake_spotify import CHART_PLAYLIST_ID, DEFAULT_SEED, FAKE_USER_ID
from spotify_etl.fake_spotify.catalog import song
from spotify_etl.fake_spotify.top_tracks import day_index, ranking
from spotify_etl.query import named_queries, run_athena_sql

pytestmark = pytest.mark.spark

START = datetime(2026, 11, 25, 20, tzinfo=UTC)
HOURS = 30  # three UTC days: the top tracks change twice
LAST = START + timedelta(hours=HOURS - 1)
SHORT = f"top_tracks.short_term.{FAKE_USER_ID}"
LONG = f"top_tracks.long_term.{FAKE_USER_ID}"
CHARTS = {CHART_PLAYLIST_ID: "playlist", SHORT: "top_tracks", LONG: "top_tracks"}


@pytest.fixture(scope="module")
def both_kinds_lake(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CLI's ingest from the fake, the Glue job's pipeline, the local crawler."""
    from glue_jobs.charts.config import JobConfig
    from glue_jobs.charts.pipeline import run

    lake = tmp_path_factory.mktemp("both") / "lake"
    charts = [
        "--playlist",
        CHART_PLAYLIST_ID,
        "--top-tracks",
        "short_term",
        "--top-tracks",
        "long_term",
    ]
    arguments = ["ingest", "--lake", str(lake), "--hours", str(HOURS), "--start", START.isoformat()]
    assert main([*arguments, *charts]) == 0
    summary = run(spark, JobConfig(str(lake)))
    assert (summary["raw_objects_read"], summary["quarantined"]) == (3 * HOURS, {})
    crawl(lake)
    return lake


def query(lake: Path, sql: str) -> list[tuple[Any, ...]]:
    return run_athena_sql(lake, sql).rows


def test_every_chart_lands_every_hour_with_its_kind(both_kinds_lake: Path) -> None:
    rows = query(
        both_kinds_lake,
        "SELECT playlist_id, chart_kind, count(DISTINCT snapshot_ts), max(position) "
        "FROM chart_entry GROUP BY playlist_id, chart_kind ORDER BY playlist_id",
    )
    days = range(day_index(START), day_index(LAST) + 1)
    short_longest = max(len(ranking(DEFAULT_SEED, FAKE_USER_ID, "short_term", d)) for d in days)
    assert rows == [
        (CHART_PLAYLIST_ID, "playlist", HOURS, 100),
        (LONG, "top_tracks", HOURS, 100),
        (SHORT, "top_tracks", HOURS, min(short_longest, 100)),
    ]


def test_current_top_10_of_a_top_tracks_chart_is_the_users_top_10(both_kinds_lake: Path) -> None:
    result = run_athena_sql(both_kinds_lake, named_queries()["current_top_10"].sql)
    by_chart = Counter(row[0] for row in result.rows)
    assert by_chart == dict.fromkeys(CHARTS, 10)
    for chart_id, time_range in ((SHORT, "short_term"), (LONG, "long_term")):
        ranked = ranking(DEFAULT_SEED, FAKE_USER_ID, time_range, day_index(LAST))[:10]
        served = [row[4] for row in result.rows if row[0] == chart_id]
        assert served == [song(DEFAULT_SEED, index).id for index in ranked]
    names = {row[0]: row[1] for row in result.rows}
    assert names[SHORT] == "Top tracks of Fake Listener (last 4 weeks)"


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_answers_for_both_kinds(both_kinds_lake: Path, name: str) -> None:
    result = run_athena_sql(both_kinds_lake, named_queries()[name].sql)
    assert result.columns[0] == "playlist_id"
    charts = {row[0] for row in result.rows}
    assert charts <= set(CHARTS)
    if name not in ("new_entries_today", "biggest_climbers_24h", "reentries"):
        assert charts == set(CHARTS)


def test_top_10_hours_add_up_to_ten_songs_an_hour_in_every_chart(both_kinds_lake: Path) -> None:
    result = run_athena_sql(both_kinds_lake, named_queries()["top_10_hours"].sql)
    hours: Counter[str] = Counter()
    for row in result.rows:
        hours[row[0]] += row[3]
    assert hours == dict.fromkeys(CHARTS, 10 * HOURS)


def test_top_tracks_hold_their_ranks_within_a_day(both_kinds_lake: Path) -> None:
    result = run_athena_sql(both_kinds_lake, named_queries()["longest_run_at_number_1"].sql)
    runs = {row[0]: row[3] for row in result.rows}
    # The first UTC day of the run has 4 snapshots (20:00-23:00), the last 2: a whole day of
    # 24 hours at #1 at least, unless the #1 changes at midnight.
    assert runs[LONG] >= 24
    assert runs[SHORT] >= 24
