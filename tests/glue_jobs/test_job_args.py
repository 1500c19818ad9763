"""The Glue entry script's arguments, resolved with awsglue's own getResolvedOptions."""

from __future__ import annotations

import datetime as dt

import pytest
from awsglue.utils import GlueArgumentError

from glue_jobs.charts.config import ConfigError, JobConfig
from glue_jobs.charts_job import parse_job_args

BASE = ["charts_job.py", "--JOB_NAME", "charts", "--lake_root", "s3://lake-bucket/"]


# The names themselves are checked against the template (tests/cloudformation) and the docs
# (tests/docs), where a rename would break something; here, what the script does with them.


def test_without_lake_root_the_job_stops_naming_it() -> None:
    with pytest.raises(GlueArgumentError, match="--lake_root"):
        parse_job_args(["charts_job.py", "--JOB_NAME", "charts"])


def test_required_only_is_an_incremental_run() -> None:
    resolved, config = parse_job_args([*BASE, "--job-bookmark-option", "job-bookmark-disable"])
    assert resolved["JOB_NAME"] == "charts"
    assert config == JobConfig(lake_root="s3://lake-bucket")
    assert not config.is_backfill


def test_snapshot_dates_are_sorted_and_unique() -> None:
    _, config = parse_job_args([*BASE, "--snapshot_dates", "2026-11-25,2026-11-24, 2026-11-25"])
    assert config.snapshot_dates == (dt.date(2026, 11, 24), dt.date(2026, 11, 25))
    assert config.is_backfill


def test_inclusive_range_and_equals_form() -> None:
    _, config = parse_job_args(
        [*BASE, "--from_date=2026-02-27", "--to_date", "2026-03-01", "--catalog_database", "charts"]
    )
    assert config == JobConfig(
        lake_root="s3://lake-bucket",
        snapshot_dates=(dt.date(2026, 2, 27), dt.date(2026, 2, 28), dt.date(2026, 3, 1)),
        catalog_database="charts",
    )


def test_empty_optional_values_count_as_absent() -> None:
    _, config = parse_job_args([*BASE, "--snapshot_dates", "", "--catalog_database", ""])
    assert config == JobConfig(lake_root="s3://lake-bucket")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--from_date", "2026-13-01", "--to_date", "2026-12-01"],
            "--from_date: '2026-13-01' is not a date YYYY-MM-DD",
        ),
        (
            ["--snapshot_dates", "2026-11-24,yesterday"],
            "--snapshot_dates: 'yesterday' is not a date YYYY-MM-DD",
        ),
        (["--from_date", "2026-11-24"], "--from_date and --to_date must be given together"),
        (["--from_date", "2026-11-25", "--to_date", "2026-11-24"], "is after --to_date"),
        (["--from_date", "2006-01-01", "--to_date", "2026-01-01"], "at most 3660"),
        (
            [
                "--snapshot_dates",
                "2026-11-24",
                "--from_date",
                "2026-11-24",
                "--to_date",
                "2026-11-24",
            ],
            "cannot be combined",
        ),
        (["--snapshot_dates", " , "], "lists no date"),
    ],
)
def test_bad_values_name_the_flag(extra: list[str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        parse_job_args([*BASE, *extra])


@pytest.mark.parametrize(
    ("root", "message"),
    [("s3://", "has no bucket name"), ("hdfs://x/y", "must be s3://"), ("  ", "empty")],
)
def test_bad_lake_root(root: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_job_args(["job", "--JOB_NAME", "j", "--lake_root", root])


def test_missing_lake_root_is_rejected_by_glue() -> None:
    from awsglue.utils import GlueArgumentError

    with pytest.raises(GlueArgumentError, match="--lake_root"):
        parse_job_args(["job", "--JOB_NAME", "j"])


def test_entry_script_runs_nothing_on_import() -> None:
    import importlib
    import sys

    sys.modules.pop("glue_jobs.charts_job", None)
    module = importlib.import_module("glue_jobs.charts_job")
    assert "awsglue.context" not in sys.modules
    assert callable(module.main)


@pytest.mark.parametrize("abbreviated", ["--lake", "--snapshot", "--from=2026-11-24", "--catalog"])
def test_abbreviated_names_are_refused_on_both_glue_versions(abbreviated: str) -> None:
    # Glue 5.1's getResolvedOptions would take `--lake` for `--lake_root`; Glue 6.0's refuses it.
    name = abbreviated.split("=", 1)[0]
    with pytest.raises(ConfigError, match=f"^{name}: give the full name {name}"):
        parse_job_args(["charts_job.py", "--JOB_NAME", "charts", abbreviated, "s3://b"])


def test_the_templates_arguments_resolve_with_this_glue_versions_parser() -> None:
    from deploy.cfn_yaml import TEMPLATES_DIR, load_template

    template = load_template(TEMPLATES_DIR / "lake.yaml")
    arguments = template["Resources"]["ChartsJob"]["Properties"]["DefaultArguments"]
    values = {"--lake_root": "s3://lake-bucket", "--catalog_database": "spotify_charts"}
    # What Glue runs: its own arguments, the template's (resolved), then the per-run name.
    argv = ["charts_job.py", "--job-bookmark-option", "job-bookmark-disable", "--TempDir", "s3://t"]
    for name, value in arguments.items():
        argv += [name, values.get(name, str(value))]
    resolved, config = parse_job_args([*argv, "--JOB_NAME", "charts"])
    assert config == JobConfig(lake_root="s3://lake-bucket", catalog_database="spotify_charts")
    assert resolved["JOB_NAME"] == "charts"
