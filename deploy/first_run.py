"""After the first deployment: a snapshot now, one job run, then the crawler makes the tables."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from deploy.stack import DeployError, aws_failure, stack_outputs

LOGGER = logging.getLogger("deploy")
JOB_RUNNING_STATES = ("STARTING", "RUNNING", "STOPPING", "WAITING")
POLL_SECONDS = 15.0
MAX_POLLS = 240  # one hour at 15 s


def invoke_ingestion(lambda_client: Any, function_name: str, now: datetime) -> dict[str, Any]:
    """Invoke the Lambda synchronously for the current hour, as the schedule would.

    Raises:
        DeployError: the function failed (e.g. credentials not stored yet), with its error.
    """
    scheduled = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    event = {"scheduled_time": scheduled.strftime("%Y-%m-%dT%H:%M:%SZ")}
    answer = lambda_client.invoke(FunctionName=function_name, Payload=json.dumps(event).encode())
    payload = json.loads(answer["Payload"].read() or b"null")
    if answer.get("FunctionError"):
        raise DeployError(f"{function_name} failed for {event['scheduled_time']}: {payload}")
    LOGGER.info("ingested %s: %s", event["scheduled_time"], payload)
    return {"event": event, "result": payload}


def run_job(glue: Any, job_name: str, sleep: Callable[[float], None] = time.sleep) -> str:
    """Start the job (or join the run already going) and wait for it to succeed.

    Raises:
        DeployError: the run ended in another state than SUCCEEDED, with Glue's message.
    """
    try:
        run_id = glue.start_job_run(JobName=job_name)["JobRunId"]
    except glue.exceptions.ConcurrentRunsExceededException:
        runs = glue.get_job_runs(JobName=job_name, MaxResults=10)["JobRuns"]
        run_id = next(r["Id"] for r in runs if r["JobRunState"] in JOB_RUNNING_STATES)
    for _ in range(MAX_POLLS):
        run = glue.get_job_run(JobName=job_name, RunId=run_id)["JobRun"]
        state = run["JobRunState"]
        if state == "SUCCEEDED":
            LOGGER.info("job %s run %s succeeded", job_name, run_id)
            return str(run_id)
        if state not in JOB_RUNNING_STATES:
            raise DeployError(f"job {job_name} run {run_id} {state}: {run.get('ErrorMessage')}")
        sleep(POLL_SECONDS)
    raise DeployError(f"job {job_name} run {run_id} still running after {MAX_POLLS} polls")


def run_crawler(glue: Any, crawler_name: str, sleep: Callable[[float], None] = time.sleep) -> None:
    """Start the crawler (or join its running crawl) and wait for the crawl to succeed.

    Raises:
        DeployError: the crawl failed or was cancelled, with Glue's message.
    """
    try:
        glue.start_crawler(Name=crawler_name)
    except glue.exceptions.CrawlerRunningException:
        LOGGER.info("crawler %s already running: waiting for it", crawler_name)
    for _ in range(MAX_POLLS):
        sleep(POLL_SECONDS)
        crawler = glue.get_crawler(Name=crawler_name)["Crawler"]
        if crawler["State"] != "READY":
            continue
        last = crawler.get("LastCrawl", {})
        if last.get("Status") != "SUCCEEDED":
            raise DeployError(f"crawler {crawler_name} {last.get('Status')}: {last}")
        return
    raise DeployError(f"crawler {crawler_name} still running after {MAX_POLLS} polls")


def first_run(session: Any, stack_name: str, region: str, ingest: bool = True) -> list[str]:
    """Snapshot, curate and crawl once; return the catalog's table names."""
    outputs = stack_outputs(session.client("cloudformation", region_name=region), stack_name)
    glue = session.client("glue", region_name=region)
    if ingest:
        invoke_ingestion(
            session.client("lambda", region_name=region),
            outputs["IngestFunctionName"],
            datetime.now(UTC),
        )
    run_job(glue, outputs["ChartsJobName"])
    run_crawler(glue, outputs["CrawlerName"])
    tables = glue.get_tables(DatabaseName=outputs["DatabaseName"])["TableList"]
    return sorted(table["Name"] for table in tables)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the first snapshot, job run and crawl; print the tables the catalog now has."""
    parser = argparse.ArgumentParser(prog="python -m deploy.first_run", description=__doc__)
    parser.add_argument(
        "--stack-name",
        default="spotify-charts-lake",
        help="the stack `make deploy` created (default: spotify-charts-lake)",
    )
    parser.add_argument(
        "--region",
        default=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"),
        help="the stack's region (default: $AWS_REGION or $AWS_DEFAULT_REGION)",
    )
    parser.add_argument(
        "--skip-ingest", action="store_true", help="use the snapshots already in the lake"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        if not args.region:
            raise DeployError("no region: pass --region or set AWS_REGION")
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            tables = first_run(
                boto3.session.Session(), args.stack_name, args.region, ingest=not args.skip_ingest
            )
        except (BotoCoreError, ClientError) as error:
            raise aws_failure(error) from error
    except DeployError as error:
        print(f"first run: error: {error}", file=sys.stderr)  # noqa: T201
        return 2
    print("tables: " + ", ".join(tables))  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
