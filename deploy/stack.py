"""CloudFormation through a change set: create or update a stack, wait, report its outputs."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

LOGGER = logging.getLogger("deploy")
CAPABILITIES = ("CAPABILITY_IAM",)
NO_CHANGES_REASONS = ("didn't contain changes", "No updates are to be performed")
# Stacks in these states cannot be updated; ROLLBACK_COMPLETE must be deleted first.
UNUPDATABLE_STATES = ("ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_FAILED")
# CloudFormation allows 128 characters, but the function is named `<stack>-ingest` and
# Lambda names stop at 64.
STACK_NAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,49}")
WAITER_CONFIG = {"Delay": 10, "MaxAttempts": 360}


class DeployError(RuntimeError):
    """A deployment step failed; the message says which and what to do."""


def aws_failure(error: Exception) -> DeployError:
    """An AWS SDK error (botocore) as a `DeployError` that says what to do about it."""
    name = type(error).__name__
    if name in ("NoCredentialsError", "PartialCredentialsError"):
        return DeployError(
            "no AWS credentials found: configure them (`aws configure`, `aws sso login`, or "
            "AWS_PROFILE) for the account to deploy to, then run again"
        )
    code = getattr(error, "response", {}).get("Error", {}).get("Code", "")
    if code in ("ExpiredToken", "ExpiredTokenException", "RequestExpired"):
        return DeployError(f"the AWS credentials have expired ({error}); refresh them")
    if code in ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation"):
        return DeployError(
            f"AWS refused a call: {error}; the identity running this needs the permissions "
            "listed under Prerequisites in docs/deploy.md"
        )
    return DeployError(f"AWS call failed: {error}")


@dataclass(frozen=True)
class StackRequest:
    """What to deploy: a stack, its template (an S3 URL or a small body) and parameters."""

    stack_name: str
    parameters: Mapping[str, str]
    template_url: str | None = None
    template_body: str | None = None

    def template_argument(self) -> dict[str, str]:
        """`TemplateURL` or `TemplateBody`, whichever was given."""
        if self.template_url:
            return {"TemplateURL": self.template_url}
        if self.template_body:
            return {"TemplateBody": self.template_body}
        raise DeployError(f"stack {self.stack_name}: no template given")


def validate_stack_name(name: str) -> str:
    """Check a CloudFormation stack name (letter first; letters, digits, hyphens)."""
    if not STACK_NAME_PATTERN.fullmatch(name):
        raise DeployError(
            f"stack name {name!r}: use a letter then letters, digits or hyphens, 50 at most"
        )
    return name


def stack_status(cloudformation: Any, stack_name: str) -> str | None:
    """The stack's status, or None when no such stack exists."""
    try:
        stacks = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    except cloudformation.exceptions.ClientError as error:
        if "does not exist" in str(error):
            return None
        raise
    return str(stacks[0]["StackStatus"]) if stacks else None


def _parameters(
    request: StackRequest, previous: set[str], declared: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    if not previous:
        missing = sorted(
            name
            for name, spec in declared.items()
            if "Default" not in spec and name not in request.parameters
        )
        if missing:
            wanted = " ".join(f"--parameter {name}=..." for name in missing)
            raise DeployError(f"stack {request.stack_name} is new: give {wanted}")
    # On update, a parameter the caller did not give keeps its deployed value.
    given = [{"ParameterKey": k, "ParameterValue": v} for k, v in request.parameters.items()]
    kept = [
        {"ParameterKey": key, "UsePreviousValue": True}
        for key in sorted(previous & set(declared) - set(request.parameters))
    ]
    return given + kept


def _previous_parameter_keys(cloudformation: Any, stack_name: str) -> set[str]:
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    return {item["ParameterKey"] for item in stack.get("Parameters", [])}


def deploy_stack(
    cloudformation: Any,
    request: StackRequest,
    declared_parameters: Mapping[str, Mapping[str, Any]],
    change_set_name: Callable[[], str] = lambda: f"deploy-{int(time.time())}",
) -> dict[str, str]:
    """Create or update `request.stack_name` through a change set and return its outputs.

    `declared_parameters` is the template's `Parameters` section: on creation every parameter
    without a default must be given; on update omitted ones keep their deployed values.

    Raises:
        DeployError: the stack is in a state that cannot be updated, or the change set or
            the execution failed (the message carries CloudFormation's reason).
    """
    status = stack_status(cloudformation, request.stack_name)
    if status in UNUPDATABLE_STATES:
        raise DeployError(
            f"stack {request.stack_name} is {status}: delete it (docs/deploy.md, tearing down)"
            " and deploy again"
        )
    change_set_type = "CREATE" if status is None or status == "REVIEW_IN_PROGRESS" else "UPDATE"
    previous = (
        _previous_parameter_keys(cloudformation, request.stack_name)
        if change_set_type == "UPDATE"
        else set()
    )
    name = change_set_name()
    cloudformation.create_change_set(
        StackName=request.stack_name,
        ChangeSetName=name,
        ChangeSetType=change_set_type,
        **request.template_argument(),
        Parameters=_parameters(request, previous, declared_parameters),
        Capabilities=list(CAPABILITIES),
    )
    if not _wait_change_set(cloudformation, request.stack_name, name):
        LOGGER.info("%s: no changes", request.stack_name)
        return stack_outputs(cloudformation, request.stack_name)
    cloudformation.execute_change_set(StackName=request.stack_name, ChangeSetName=name)
    waiter_name = (
        "stack_create_complete" if change_set_type == "CREATE" else "stack_update_complete"
    )
    try:
        cloudformation.get_waiter(waiter_name).wait(
            StackName=request.stack_name, WaiterConfig=WAITER_CONFIG
        )
    except Exception as error:
        raise DeployError(
            f"stack {request.stack_name} did not reach {change_set_type} complete: {error}; "
            "see its events in the CloudFormation console"
        ) from error
    LOGGER.info("%s: %s complete", request.stack_name, change_set_type.lower())
    return stack_outputs(cloudformation, request.stack_name)


def _wait_change_set(cloudformation: Any, stack_name: str, name: str) -> bool:
    """Wait for the change set; False when it holds no changes (it is deleted then)."""
    while True:
        answer = cloudformation.describe_change_set(StackName=stack_name, ChangeSetName=name)
        status, reason = answer["Status"], answer.get("StatusReason", "")
        if status == "CREATE_COMPLETE":
            for change in answer.get("Changes", []):
                item = change.get("ResourceChange", {})
                LOGGER.info(
                    "  %s %s (%s)",
                    item.get("Action"),
                    item.get("LogicalResourceId"),
                    item.get("ResourceType"),
                )
            return True
        if status == "FAILED":
            if any(text in reason for text in NO_CHANGES_REASONS):
                cloudformation.delete_change_set(StackName=stack_name, ChangeSetName=name)
                return False
            raise DeployError(f"change set {name} for {stack_name} failed: {reason}")
        time.sleep(WAITER_CONFIG["Delay"] / 5)


def stack_outputs(cloudformation: Any, stack_name: str) -> dict[str, str]:
    """The stack's outputs as a name -> value mapping."""
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    return {item["OutputKey"]: item["OutputValue"] for item in stack.get("Outputs", [])}
