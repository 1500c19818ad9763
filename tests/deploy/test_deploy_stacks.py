"""The deployment: parameters, template packaging, dry run, uploads and the change-set flow."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber
from moto import mock_aws

from deploy.deploy import (
    ARTIFACTS_TEMPLATE,
    MAIN_TEMPLATE,
    execute,
    main,
    make_plan,
    package_templates,
    parse_parameters,
    upload,
)
from deploy.package import MANIFEST_NAME, Artifact, read_manifest, sha256_of
from deploy.stack import DeployError, StackRequest, deploy_stack

REGION = "us-east-1"
BUCKET = "my-artifacts"
PLAYLIST = "37i9dQZEVXbMDoHDwVN2tF"
DECLARED = {"PlaylistIds", "Market", "ArtifactsBucket", "LambdaCodeKey"}


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("PlaylistIds", "write KEY=VALUE"),
        ("=x", "write KEY=VALUE"),
        ("Playlists=x", "not a parameter of lake.yaml"),
        ("LambdaCodeKey=lambda/x.zip", "set by the deployment itself"),
        ("ArtifactsBucket=b", "set by the deployment itself"),
    ],
)
def test_bad_parameters_are_refused(pair: str, message: str) -> None:
    with pytest.raises(DeployError, match=message):
        parse_parameters([pair], DECLARED)


def test_parameters_keep_equals_signs_in_values() -> None:
    assert parse_parameters(["Market=US", "PlaylistIds=a=b"], DECLARED) == {
        "Market": "US",
        "PlaylistIds": "a=b",
    }


def test_package_templates_points_the_nested_stack_at_its_uploaded_copy() -> None:
    key, uploads = package_templates(MAIN_TEMPLATE, BUCKET, REGION)
    (nested_key, nested_body), (main_key, main_body) = uploads
    assert nested_body == (MAIN_TEMPLATE.parent / "named-queries.yaml").read_bytes()
    assert re.fullmatch(r"templates/named-queries-[0-9a-f]{16}\.yaml", nested_key)
    assert re.fullmatch(r"templates/lake-[0-9a-f]{16}\.yaml", main_key)
    assert key == main_key
    url = f"https://{BUCKET}.s3.{REGION}.amazonaws.com/{nested_key}"
    assert f"TemplateURL: {url}\n" in main_body.decode()
    assert "TemplateURL: named-queries.yaml" not in main_body.decode()
    # Only the nested stack's line changed.
    original = MAIN_TEMPLATE.read_text().splitlines()
    changed = [a for a, b in zip(original, main_body.decode().splitlines(), strict=True) if a != b]
    assert changed == ["      TemplateURL: named-queries.yaml"]


def test_a_missing_nested_template_is_reported(tmp_path: Path) -> None:
    main_template = tmp_path / "main.yaml"
    main_template.write_text("Resources:\n  N:\n    Properties:\n      TemplateURL: gone.yaml\n")
    with pytest.raises(DeployError, match=r"nested template .*gone\.yaml not found"):
        package_templates(main_template, BUCKET, REGION)


@pytest.fixture
def build_dir(tmp_path: Path) -> Path:
    """A manifest of three small built artifacts."""
    artifacts = []
    for name, file_name, key in [
        ("lambda", "ingest_lambda.zip", "lambda/ingest_lambda-0000000000000001.zip"),
        ("glue_package", "glue_jobs.zip", "glue/glue_jobs-0000000000000002.zip"),
        ("glue_script", "charts_job.py", "glue/charts_job-0000000000000003.py"),
    ]:
        path = tmp_path / file_name
        path.write_bytes(name.encode())
        artifacts.append(Artifact(name, str(path), sha256_of(path), key).__dict__)
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(artifacts))
    return tmp_path


def test_dry_run_prints_the_plan_and_calls_no_aws(
    build_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_aws(*args: object, **kwargs: object) -> None:
        raise AssertionError("the dry run called AWS")

    monkeypatch.setattr(boto3.session, "Session", no_aws)
    argv = ["--region", REGION, "--stack-name", "lake", "--artifacts-bucket", BUCKET]
    argv += ["--skip-build", "--build-dir", str(build_dir), "--dry-run"]
    assert main([*argv, "--parameter", f"PlaylistIds={PLAYLIST}"]) == 0
    lines = capsys.readouterr().out.splitlines()
    sha = {name: sha256_of(build_dir / name) for name in ("ingest_lambda.zip", "glue_jobs.zip")}
    assert lines[:2] == [
        f"upload s3://{BUCKET}/lambda/ingest_lambda-0000000000000001.zip "
        f"(6 bytes, sha256 {sha['ingest_lambda.zip']})",
        f"upload s3://{BUCKET}/glue/glue_jobs-0000000000000002.zip "
        f"(12 bytes, sha256 {sha['glue_jobs.zip']})",
    ]
    key, _ = package_templates(MAIN_TEMPLATE, BUCKET, REGION)
    assert lines[5:] == [
        f"stack lake: change set from https://{BUCKET}.s3.{REGION}.amazonaws.com/{key} ({REGION})",
        f"  ArtifactsBucket={BUCKET}",
        "  GluePackageKey=glue/glue_jobs-0000000000000002.zip",
        "  GlueScriptKey=glue/charts_job-0000000000000003.py",
        "  LambdaCodeKey=lambda/ingest_lambda-0000000000000001.zip",
        f"  PlaylistIds={PLAYLIST}",
    ]


def test_dry_run_without_a_bucket_plans_the_artifacts_stack_first(
    build_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--region", REGION, "--skip-build", "--build-dir", str(build_dir), "--dry-run"]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "stack spotify-charts-lake-artifacts: create or update from "
        f"cloudformation/artifacts.yaml ({REGION})"
    )
    assert lines[1].startswith(
        "upload s3://<artifacts bucket from stack spotify-charts-lake-artifacts>/lambda/"
    )


def test_usage_errors_exit_2_with_the_reason(
    build_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    assert main(["--skip-build", "--build-dir", str(build_dir), "--dry-run"]) == 2
    assert "no region: pass --region" in capsys.readouterr().err
    assert main(["--region", REGION, "--stack-name", "9lake", "--dry-run"]) == 2
    assert "stack name '9lake'" in capsys.readouterr().err
    assert main(["--region", REGION, "--stack-name", "a" * 51, "--dry-run"]) == 2
    assert "50 at most" in capsys.readouterr().err


@mock_aws
def test_upload_skips_keys_already_in_the_bucket() -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="lambda/a-1.zip", Body=b"old")
    upload(s3, BUCKET, [("lambda/a-1.zip", b"new"), ("glue/b-2.py", b"script")])
    assert s3.get_object(Bucket=BUCKET, Key="lambda/a-1.zip")["Body"].read() == b"old"
    assert s3.get_object(Bucket=BUCKET, Key="glue/b-2.py")["Body"].read() == b"script"


def _stack(status: str, parameters: list[str]) -> dict[str, Any]:
    return {
        "Stacks": [
            {
                "StackName": "lake",
                "CreationTime": "2026-11-26T00:00:00Z",
                "StackStatus": status,
                "Parameters": [{"ParameterKey": k, "ParameterValue": "v"} for k in parameters],
                "Outputs": [{"OutputKey": "LakeBucketName", "OutputValue": "lake-bucket"}],
            }
        ]
    }


def test_first_deploy_creates_the_stack_through_a_change_set() -> None:
    client = boto3.client("cloudformation", region_name=REGION)
    request = StackRequest("lake", {"PlaylistIds": PLAYLIST}, template_url="https://t/lake.yaml")
    with Stubber(client) as stub:
        stub.add_client_error(
            "describe_stacks", "ValidationError", "Stack with id lake does not exist"
        )
        stub.add_response(
            "create_change_set",
            {"Id": "cs"},
            {
                "StackName": "lake",
                "ChangeSetName": "cs-1",
                "ChangeSetType": "CREATE",
                "TemplateURL": "https://t/lake.yaml",
                "Parameters": [{"ParameterKey": "PlaylistIds", "ParameterValue": PLAYLIST}],
                "Capabilities": ["CAPABILITY_IAM"],
            },
        )
        stub.add_response("describe_change_set", {"Status": "CREATE_COMPLETE", "Changes": []})
        stub.add_response("execute_change_set", {}, {"StackName": "lake", "ChangeSetName": "cs-1"})
        stub.add_response("describe_stacks", _stack("CREATE_COMPLETE", ["PlaylistIds"]))
        stub.add_response("describe_stacks", _stack("CREATE_COMPLETE", ["PlaylistIds"]))
        outputs = deploy_stack(
            client, request, {"PlaylistIds": {"Type": "String"}}, change_set_name=lambda: "cs-1"
        )
        stub.assert_no_pending_responses()
    assert outputs == {"LakeBucketName": "lake-bucket"}


def test_an_update_without_changes_keeps_previous_values_and_executes_nothing() -> None:
    client = boto3.client("cloudformation", region_name=REGION)
    request = StackRequest("lake", {"Market": "SE"}, template_url="https://t/lake.yaml")
    with Stubber(client) as stub:
        stub.add_response("describe_stacks", _stack("UPDATE_COMPLETE", ["PlaylistIds", "Market"]))
        stub.add_response("describe_stacks", _stack("UPDATE_COMPLETE", ["PlaylistIds", "Market"]))
        stub.add_response(
            "create_change_set",
            {"Id": "cs"},
            {
                "StackName": "lake",
                "ChangeSetName": "cs-2",
                "ChangeSetType": "UPDATE",
                "TemplateURL": "https://t/lake.yaml",
                "Parameters": [
                    {"ParameterKey": "Market", "ParameterValue": "SE"},
                    {"ParameterKey": "PlaylistIds", "UsePreviousValue": True},
                ],
                "Capabilities": ["CAPABILITY_IAM"],
            },
        )
        stub.add_response(
            "describe_change_set",
            {
                "Status": "FAILED",
                "StatusReason": "The submitted information didn't contain changes.",
            },
        )
        stub.add_response("delete_change_set", {}, {"StackName": "lake", "ChangeSetName": "cs-2"})
        stub.add_response("describe_stacks", _stack("UPDATE_COMPLETE", ["PlaylistIds", "Market"]))
        outputs = deploy_stack(
            client,
            request,
            {"PlaylistIds": {"Type": "String"}, "Market": {"Type": "String", "Default": "US"}},
            change_set_name=lambda: "cs-2",
        )
        stub.assert_no_pending_responses()
    assert outputs == {"LakeBucketName": "lake-bucket"}


def test_a_rolled_back_stack_is_refused_with_what_to_do() -> None:
    client = boto3.client("cloudformation", region_name=REGION)
    request = StackRequest("lake", {}, template_url="https://t/lake.yaml")
    with Stubber(client) as stub:
        stub.add_response("describe_stacks", _stack("ROLLBACK_COMPLETE", []))
        with pytest.raises(DeployError, match="is ROLLBACK_COMPLETE: delete it"):
            deploy_stack(client, request, {})


def test_a_failed_change_set_reports_cloudformations_reason() -> None:
    client = boto3.client("cloudformation", region_name=REGION)
    request = StackRequest("lake", {}, template_body="{}")
    with Stubber(client) as stub:
        stub.add_client_error(
            "describe_stacks", "ValidationError", "Stack with id lake does not exist"
        )
        stub.add_response("create_change_set", {"Id": "cs"})
        stub.add_response(
            "describe_change_set",
            {"Status": "FAILED", "StatusReason": "Parameters: [PlaylistIds] must have values"},
        )
        with pytest.raises(DeployError, match=r"must have values"):
            deploy_stack(client, request, {}, change_set_name=lambda: "cs-3")


def test_parameters_file_is_read_and_the_command_line_wins(
    build_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    params = tmp_path / "params.json"
    params.write_text(json.dumps({"PlaylistIds": PLAYLIST, "Market": "SE"}))
    argv = ["--region", REGION, "--artifacts-bucket", BUCKET, "--skip-build"]
    argv += ["--build-dir", str(build_dir), "--dry-run", "--parameters-file", str(params)]
    assert main([*argv, "--parameter", "Market=DE"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "  Market=DE" in lines
    assert f"  PlaylistIds={PLAYLIST}" in lines
    params.write_text("[1]")
    assert main(argv) == 2
    assert "write one JSON object" in capsys.readouterr().err


def test_a_new_stack_needs_every_parameter_without_a_default() -> None:
    client = boto3.client("cloudformation", region_name=REGION)
    request = StackRequest("lake", {"Market": "SE"}, template_url="https://t/lake.yaml")
    declared = {"PlaylistIds": {"Type": "String"}, "Market": {"Type": "String", "Default": "US"}}
    with Stubber(client) as stub:
        stub.add_client_error(
            "describe_stacks", "ValidationError", "Stack with id lake does not exist"
        )
        with pytest.raises(DeployError, match=r"is new: give --parameter PlaylistIds=\.\.\.$"):
            deploy_stack(client, request, declared)


class _Session:
    """Hands out prepared clients, as boto3.session.Session.client would."""

    def __init__(self, **clients: Any) -> None:
        self.clients = clients

    def client(self, name: str, region_name: str) -> Any:
        assert region_name == REGION
        return self.clients[name]


def _create_calls(stub: Stubber, stack: str, template: dict[str, Any], outputs: dict) -> None:
    stub.add_client_error(
        "describe_stacks", "ValidationError", f"Stack with id {stack} does not exist"
    )
    stub.add_response(
        "create_change_set",
        {"Id": "cs"},
        {
            "StackName": stack,
            "ChangeSetName": ANY,
            "ChangeSetType": "CREATE",
            "Parameters": ANY,
            "Capabilities": ["CAPABILITY_IAM"],
            **template,
        },
    )
    stub.add_response("describe_change_set", {"Status": "CREATE_COMPLETE"})
    stub.add_response("execute_change_set", {})
    done = _stack("CREATE_COMPLETE", [])
    done["Stacks"][0]["Outputs"] = [{"OutputKey": k, "OutputValue": v} for k, v in outputs.items()]
    stub.add_response("describe_stacks", done)
    stub.add_response("describe_stacks", done)


@mock_aws
def test_first_deploy_creates_the_artifacts_stack_then_uploads_with_its_bucket(
    build_dir: Path,
) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET)  # what the artifacts stack would create
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    plan = make_plan("lake", REGION, read_manifest(build_dir), {"PlaylistIds": PLAYLIST}, None)
    main_key, _ = package_templates(MAIN_TEMPLATE, BUCKET, REGION)
    with Stubber(cloudformation) as stub:
        _create_calls(
            stub,
            "lake-artifacts",
            {"TemplateBody": ARTIFACTS_TEMPLATE.read_text()},
            {"ArtifactsBucketName": BUCKET},
        )
        _create_calls(
            stub,
            "lake",
            {"TemplateURL": f"https://{BUCKET}.s3.{REGION}.amazonaws.com/{main_key}"},
            {"LakeBucketName": "lake-bucket"},
        )
        outputs = execute(plan, _Session(cloudformation=cloudformation, s3=s3))
        stub.assert_no_pending_responses()
    assert outputs == {"LakeBucketName": "lake-bucket"}
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert keys == sorted(
        [a.key for a in read_manifest(build_dir)]
        + [k for k, _ in package_templates(MAIN_TEMPLATE, BUCKET, REGION)[1]]
    )
    body = s3.get_object(Bucket=BUCKET, Key=main_key)["Body"].read().decode()
    assert (
        f"TemplateURL: https://{BUCKET}.s3.{REGION}.amazonaws.com/templates/named-queries-" in body
    )
