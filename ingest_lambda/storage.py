"""Where snapshots are written: S3 in AWS, a folder locally; the same keys, writes overwrite."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from ingest_lambda.keys import RAW_SNAPSHOTS_PREFIX

CONTENT_TYPE = "application/json"
CONTENT_ENCODING = "gzip"
# mkstemp creates 600; snapshots are data, not secrets.
SNAPSHOT_FILE_MODE = 0o644
# Where a local write is assembled before its rename: in the lake (one file system, so the
# rename is atomic) but outside the snapshots' prefix, so a write killed half-way leaves
# nothing the Glue job lists (it would be quarantined there as a bad key).
PARTIAL_FOLDER = "raw/.partial"


class Writer(Protocol):
    """Stores one object under a lake key, replacing any previous one (idempotent)."""

    def write(self, key: str, body: bytes) -> str:
        """Store `body` at `key`; return where it went (an s3:// URI or a path)."""
        ...


def _check_key(key: str) -> str:
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
            Key=_check_key(key),
            Body=body,
            ContentType=CONTENT_TYPE,
            ContentEncoding=CONTENT_ENCODING,
        )
        return f"s3://{self.bucket}/{key}"


class LocalWriter:
    """Writes under a local lake folder, atomically (a reader never sees half a file)."""

    def __init__(self, root: Path) -> None:
        """Use the lake folder `root`."""
        self.root = root

    def write(self, key: str, body: bytes) -> str:
        """Write `body` to `<root>/<key>`, replacing any previous file with other bytes."""
        target = self.root / _check_key(key)
        if _holds(target, body):
            # S3 keeps the ETag of an object rewritten with the same bytes, so the Glue job sees
            # no change; locally its fingerprint is size and mtime, which only a skip keeps.
            return str(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = self.root / PARTIAL_FOLDER
        partial.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=partial, prefix=".tmp-")
        try:
            os.chmod(temporary, SNAPSHOT_FILE_MODE)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(body)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return str(target)


def _holds(path: Path, body: bytes) -> bool:
    """Whether the file at `path` exists and holds exactly `body`."""
    try:
        return path.stat().st_size == len(body) and path.read_bytes() == body
    except FileNotFoundError:
        return False
