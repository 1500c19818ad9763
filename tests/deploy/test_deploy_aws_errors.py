"""AWS SDK failures reach the user as one `<tool>: error:` line that says what to do."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, NoCredentialsError

from deploy import deploy, first_run, teardown
from deploy.stack import aws_failure


def _client_error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "nope"}}, "CreateStack")


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            NoCredentialsError(),
            "no AWS credentials found: configure them (`aws configure`, `aws sso login`, or "
            "AWS_PROFILE) for the account to deploy to, then run again",
        ),
        (
            _client_error("ExpiredToken"),
            "the AWS credentials have expired (An error occurred (ExpiredToken) when calling "
            "the CreateStack operation: nope); refresh them",
        ),
        (
            _client_error("AccessDenied"),
            "AWS refused a call: An error occurred (AccessDenied) when calling the CreateStack "
            "operation: nope; the identity running this needs the permissions listed under "
            "Prerequisites in docs/deploy.md",
        ),
        (
            _client_error("Throttling"),
            "AWS call failed: An error occurred (Throttling) when calling the CreateStack "
            "operation: nope",
        ),
    ],
)
def test_aws_failure_says_what_to_do(error: Exception, message: str) -> None:
    assert str(aws_failure(error)) == message


def _raise_no_credentials(*_args: Any, **_kwargs: Any) -> Any:
    raise NoCredentialsError()


@pytest.mark.parametrize(
    ("module", "function", "argv", "prefix"),
    [
        (
            deploy,
            "execute",
            ["--skip-build", "--region", "eu-west-1"],
            "deploy: error: no AWS credentials found",
        ),
        (first_run, "first_run", ["--region", "eu-west-1"], "first run: error: no AWS credentials"),
        (
            teardown,
            "teardown",
            ["--region", "eu-west-1", "--yes"],
            "teardown: error: no AWS credentials found",
        ),
    ],
)
def test_tools_exit_2_without_a_traceback_when_credentials_are_missing(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    module: Any,
    function: str,
    argv: list[str],
    prefix: str,
) -> None:
    monkeypatch.setattr(module, function, _raise_no_credentials)
    if module is deploy:
        monkeypatch.setattr(deploy, "read_manifest", lambda _build_dir: [])
        monkeypatch.setattr(deploy, "make_plan", lambda *_args: object())
    assert module.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(prefix)
    assert "Traceback" not in err
