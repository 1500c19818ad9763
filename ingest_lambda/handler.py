"""AWS Lambda entry point: parse the event, use clients built once per cold start, delegate."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import boto3

from ingest_lambda.core import ingest_hour, raise_for_failures
from ingest_lambda.errors import IngestError
from ingest_lambda.event import parse_event
from ingest_lambda.logs import LOG_LEVELS, configure_logging
from ingest_lambda.retry import Deadline, LambdaContext
from ingest_lambda.runtime import Runtime, build_runtime
from ingest_lambda.secrets import SecretsManagerStore
from ingest_lambda.settings import load_settings
from ingest_lambda.storage import S3Writer
from ingest_lambda.token_age import log_refresh_token_age

LOGGER = logging.getLogger("ingest_lambda.handler")
# Set by the Lambda service; the refresh-token metric's dimension.
FUNCTION_NAME_VARIABLE = "AWS_LAMBDA_FUNCTION_NAME"


def utc_now() -> datetime:
    """The wall clock."""
    return datetime.now(UTC)


def build_aws_runtime(environ: Mapping[str, str], session: boto3.session.Session) -> Runtime:
    """The runtime from the function's environment and `session`'s Secrets Manager and S3
    clients; the secret is read here."""
    # Logging first, so that even a settings error reaches CloudWatch as a JSON line.
    level = environ.get("LOG_LEVEL", "")
    configure_logging(level if level in LOG_LEVELS else "INFO")
    settings = load_settings(environ)
    configure_logging(settings.log_level)
    store = SecretsManagerStore(session.client("secretsmanager"), settings.secret_id)
    writer = S3Writer(session.client("s3"), settings.lake_bucket)
    return build_runtime(settings, store, writer)


@functools.cache
def cold_start_runtime() -> Runtime:
    """The container's runtime, built on its first invocation (once per cold start)."""
    return build_aws_runtime(os.environ, boto3.session.Session())


def lambda_handler(event: Any, context: LambdaContext) -> dict[str, Any]:
    """Land one snapshot per chart for the event's scheduled hour; raise if any failed."""
    return invoke(event, context, cold_start_runtime)


def invoke(
    event: Any,
    context: LambdaContext,
    get_runtime: Callable[[], Runtime],
    clock: Callable[[], datetime] = utc_now,
) -> dict[str, Any]:
    """The handler with its runtime and clock passed in (the tests and the benchmark pass
    their own; `lambda_handler` passes the cold start's and the wall clock).

    A failure, even building the runtime, is logged as one `invocation failed` line, then raised.
    """
    try:
        return handle(event, context, get_runtime(), clock)
    except IngestError as error:
        LOGGER.error("invocation failed", extra={"error_code": error.code, "error": str(error)})
        raise


def handle(
    event: Any, context: LambdaContext, current: Runtime, clock: Callable[[], datetime]
) -> dict[str, Any]:
    """The handler's work: event, refresh-token age, core, summary."""
    now = clock()
    request = parse_event(
        event,
        current.settings.playlist_ids,
        now=now,
        default_top_tracks=current.settings.top_tracks_time_ranges,
    )
    age = current.refresh_token_age(now)
    if age is not None:
        log_refresh_token_age(
            age, current.store.fix_command, LOGGER, os.environ.get(FUNCTION_NAME_VARIABLE)
        )
    summary = ingest_hour(
        request.playlist_ids,
        snapshot_ts=request.snapshot_ts,
        source=current.source,
        writer=current.writer,
        clock=clock,
        deadline=Deadline.from_lambda_context(context),
        labels=current.labels,
        top_tracks=request.top_tracks,
    )
    result = summary.as_dict()
    LOGGER.info("invocation finished", extra={"summary": result})
    raise_for_failures(summary)
    return result
