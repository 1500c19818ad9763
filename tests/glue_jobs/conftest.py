"""Fixtures for the charts job: real API entries, one shared lake run, frame builders."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from glue_shared_lake import build_shared_raw, fixture_entries
from moto import mock_aws

from glue_jobs.charts.storage import LocalStorage, S3Storage, Storage


@pytest.fixture(scope="session")
def api_entries() -> dict[str, list[dict[str, Any]]]:
    """Real entries: 2026 (item+track), year precision, local files, a null track."""
    return {
        "items_2026": fixture_entries("playlist_items_page_2026.json"),
        "year_precision": fixture_entries("playlist_tracks_page_year_precision.json"),
        "local_files": fixture_entries("playlist_tracks_local_files.json"),
        "null_track": fixture_entries("playlist_tracks_null_track.json"),
    }


@pytest.fixture(scope="session")
def shared_lake(
    spark: Any, tmp_path_factory: pytest.TempPathFactory, api_entries: Any
) -> tuple[Path, dict[str, Any]]:
    """A lake built once and processed once; tests that change it work on a copy."""
    from glue_jobs.charts.config import JobConfig
    from glue_jobs.charts.pipeline import run

    lake = tmp_path_factory.mktemp("shared") / "lake"
    build_shared_raw(lake, api_entries)
    summary = run(spark, JobConfig(str(lake)))
    return lake, summary


@pytest.fixture
def lake_copy(shared_lake: tuple[Path, dict[str, Any]], tmp_path: Path) -> Path:
    """A private copy of the processed shared lake."""
    target = tmp_path / "lake"
    shutil.copytree(shared_lake[0], target)
    return target


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    """The same lake behaviour from a folder and from an S3 bucket prefix (moto)."""
    if request.param == "local":
        yield LocalStorage(tmp_path)
        return
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="lake")
        yield S3Storage("lake", "charts/", client)
