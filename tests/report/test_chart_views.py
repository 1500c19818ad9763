"""The views the report and the notebook share: one text, the same rows on DuckDB and Spark."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from tiny_chart import PLAYLIST_ID

from spotify_etl.chart_views import CHART_VIEWS, with_views

CURATED_TABLES = ("chart_entry", "song", "album", "artist", "song_artist")
PERIOD_ENTRY = f"select * from chart_entry where playlist_id = '{PLAYLIST_ID}'"


def test_a_view_comes_with_the_views_it_uses_in_order() -> None:
    clause = with_views("artist_chart_hours")
    names = [name for name in CHART_VIEWS if f"{name} as (" in clause]
    assert names == ["artist_latest", "credit_latest", "artist_chart_hours"]
    assert clause.index("artist_latest as (") < clause.index("artist_chart_hours as (")


def test_an_unknown_view_is_refused() -> None:
    with pytest.raises(KeyError, match="no chart view named song_earliest"):
        with_views("song_earliest")


def _rows(rows: list[Any]) -> list[tuple[Any, ...]]:
    return sorted(tuple(row) for row in rows)


@pytest.mark.spark
@pytest.mark.parametrize("name", list(CHART_VIEWS))
def test_duckdb_and_spark_give_the_same_rows(
    name: str, tiny_con: duckdb.DuckDBPyConnection, tiny_lake: Path, spark: Any
) -> None:
    # The report's way: a WITH clause over the catalog.
    duck = tiny_con.execute(
        f"with period_entry as ({PERIOD_ENTRY}), {with_views(name)} select * from {name}"
    ).fetchall()
    # The notebook's way: temporary views over the Parquet folders, registered in order.
    for table in CURATED_TABLES:
        spark.read.parquet(str(tiny_lake / "curated" / table)).createOrReplaceTempView(table)
    spark.sql(PERIOD_ENTRY).createOrReplaceTempView("period_entry")
    for view_name, view_sql in CHART_VIEWS.items():
        spark.sql(view_sql).createOrReplaceTempView(view_name)
    assert duck
    assert _rows(spark.table(name).collect()) == _rows(duck)
