"""The first run helper: synchronous snapshot, job run and crawl, with failures explained."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from deploy.first_run import invoke_ingestion, run_crawler, run_job
from deploy.stack import DeployError

REGION = "us-east-1"


def no_sleep(seconds: float) -> None:
    return None


def _lambda_answer(payload: object, error: str | None = None) -> dict:
    answer = {"StatusCode": 200, "Payload": io.BytesIO(json.dumps(payload).encode())}
    if error:
        answer["FunctionError"] = error
    return answer


def test_ingestion_is_invoked_for_the_current_scheduled_hour() -> None:
    client = boto3.client("lambda", region_name=REGION)
    event = {"scheduled_time": "2026-11-26T07:00:00Z"}
    with Stubber(client) as stub:
        stub.add_response(
            "invoke",
            _lambda_answer({"written": 1}),
            {"FunctionName": "lake-ingest", "Payload": json.dumps(event).encode()},
        )
        result = invoke_ingestion(client, "lake-ingest", datetime(2026, 11, 26, 7, 42, tzinfo=UTC))
    assert result == {"event": event, "result": {"written": 1}}


def test_a_failing_ingestion_reports_the_functions_error() -> None:
    client = boto3.client("lambda", region_name=REGION)
    error = {"errorMessage": "secret has no value: run spotify-etl auth"}
    with Stubber(client) as stub:
        stub.add_response("invoke", _lambda_answer(error, "Unhandled"))
        with pytest.raises(DeployError, match="run spotify-etl auth"):
            invoke_ingestion(client, "lake-ingest", datetime(2026, 11, 26, 7, tzinfo=UTC))


@mock_aws
def test_job_run_is_awaited_until_it_succeeds() -> None:
    glue = boto3.client("glue", region_name=REGION)
    glue.create_job(
        Name="lake-charts", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/s.py"}
    )
    run_id = run_job(glue, "lake-charts", sleep=no_sleep)
    assert (
        glue.get_job_run(JobName="lake-charts", RunId=run_id)["JobRun"]["JobRunState"]
        == "SUCCEEDED"
    )


def test_a_failed_job_run_reports_glues_message() -> None:
    glue = boto3.client("glue", region_name=REGION)
    with Stubber(glue) as stub:
        stub.add_response("start_job_run", {"JobRunId": "jr_1"}, {"JobName": "lake-charts"})
        stub.add_response("get_job_run", {"JobRun": {"Id": "jr_1", "JobRunState": "RUNNING"}})
        stub.add_response(
            "get_job_run",
            {"JobRun": {"Id": "jr_1", "JobRunState": "FAILED", "ErrorMessage": "AccessDenied"}},
        )
        with pytest.raises(DeployError, match="run jr_1 FAILED: AccessDenied"):
            run_job(glue, "lake-charts", sleep=no_sleep)


def test_a_failed_crawl_is_reported() -> None:
    glue = boto3.client("glue", region_name=REGION)
    with Stubber(glue) as stub:
        stub.add_response("start_crawler", {}, {"Name": "lake-curated"})
        stub.add_response("get_crawler", {"Crawler": {"Name": "lake-curated", "State": "RUNNING"}})
        stub.add_response(
            "get_crawler",
            {
                "Crawler": {
                    "Name": "lake-curated",
                    "State": "READY",
                    "LastCrawl": {"Status": "FAILED", "ErrorMessage": "no access"},
                }
            },
        )
        with pytest.raises(DeployError, match="crawler lake-curated FAILED"):
            run_crawler(glue, "lake-curated", sleep=no_sleep)


def test_a_successful_crawl_returns() -> None:
    glue = boto3.client("glue", region_name=REGION)
    with Stubber(glue) as stub:
        stub.add_response("start_crawler", {}, {"Name": "lake-curated"})
        stub.add_response(
            "get_crawler",
            {
                "Crawler": {
                    "Name": "lake-curated",
                    "State": "READY",
                    "LastCrawl": {"Status": "SUCCEEDED"},
                }
            },
        )
        run_crawler(glue, "lake-curated", sleep=no_sleep)
        stub.assert_no_pending_responses()
