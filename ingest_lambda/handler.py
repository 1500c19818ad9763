"""AWS Lambda entry point: parse the event, use clients built once per cold start, delegate."""

from __future__ import annotations

import functools
import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3

from ingest_lambda.core import SnapshotLabels, ingest_hour, raise_for_failures
from ingest_lambda.envelope import SOURCE_FAKE, SOURCE_SPOTIFY
from ingest_lambda.errors import IngestError
from ingest_lambda.event import parse_event
from ingest_lambda.logs import LOG_LEVELS, configure_logging
from ingest_lambda.retry import Deadline, LambdaContext, RetryPolicy
from ingest_lambda.secrets import SecretsManagerStore
from ingest_lambda.settings import Settings, load_settings
from ingest_lambda.source import ChartSource, build_spotipy_source
from ingest_lambda.storage import S3Writer, Writer

LOGGER = logging.getLogger("ingest_lambda.handler")


def utc_now() -> datetime:
    """The wall clock (tests replace it to get byte-identical snapshots)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Runtime:
    """Everything built once per cold start: settings, the API source, the S3 writer."""

    settings: Settings
    source: ChartSource
    writer: Writer
    labels: SnapshotLabels


@functools.cache
def runtime() -> Runtime:
    """Build the runtime on first use; the secret is read here, once per cold start."""
    # Logging first, so that even a settings error reaches CloudWatch as a JSON line.
    level = os.environ.get("LOG_LEVEL", "")
    configure_logging(level if level in LOG_LEVELS else "INFO")
    settings = load_settings(os.environ)
    configure_logging(settings.log_level)
    session = boto3.session.Session()
    store = SecretsManagerStore(session.client("secretsmanager"), settings.secret_id)
    source = build_spotipy_source(
        store=store,
        mode=settings.auth_mode,
        api_base_url=settings.api_base_url,
        token_url=settings.token_url,
        market=settings.market,
        policy=RetryPolicy(
            request_timeout_s=settings.request_timeout_s, margin_s=settings.deadline_margin_s
        ),
        sleep=time.sleep,
    )
    labels = SnapshotLabels(
        source=SOURCE_FAKE if settings.uses_fake else SOURCE_SPOTIFY,
        api_profile=settings.api_profile,
        market=settings.market,
    )
    writer = S3Writer(session.client("s3"), settings.lake_bucket)
    return Runtime(settings=settings, source=source, writer=writer, labels=labels)


def lambda_handler(event: Any, context: LambdaContext) -> dict[str, Any]:
    """Land one snapshot per chart for the event's scheduled hour; raise if any failed."""
    try:
        return handle(event, context)
    except IngestError as error:
        LOGGER.error("invocation failed", extra={"error_code": error.code, "error": str(error)})
        raise


def handle(event: Any, context: LambdaContext) -> dict[str, Any]:
    """The handler's work: settings, event, core, summary."""
    current = runtime()
    request = parse_event(
        event,
        current.settings.playlist_ids,
        now=utc_now(),
        default_top_tracks=current.settings.top_tracks_time_ranges,
    )
    summary = ingest_hour(
        request.playlist_ids,
        snapshot_ts=request.snapshot_ts,
        source=current.source,
        writer=current.writer,
        clock=utc_now,
        deadline=Deadline.from_lambda_context(context),
        labels=current.labels,
        top_tracks=request.top_tracks,
    )
    result = summary.as_dict()
    LOGGER.info("invocation finished", extra={"summary": result})
    raise_for_failures(summary)
    return result
