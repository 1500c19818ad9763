"""One-command deployment: build, upload by content hash, create or update the stacks."""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deploy.cfn_yaml import TEMPLATES_DIR, load_template
from deploy.package import DEFAULT_BUILD_DIR, Artifact, build_all, read_manifest
from deploy.parameters import check_parameter_values
from deploy.stack import (
    DeployError,
    StackRequest,
    aws_failure,
    deploy_stack,
    validate_stack_name,
)

LOGGER = logging.getLogger("deploy")
MAIN_TEMPLATE = TEMPLATES_DIR / "lake.yaml"
ARTIFACTS_TEMPLATE = TEMPLATES_DIR / "artifacts.yaml"
DEFAULT_STACK_NAME = "spotify-charts-lake"
ARTIFACTS_STACK_SUFFIX = "-artifacts"
BUCKET_PLACEHOLDER = "<artifacts bucket from stack {stack}>"
# `TemplateURL: named-queries.yaml`: a nested template given as a path next to the parent.
LOCAL_TEMPLATE_URL = re.compile(
    r"^(?P<indent>\s*TemplateURL:\s*)(?P<path>[\w./-]+\.yaml)\s*$", re.M
)
ARTIFACT_PARAMETERS = {
    "lambda": "LambdaCodeKey",
    "glue_script": "GlueScriptKey",
    "glue_package": "GluePackageKey",
}
HASH_CHARS = 16


@dataclass
class Plan:
    """Everything a deployment does, computed without calling AWS."""

    stack_name: str
    region: str
    artifacts_bucket: str
    create_artifacts_stack: bool
    uploads: list[tuple[str, bytes]] = field(default_factory=list)
    main_template_key: str = ""
    parameters: dict[str, str] = field(default_factory=dict)

    def template_url(self) -> str:
        """HTTPS URL of the packaged main template."""
        return s3_url(self.artifacts_bucket, self.region, self.main_template_key)


def s3_url(bucket: str, region: str, key: str) -> str:
    """The virtual-hosted HTTPS URL CloudFormation reads a template from."""
    return f"https://{bucket}.s3.{region}.amazonaws.com/{key}"


def _hashed_key(prefix: str, stem: str, body: bytes) -> str:
    return f"{prefix}/{stem}-{hashlib.sha256(body).hexdigest()[:HASH_CHARS]}.yaml"


def package_templates(main: Path, bucket: str, region: str) -> tuple[str, list[tuple[str, bytes]]]:
    """Upload list for `main` and its local nested templates, with their URLs substituted.

    Returns:
        The main template's key and every (key, body) to upload, nested ones first.
    """
    uploads: list[tuple[str, bytes]] = []

    def substitute(match: re.Match[str]) -> str:
        nested = main.parent / match["path"]
        if not nested.exists():
            raise DeployError(f"{main}: nested template {nested} not found")
        body = nested.read_bytes()
        key = _hashed_key("templates", nested.stem, body)
        uploads.append((key, body))
        return match["indent"] + s3_url(bucket, region, key)

    text = LOCAL_TEMPLATE_URL.sub(substitute, main.read_text(encoding="utf-8"))
    body = text.encode("utf-8")
    key = _hashed_key("templates", main.stem, body)
    uploads.append((key, body))
    return key, uploads


def parse_parameters(pairs: Sequence[str], declared: set[str]) -> dict[str, str]:
    """`KEY=VALUE` strings into a dict, refusing unknown or artifact-managed keys."""
    parameters: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise DeployError(f"--parameter {pair!r}: write KEY=VALUE, e.g. PlaylistIds=<id>")
        if key not in declared:
            raise DeployError(
                f"--parameter {key}: not a parameter of {MAIN_TEMPLATE.name}; "
                f"choose from {', '.join(sorted(declared))}"
            )
        if key in ARTIFACT_PARAMETERS.values() or key == "ArtifactsBucket":
            raise DeployError(f"--parameter {key}: set by the deployment itself")
        parameters[key] = value
    return parameters


def read_parameters_file(path: Path | None) -> list[str]:
    """`KEY=VALUE` strings from a JSON object file (none when no file is given)."""
    if path is None:
        return []
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise DeployError(f"--parameters-file {path}: {error}") from error
    if not isinstance(document, dict):
        raise DeployError(f"--parameters-file {path}: write one JSON object of KEY: VALUE")
    return [f"{key}={value}" for key, value in document.items()]


def make_plan(
    stack_name: str,
    region: str,
    artifacts: Sequence[Artifact],
    user_parameters: dict[str, str],
    artifacts_bucket: str | None,
) -> Plan:
    """Compute uploads and parameters; the bucket may be a placeholder until it exists."""
    bucket = artifacts_bucket or BUCKET_PLACEHOLDER.format(
        stack=stack_name + ARTIFACTS_STACK_SUFFIX
    )
    plan = Plan(stack_name, region, bucket, create_artifacts_stack=artifacts_bucket is None)
    by_name = {artifact.name: artifact for artifact in artifacts}
    for artifact in artifacts:
        plan.uploads.append((artifact.key, Path(artifact.path).read_bytes()))
    plan.main_template_key, template_uploads = package_templates(MAIN_TEMPLATE, bucket, region)
    plan.uploads.extend(template_uploads)
    plan.parameters = {
        **user_parameters,
        "ArtifactsBucket": bucket,
        **{param: by_name[name].key for name, param in ARTIFACT_PARAMETERS.items()},
    }
    return plan


def describe(plan: Plan) -> list[str]:
    """The plan as the lines `--dry-run` prints, in execution order."""
    lines = []
    if plan.create_artifacts_stack:
        lines.append(
            f"stack {plan.stack_name}{ARTIFACTS_STACK_SUFFIX}: create or update from "
            f"{ARTIFACTS_TEMPLATE.relative_to(TEMPLATES_DIR.parent)} ({plan.region})"
        )
    for key, body in plan.uploads:
        digest = hashlib.sha256(body).hexdigest()
        lines.append(
            f"upload s3://{plan.artifacts_bucket}/{key} ({len(body)} bytes, sha256 {digest})"
        )
    lines.append(f"stack {plan.stack_name}: change set from {plan.template_url()} ({plan.region})")
    lines.extend(f"  {key}={value}" for key, value in sorted(plan.parameters.items()))
    return lines


def upload(s3: Any, bucket: str, uploads: Sequence[tuple[str, bytes]]) -> None:
    """Put each object unless its content-hash key is already there."""
    for key, body in uploads:
        try:
            s3.head_object(Bucket=bucket, Key=key)
            LOGGER.info("unchanged s3://%s/%s", bucket, key)
            continue
        except s3.exceptions.ClientError as error:
            if error.response["Error"]["Code"] not in ("404", "NoSuchKey", "NotFound"):
                raise
        s3.put_object(Bucket=bucket, Key=key, Body=body)
        LOGGER.info("uploaded s3://%s/%s", bucket, key)


def execute(plan: Plan, session: Any) -> dict[str, str]:
    """Run the plan against AWS and return the main stack's outputs."""
    cloudformation = session.client("cloudformation", region_name=plan.region)
    if plan.create_artifacts_stack:
        outputs = deploy_stack(
            cloudformation,
            StackRequest(
                stack_name=plan.stack_name + ARTIFACTS_STACK_SUFFIX,
                parameters={},
                template_body=ARTIFACTS_TEMPLATE.read_text(encoding="utf-8"),
            ),
            declared_parameters=load_template(ARTIFACTS_TEMPLATE).get("Parameters", {}),
        )
        bucket = outputs["ArtifactsBucketName"]
        placeholder = plan.artifacts_bucket
        plan = _with_bucket(plan, bucket, placeholder)
    upload(session.client("s3", region_name=plan.region), plan.artifacts_bucket, plan.uploads)
    return deploy_stack(
        cloudformation,
        StackRequest(plan.stack_name, plan.parameters, template_url=plan.template_url()),
        declared_parameters=load_template(MAIN_TEMPLATE)["Parameters"],
    )


def _with_bucket(plan: Plan, bucket: str, placeholder: str) -> Plan:
    """The plan with the artifacts bucket known: template URLs and keys recomputed."""
    key, template_uploads = package_templates(MAIN_TEMPLATE, bucket, plan.region)
    artifact_uploads = [item for item in plan.uploads if not item[0].startswith("templates/")]
    parameters = {k: (bucket if v == placeholder else v) for k, v in plan.parameters.items()}
    return Plan(
        plan.stack_name,
        plan.region,
        bucket,
        create_artifacts_stack=False,
        uploads=artifact_uploads + template_uploads,
        main_template_key=key,
        parameters=parameters,
    )


def build_parser() -> argparse.ArgumentParser:
    """The command line of `python -m deploy.deploy`."""
    parser = argparse.ArgumentParser(prog="python -m deploy.deploy", description=__doc__)
    parser.add_argument("--stack-name", default=DEFAULT_STACK_NAME)
    parser.add_argument(
        "--region",
        default=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"),
        help="AWS region (default: $AWS_REGION or $AWS_DEFAULT_REGION)",
    )
    parser.add_argument(
        "--artifacts-bucket",
        help="existing bucket for code and templates (default: a '<stack>-artifacts' stack)",
    )
    parser.add_argument(
        "--parameter",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a lake.yaml parameter, repeatable (on update, omitted ones keep their value)",
    )
    parser.add_argument(
        "--parameters-file",
        type=Path,
        help='JSON object of lake.yaml parameters, e.g. {"PlaylistIds": "..."}; '
        "--parameter wins over it",
    )
    parser.add_argument(
        "--build-dir",
        type=Path,
        default=DEFAULT_BUILD_DIR,
        help="where `make package` put the artifacts (default: build/deploy in the repository)",
    )
    parser.add_argument(
        "--skip-build", action="store_true", help="deploy the last `make package` output"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would happen; call no AWS API"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Deploy (or with --dry-run describe) the lake; exit 2 on a usage or deployment error."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        if not args.region:
            raise DeployError("no region: pass --region or set AWS_REGION")
        validate_stack_name(args.stack_name)
        specs = load_template(MAIN_TEMPLATE)["Parameters"]
        parameters = parse_parameters(
            [*read_parameters_file(args.parameters_file), *args.parameter], set(specs)
        )
        check_parameter_values(parameters, specs)
        artifacts = read_manifest(args.build_dir) if args.skip_build else build_all(args.build_dir)
        plan = make_plan(args.stack_name, args.region, artifacts, parameters, args.artifacts_bucket)
        if args.dry_run:
            print("\n".join(describe(plan)))  # noqa: T201
            return 0
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            outputs = execute(plan, boto3.session.Session())
        except (BotoCoreError, ClientError) as error:
            raise aws_failure(error) from error
    except (DeployError, FileNotFoundError, RuntimeError) as error:
        print(f"deploy: error: {error}", file=sys.stderr)  # noqa: T201
        return 2
    for key, value in sorted(outputs.items()):
        print(f"{key}={value}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
