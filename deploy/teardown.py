"""Tear the lake down: empty the disposable buckets, delete both stacks, optionally the data."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from deploy.stack import WAITER_CONFIG, DeployError, aws_failure, stack_outputs, stack_status

LOGGER = logging.getLogger("deploy")
ARTIFACTS_STACK_SUFFIX = "-artifacts"
DELETE_BATCH = 1000  # DeleteObjects limit


def empty_bucket(s3: Any, bucket: str) -> int:
    """Delete every object version and delete marker; return how many were deleted."""
    deleted = 0
    paginator = s3.get_paginator("list_object_versions")
    for page in paginator.paginate(Bucket=bucket):
        items = [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
        objects = [{"Key": i["Key"], "VersionId": i["VersionId"]} for i in items]
        for start in range(0, len(objects), DELETE_BATCH):
            batch = objects[start : start + DELETE_BATCH]
            s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
            deleted += len(batch)
    LOGGER.info("emptied s3://%s (%d versions)", bucket, deleted)
    return deleted


def delete_stack(cloudformation: Any, stack_name: str) -> None:
    """Delete a stack and wait; a stack that does not exist is already gone."""
    if stack_status(cloudformation, stack_name) is None:
        LOGGER.info("stack %s does not exist", stack_name)
        return
    cloudformation.delete_stack(StackName=stack_name)
    try:
        cloudformation.get_waiter("stack_delete_complete").wait(
            StackName=stack_name, WaiterConfig=WAITER_CONFIG
        )
    except Exception as error:
        raise DeployError(
            f"stack {stack_name} could not be deleted: {error}; see its events"
        ) from error
    LOGGER.info("deleted stack %s", stack_name)


def plan_teardown(stack_name: str, outputs: dict[str, str], delete_lake: bool) -> list[str]:
    """The steps, in order, as the lines `--dry-run` prints."""

    def bucket(output: str) -> str:
        return outputs.get(output) or f"<{output} of stack {stack_name}>"

    steps = [
        f"empty s3://{bucket('AthenaResultsBucketName')} (Athena results)",
        f"delete stack {stack_name} (the secret is deleted at once, without recovery window)",
    ]
    lake = bucket("LakeBucketName")
    if delete_lake:
        steps += [f"empty s3://{lake} (ALL raw snapshots and tables)", f"delete bucket {lake}"]
    else:
        steps.append(f"keep s3://{lake} (retained; pass --delete-lake-data to delete it)")
    steps += [
        f"empty the artifacts bucket of stack {stack_name}{ARTIFACTS_STACK_SUFFIX}",
        f"delete stack {stack_name}{ARTIFACTS_STACK_SUFFIX}",
    ]
    return steps


def teardown(session: Any, stack_name: str, region: str, delete_lake: bool) -> None:
    """Run the teardown steps against AWS."""
    cloudformation = session.client("cloudformation", region_name=region)
    s3 = session.client("s3", region_name=region)
    if stack_status(cloudformation, stack_name) is not None:
        outputs = stack_outputs(cloudformation, stack_name)
        empty_bucket(s3, outputs["AthenaResultsBucketName"])
        delete_stack(cloudformation, stack_name)
        if delete_lake:
            empty_bucket(s3, outputs["LakeBucketName"])
            s3.delete_bucket(Bucket=outputs["LakeBucketName"])
    artifacts_stack = stack_name + ARTIFACTS_STACK_SUFFIX
    if stack_status(cloudformation, artifacts_stack) is not None:
        empty_bucket(s3, stack_outputs(cloudformation, artifacts_stack)["ArtifactsBucketName"])
        delete_stack(cloudformation, artifacts_stack)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the steps (--dry-run) or run them after --yes."""
    parser = argparse.ArgumentParser(prog="python -m deploy.teardown", description=__doc__)
    parser.add_argument("--stack-name", default="spotify-charts-lake")
    parser.add_argument(
        "--region", default=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    )
    parser.add_argument("--delete-lake-data", action="store_true", help="also delete the lake")
    parser.add_argument("--dry-run", action="store_true", help="list the steps; delete nothing")
    parser.add_argument("--yes", action="store_true", help="confirm: really delete")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if args.dry_run:
        for step in plan_teardown(args.stack_name, {}, args.delete_lake_data):
            print(step)  # noqa: T201
        return 0
    if not args.region or not args.yes:
        print("teardown: error: pass --region and --yes (or --dry-run)", file=sys.stderr)  # noqa: T201
        return 2
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        try:
            teardown(boto3.session.Session(), args.stack_name, args.region, args.delete_lake_data)
        except (BotoCoreError, ClientError) as error:
            raise aws_failure(error) from error
    except DeployError as error:
        print(f"teardown: error: {error}", file=sys.stderr)  # noqa: T201
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
