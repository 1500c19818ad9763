"""Teardown: every version of a bucket goes, the lake stays unless asked, steps in order."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from deploy.teardown import empty_bucket, main, plan_teardown

REGION = "us-east-1"


@mock_aws
def test_empty_bucket_deletes_every_version_and_delete_marker() -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="lake")
    s3.put_bucket_versioning(Bucket="lake", VersioningConfiguration={"Status": "Enabled"})
    for body in (b"1", b"2"):
        s3.put_object(Bucket="lake", Key="raw/a.json.gz", Body=body)
    s3.put_object(Bucket="lake", Key="curated/b.parquet", Body=b"3")
    s3.delete_object(Bucket="lake", Key="curated/b.parquet")  # adds a delete marker
    assert empty_bucket(s3, "lake") == 4
    listing = s3.list_object_versions(Bucket="lake")
    assert "Versions" not in listing
    assert "DeleteMarkers" not in listing
    s3.delete_bucket(Bucket="lake")  # only an empty bucket can be deleted


def test_plan_keeps_the_lake_unless_asked() -> None:
    outputs = {"AthenaResultsBucketName": "results", "LakeBucketName": "lake"}
    assert plan_teardown("s", outputs, delete_lake=False) == [
        "empty s3://results (Athena results)",
        "delete stack s (the secret is deleted at once, without recovery window)",
        "keep s3://lake (retained; pass --delete-lake-data to delete it)",
        "empty the artifacts bucket of stack s-artifacts",
        "delete stack s-artifacts",
    ]
    assert plan_teardown("s", outputs, delete_lake=True)[2:4] == [
        "empty s3://lake (ALL raw snapshots and tables)",
        "delete bucket lake",
    ]


def test_teardown_needs_confirmation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--region", REGION]) == 2
    assert "pass --region and --yes" in capsys.readouterr().err
    assert main(["--dry-run", "--stack-name", "s"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "empty s3://<AthenaResultsBucketName of stack s> (Athena results)"
    )
