"""Partition registration in the Glue Data Catalog (moto's Glue)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from glue_jobs.charts.catalog import register_partitions

DATABASE = "spotify_charts"
LOCATION = "s3://lake/curated/chart_entry/"
PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"


@pytest.fixture
def glue() -> Iterator[Any]:
    """A Glue client on moto with the crawler's chart_entry table (song not crawled yet)."""
    with mock_aws():
        client = boto3.client("glue", region_name="us-east-1")
        client.create_database(DatabaseInput={"Name": DATABASE})
        client.create_table(
            DatabaseName=DATABASE,
            TableInput={
                "Name": "chart_entry",
                "StorageDescriptor": {
                    "Columns": [{"Name": "song_id", "Type": "string"}],
                    "Location": LOCATION,
                    "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                    "SerdeInfo": {"SerializationLibrary": PARQUET_SERDE},
                },
                "PartitionKeys": [{"Name": "snapshot_date", "Type": "string"}],
            },
        )
        yield client


def partition_locations(glue: Any) -> dict[str, str]:
    partitions = glue.get_partitions(DatabaseName=DATABASE, TableName="chart_entry")["Partitions"]
    return {p["Values"][0]: p["StorageDescriptor"]["Location"] for p in partitions}


def test_adds_missing_partitions_skips_existing_and_uncrawled_tables(glue: Any) -> None:
    first = register_partitions(
        DATABASE, {"chart_entry": [dt.date(2026, 11, 24)], "song": [dt.date(2026, 11, 24)]}, glue
    )
    assert first == {"chart_entry": 1}

    second = register_partitions(
        DATABASE, {"chart_entry": [dt.date(2026, 11, 25), dt.date(2026, 11, 24)]}, glue
    )

    assert second == {"chart_entry": 1}
    assert partition_locations(glue) == {
        "2026-11-24": f"{LOCATION}snapshot_date=2026-11-24/",
        "2026-11-25": f"{LOCATION}snapshot_date=2026-11-25/",
    }


def test_more_than_one_batch(glue: Any) -> None:
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=offset) for offset in range(150)]
    assert register_partitions(DATABASE, {"chart_entry": days}, glue) == {"chart_entry": 150}
    assert len(partition_locations(glue)) == 150
