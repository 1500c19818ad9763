"""The templates against the code they deploy: handler settings, job arguments, IAM, schedules."""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from deploy.cfn_yaml import TEMPLATES_DIR, load_template
from deploy.package import LAMBDA_PYTHON_VERSION
from glue_jobs.charts.config import OPTIONAL_ARGS, REQUIRED_ARGS
from glue_jobs.charts.schemas import CURATED_TABLES
from ingest_lambda.event import parse_event
from ingest_lambda.keys import RAW_SNAPSHOTS_PREFIX, snapshot_key
from ingest_lambda.settings import ENV_VARS

# Arguments Glue itself reads; every other `--name` in DefaultArguments is the script's.
GLUE_SERVICE_ARGS = {"--job-language", "--extra-py-files", "--custom-logGroup-prefix"}
# Set by Glue on every run, never in the template.
GLUE_INJECTED_ARGS = {"JOB_NAME"}
# The job's staging folders (decision 0106) exist while it writes; the crawler runs on its own
# schedule and must never take one for a table or a partition.
CRAWLER_EXCLUSIONS = [
    "**/_SUCCESS",
    "**/_temporary/**",
    "**.crc",
    "**_$folder$",
    "**/.charts-staging-*/**",
    "**/.spark-staging-*/**",
]
ALL_TEMPLATES = sorted(TEMPLATES_DIR.glob("*.yaml"))


def of_type(resources: dict[str, Any], resource_type: str) -> dict[str, Any]:
    return {name: r for name, r in resources.items() if r["Type"] == resource_type}


def test_lambda_environment_equals_the_handlers_settings(resources: dict[str, Any]) -> None:
    function = resources["IngestFunction"]["Properties"]
    assert set(function["Environment"]["Variables"]) == set(ENV_VARS)
    assert function["Handler"] == "ingest_lambda.handler.lambda_handler"
    assert function["Runtime"] == f"python{LAMBDA_PYTHON_VERSION}"  # what the zip is built for


def test_local_ingestion_simulates_the_deployed_lambda_timeout(resources: dict[str, Any]) -> None:
    from spotify_etl.real_ingest import INVOCATION_BUDGET_S

    assert resources["IngestFunction"]["Properties"]["Timeout"] == INVOCATION_BUDGET_S


def test_lambda_handler_named_in_the_template_exists(resources: dict[str, Any]) -> None:
    import importlib

    module_name, _, attribute = resources["IngestFunction"]["Properties"]["Handler"].rpartition(".")
    assert callable(getattr(importlib.import_module(module_name), attribute))


def test_glue_job_arguments_equal_the_scripts(resources: dict[str, Any]) -> None:
    arguments = resources["ChartsJob"]["Properties"]["DefaultArguments"]
    script_args = {name.removeprefix("--") for name in arguments if name not in GLUE_SERVICE_ARGS}
    required = set(REQUIRED_ARGS) - GLUE_INJECTED_ARGS
    # Backfill arguments (snapshot_dates, from_date, to_date) are given per run, not by default.
    assert script_args == required | {"catalog_database"}
    assert script_args <= set(REQUIRED_ARGS) | set(OPTIONAL_ARGS)
    assert arguments["--lake_root"] == {"Fn::Sub": "s3://${LakeBucket}"}
    assert arguments["--catalog_database"] == {"Ref": "DatabaseName"}


def test_glue_job_settings_hold_on_both_glue_versions(resources: dict[str, Any]) -> None:
    # Glue 6.0 has no EMRFS (S3A only) and moves Python packages to --python-virtual-env:
    # the job needs neither (boto3 comes with both runtimes), so one definition serves both.
    job = resources["ChartsJob"]["Properties"]
    assert set(job["DefaultArguments"]) - GLUE_SERVICE_ARGS == {"--lake_root", "--catalog_database"}
    assert "--conf" not in job["DefaultArguments"]
    assert "emrfs" not in json.dumps(job).lower()
    assert job["Command"] == {
        "Name": "glueetl",
        "PythonVersion": "3",
        "ScriptLocation": {"Fn::Sub": "s3://${ArtifactsBucket}/${GlueScriptKey}"},
    }


def test_glue_job_runs_one_at_a_time_on_the_parameterised_capacity(
    resources: dict[str, Any],
) -> None:
    job = resources["ChartsJob"]["Properties"]
    assert job["ExecutionProperty"] == {"MaxConcurrentRuns": 1}
    assert job["GlueVersion"] == {"Ref": "GlueVersion"}
    assert job["WorkerType"] == {"Ref": "GlueWorkerType"}
    assert job["NumberOfWorkers"] == {"Ref": "GlueNumberOfWorkers"}
    assert job["ExecutionClass"] == {"Ref": "GlueExecutionClass"}
    assert job["Command"]["ScriptLocation"] == {
        "Fn::Sub": "s3://${ArtifactsBucket}/${GlueScriptKey}"
    }


def test_glue_defaults(lake_template: dict[str, Any]) -> None:
    parameters = lake_template["Parameters"]
    defaults = {name: parameters[name].get("Default") for name in parameters}
    # docs/decisions/0090: 6.0 by default (AWS's default, cheaper), 5.1 still supported.
    assert defaults["GlueVersion"] == "6.0"
    assert sorted(parameters["GlueVersion"]["AllowedValues"]) == ["5.1", "6.0"]
    assert defaults["GlueWorkerType"] == "G.1X"
    assert defaults["GlueNumberOfWorkers"] == 2
    assert defaults["GlueExecutionClass"] == "STANDARD"
    assert defaults["IngestSchedule"] == "cron(0 * * * ? *)"


def _policy_statements(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        documents = [policy["PolicyDocument"] for policy in properties.get("Policies", [])]
        if resource["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            documents.append(properties["PolicyDocument"])
        for document in documents:
            for statement in document["Statement"]:
                yield name, statement


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("path", ALL_TEMPLATES, ids=lambda p: p.name)
def test_no_s3_or_secrets_statement_allows_every_resource(path: Any) -> None:
    for role, statement in _policy_statements(load_template(path)):
        actions = _as_list(statement["Action"])
        sensitive = [a for a in actions if a.split(":")[0] in ("s3", "secretsmanager")]
        if statement["Effect"] != "Allow" or not sensitive:
            continue
        assert "*" not in _as_list(statement["Resource"]), (role, statement)
        assert not any(a.endswith(":*") for a in sensitive), (role, statement)


def test_lambda_may_only_put_raw_snapshots_and_use_its_secret(resources: dict[str, Any]) -> None:
    statements = [
        s
        for role, s in _policy_statements({"Resources": resources})
        if role == "IngestFunctionRole"
    ]
    s3 = [s for s in statements if any(a.startswith("s3:") for a in _as_list(s["Action"]))]
    assert s3 == [
        {
            "Sid": "WriteRawSnapshots",
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": {"Fn::Sub": "${LakeBucket.Arn}/" + RAW_SNAPSHOTS_PREFIX + "*"},
        }
    ]
    secrets = [s for s in statements if "secretsmanager" in str(s["Action"])]
    assert secrets == [
        {
            "Sid": "ReadAndRotateSpotifyCredentials",
            "Effect": "Allow",
            "Action": ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"],
            "Resource": {"Ref": "SpotifySecret"},
        }
    ]


def test_secret_is_created_without_a_value(resources: dict[str, Any]) -> None:
    secret = resources["SpotifySecret"]["Properties"]
    assert "SecretString" not in secret
    assert "GenerateSecretString" not in secret


def test_scheduler_input_carries_the_scheduled_time(resources: dict[str, Any]) -> None:
    schedule = resources["IngestScheduler"]["Properties"]
    target = schedule["Target"]
    assert json.loads(target["Input"]) == {"scheduled_time": "<aws.scheduler.scheduled-time>"}
    assert schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert schedule["ScheduleExpression"] == {"Ref": "IngestSchedule"}
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]}}
    assert target["RetryPolicy"]["MaximumRetryAttempts"] >= 1
    # What the scheduler substitutes is what the handler parses into the snapshot hour.
    event = json.loads(
        target["Input"].replace("<aws.scheduler.scheduled-time>", "2026-11-26T07:00:00Z")
    )
    request = parse_event(
        event, ["37i9dQZEVXbMDoHDwVN2tF"], now=datetime(2026, 11, 26, 9, tzinfo=UTC)
    )
    assert request.snapshot_ts == datetime(2026, 11, 26, 7, tzinfo=UTC)


def test_crawler_has_one_target_per_curated_table(resources: dict[str, Any]) -> None:
    crawler = resources["CuratedCrawler"]["Properties"]
    assert crawler["Targets"]["S3Targets"] == [
        {
            "Path": {"Fn::Sub": f"s3://${{LakeBucket}}/curated/{table}/"},
            "Exclusions": CRAWLER_EXCLUSIONS,
        }
        for table in CURATED_TABLES
    ]
    assert crawler["RecrawlPolicy"] == {"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"}
    assert crawler["SchemaChangePolicy"] == {"UpdateBehavior": "LOG", "DeleteBehavior": "LOG"}
    assert json.loads(crawler["Configuration"]) == {
        "Version": 1.0,
        "Grouping": {"TableGroupingPolicy": "CombineCompatibleSchemas"},
        "CrawlerOutput": {"Partitions": {"AddOrUpdateBehavior": "InheritFromTable"}},
        "CreatePartitionIndex": True,
    }
    assert crawler["Schedule"] == {"ScheduleExpression": {"Ref": "CrawlerSchedule"}}


@pytest.mark.parametrize("path", ALL_TEMPLATES, ids=lambda p: p.name)
def test_every_bucket_is_private_encrypted_and_tls_only(path: Any) -> None:
    template = load_template(path)
    buckets = of_type(template["Resources"], "AWS::S3::Bucket")
    policies = of_type(template["Resources"], "AWS::S3::BucketPolicy").values()
    for name, bucket in buckets.items():
        properties = bucket["Properties"]
        assert set(properties["PublicAccessBlockConfiguration"].values()) == {True}, name
        rule = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
        assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256", name
        [policy] = [p for p in policies if p["Properties"]["Bucket"] == {"Ref": name}]
        [deny] = policy["Properties"]["PolicyDocument"]["Statement"]
        assert deny["Effect"] == "Deny"
        assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_athena_workgroup_enforces_encrypted_results_and_a_scan_cutoff(
    resources: dict[str, Any],
) -> None:
    config = resources["AthenaWorkGroup"]["Properties"]["WorkGroupConfiguration"]
    assert config["EnforceWorkGroupConfiguration"] is True
    assert config["BytesScannedCutoffPerQuery"] == {"Ref": "AthenaBytesScannedCutoff"}
    assert config["ResultConfiguration"]["EncryptionConfiguration"] == {
        "EncryptionOption": "SSE_S3"
    }


def test_every_alarm_notifies_the_topic(resources: dict[str, Any]) -> None:
    alarms = of_type(resources, "AWS::CloudWatch::Alarm")
    assert set(alarms) == {
        "IngestErrorsAlarm",
        "DeadLetterAlarm",
        "QuarantineAlarm",
        "RefreshTokenExpiryAlarm",
    }
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    for name in ("GlueJobFailedRule", "CrawlerFailedRule"):
        targets = resources[name]["Properties"]["Targets"]
        assert [t["Arn"] for t in targets] == [{"Ref": "AlarmTopic"}]
    assert resources["AlarmEmailSubscription"]["Condition"] == "HasAlarmEmail"


def test_refresh_token_alarm_watches_the_metric_the_lambda_logs(
    resources: dict[str, Any],
) -> None:
    from ingest_lambda.token_age import WARNING_DAYS, embedded_metric

    alarm = resources["RefreshTokenExpiryAlarm"]["Properties"]
    # What the handler logs, as CloudWatch reads it: the alarm must name the same metric.
    logged = embedded_metric(12.5, "stack-ingest", datetime(2027, 1, 1, tzinfo=UTC))
    [directive] = logged["_aws"]["CloudWatchMetrics"]
    [metric] = directive["Metrics"]
    assert (alarm["Namespace"], alarm["MetricName"]) == (directive["Namespace"], metric["Name"])
    assert [[d["Name"] for d in alarm["Dimensions"]]] == directive["Dimensions"]
    # The dimension's value is the function's name (AWS_LAMBDA_FUNCTION_NAME at run time).
    assert [d["Value"] for d in alarm["Dimensions"]] == [{"Ref": "IngestFunction"}]
    assert (alarm["Threshold"], alarm["ComparisonOperator"], alarm["Statistic"]) == (
        WARNING_DAYS,
        "LessThanOrEqualToThreshold",
        "Minimum",
    )
    assert alarm["TreatMissingData"] == "notBreaching"  # client credentials publish nothing


def test_quarantine_rule_counts_exactly_one_event_per_quarantined_object(
    resources: dict[str, Any], tmp_path: Any
) -> None:
    from glue_jobs.charts.storage import LocalStorage
    from glue_jobs.charts.writer import quarantine_objects

    hour = datetime(2026, 11, 26, 7, tzinfo=UTC)
    raw_keys = [
        snapshot_key(pid, hour) for pid in ("37i9dQZEVXbMDoHDwVN2tF", "37i9dQZF1DXcBWIGoYBM5M")
    ]
    for key in raw_keys:
        (tmp_path / key).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / key).write_bytes(b"not gzip")
    storage = LocalStorage(tmp_path)
    quarantine_objects(storage, {key: ("not_gzip", "no magic") for key in raw_keys})
    written = [info.key for info in storage.list_objects("quarantine/")]
    pattern = resources["QuarantineRule"]["Properties"]["EventPattern"]
    [wildcard] = pattern["detail"]["object"]["key"]
    matched = [key for key in written if fnmatch.fnmatchcase(key, wildcard["wildcard"])]
    assert len(written) == 2 * len(raw_keys)
    assert matched == [f"quarantine/not_gzip/{key}.reason.json" for key in raw_keys]
    assert pattern["detail"]["bucket"] == {"name": [{"Ref": "LakeBucket"}]}
    bucket = resources["LakeBucket"]["Properties"]
    assert bucket["NotificationConfiguration"]["EventBridgeConfiguration"] == {
        "EventBridgeEnabled": True
    }


def _resource_text(resource: Any) -> str:
    if resource == {"Fn::GetAtt": ["LakeBucket", "Arn"]}:
        return "${LakeBucket.Arn}"
    return resource["Fn::Sub"] if "Fn::Sub" in resource else str(resource)


def _s3_grants(resources: dict[str, Any], role: str) -> dict[str, set[str]]:
    """Resource (as a `${LakeBucket.Arn}/...` text) -> the S3 actions `role` is allowed."""
    grants: dict[str, set[str]] = {}
    for name, statement in _policy_statements({"Resources": resources}):
        actions = [a for a in _as_list(statement["Action"]) if a.startswith("s3:")]
        if name != role or not actions:
            continue
        for resource in _as_list(statement["Resource"]):
            grants.setdefault(_resource_text(resource), set()).update(actions)
    return grants


def test_glue_job_may_touch_exactly_the_prefixes_its_code_uses(resources: dict[str, Any]) -> None:
    from glue_jobs.charts.raw_keys import RAW_PREFIX
    from glue_jobs.charts.state import STATE_KEY
    from glue_jobs.charts.writer import CURATED_PREFIX, QUARANTINE_PREFIX

    write = {"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"}
    state_prefix = STATE_KEY.split("/")[0] + "/"
    assert _s3_grants(resources, "GlueJobRole") == {
        "${LakeBucket.Arn}": {"s3:ListBucket"},
        "${LakeBucket.Arn}/" + RAW_PREFIX.split("/")[0] + "/*": {"s3:GetObject"},
        "${LakeBucket.Arn}/" + CURATED_PREFIX + "*": write,
        "${LakeBucket.Arn}/" + QUARANTINE_PREFIX + "*": write,
        "${LakeBucket.Arn}/" + state_prefix + "*": write,
        "arn:${AWS::Partition}:s3:::${ArtifactsBucket}/glue/*": {"s3:GetObject"},
    }
    # Only the job reads its code: the keys deploy.package uploads start with glue/.
    params = load_template(TEMPLATES_DIR / "lake.yaml")["Parameters"]
    assert params["GlueScriptKey"]["AllowedPattern"].startswith("^glue/")
    assert params["GluePackageKey"]["AllowedPattern"].startswith("^glue/")
