"""Where snapshots are written on AWS: S3, under raw keys only; a write overwrites.

The local writer (a lake folder, the same keys) is `spotify_etl.local_stores`: it never ships.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any, Protocol

from ingest_lambda.keys import RAW_SNAPSHOTS_PREFIX

CONTENT_TYPE = "application/json"
CONTENT_ENCODING = "gzip"


class Writer(Protocol):
    """Stores one object under a lake key, replacing any previous one (idempotent)."""

    def write(self, key: str, body: bytes) -> str:
        """Store `body` at `key`; return where it went (an s3:// URI or a path)."""
        ...


def check_key(key: str) -> str:
    """`key` if it is a relative key under the raw snapshots prefix, else ValueError."""
    parts = PurePosixPath(key).parts
    if not key.startswith(RAW_SNAPSHOTS_PREFIX) or ".." in parts or key.startswith("/"):
        raise ValueError(f"refusing to write outside {RAW_SNAPSHOTS_PREFIX}: {key!r}")
    return key


class S3Writer:
    """Writes to the lake bucket with `PutObject` (overwrites: a retry leaves one object)."""

    def __init__(self, client: Any, bucket: str) -> None:
        """Use `client` (a boto3 S3 client) on `bucket`."""
        self._client = client
        self.bucket = bucket

    def write(self, key: str, body: bytes) -> str:
        """Put `body` at `key` as gzip-encoded JSON."""
        self._client.put_object(
            Bucket=self.bucket,
            Key=check_key(key),
            Body=body,
            ContentType=CONTENT_TYPE,
            ContentEncoding=CONTENT_ENCODING,
        )
        return f"s3://{self.bucket}/{key}"
