"""Structured JSON logs: one JSON object per line, with the ids passed as `extra` fields."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

LOGGER_NAME = "ingest_lambda"
# The one private-looking field kept: CloudWatch reads metrics from a line's `_aws` member.
EMF_KEY = "_aws"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# spotipy logs request headers (the bearer token) at DEBUG: keep it quieter than that always.
NOISY_LOGGERS = ("spotipy", "urllib3", "botocore", "boto3")
_STANDARD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Format a record as compact JSON: time, level, logger, message and every `extra` field."""

    def format(self, record: logging.LogRecord) -> str:
        """Render `record` as one JSON line."""
        document: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in record.__dict__.items():
            if name not in _STANDARD_ATTRIBUTES and (not name.startswith("_") or name == EMF_KEY):
                document[name] = value
        if record.exc_info:
            document["exception"] = self.formatException(record.exc_info)
        return json.dumps(document, default=str, separators=(",", ":"))


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> logging.Logger:
    """Send the `ingest_lambda` logs as JSON lines to `stream` (stdout: CloudWatch) at `level`."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(level)
    for handler in list(logger.handlers):
        if isinstance(handler.formatter, JsonFormatter):
            # Replaced, not reused: stdout may have been swapped (the CLI, a test's capture).
            logger.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    # Lambda's runtime puts its own handler on the root logger: do not print twice.
    logger.propagate = False
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return logger
