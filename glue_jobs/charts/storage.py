"""The lake's object storage behind one small interface: a local folder or an S3 prefix."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from glue_jobs.charts.config import S3_SCHEME


@dataclass(frozen=True)
class ObjectInfo:
    """A stored object: its key under the lake root and a fingerprint that changes with it."""

    key: str
    size: int
    fingerprint: str


class Storage(Protocol):
    """What the job needs from storage besides Spark's own reads and writes."""

    def list_objects(self, prefix: str) -> Iterator[ObjectInfo]:
        """Every object whose key starts with `prefix` (a folder prefix ending in '/')."""
        ...

    def read_bytes(self, key: str) -> bytes | None:
        """The object's bytes, or None when it does not exist."""
        ...

    def write_bytes(self, key: str, data: bytes) -> None:
        """Create or replace an object."""
        ...

    def copy(self, source_key: str, target_key: str) -> None:
        """Copy an object within the lake (the source is left untouched)."""
        ...

    def delete_prefix(self, prefix: str) -> None:
        """Delete every object whose key starts with `prefix`."""
        ...

    def replace(self, source_key: str, target_key: str) -> None:
        """Put the source object at `target_key` in one atomic step: a reader of the target
        sees the old object or the new one, never none and never part of one."""
        ...

    def delete(self, key: str) -> None:
        """Delete one object (nothing happens when it does not exist)."""
        ...

    def uri(self, key: str) -> str:
        """The path Spark uses for a key (a local path or an s3:// URI)."""
        ...


class LocalStorage:
    """A lake in a local folder (the local run and the tests)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def list_objects(self, prefix: str) -> Iterator[ObjectInfo]:
        """Walk the folder; the fingerprint is size and mtime (a rewrite changes it)."""
        base = self.root / prefix
        if not base.is_dir():
            return
        for folder, dirs, files in os.walk(base):
            dirs.sort()
            for name in sorted(files):
                path = Path(folder) / name
                stat = path.stat()
                key = path.relative_to(self.root).as_posix()
                yield ObjectInfo(key, stat.st_size, f"{stat.st_size}:{stat.st_mtime_ns}")

    def read_bytes(self, key: str) -> bytes | None:
        """Read a file, or None when it is missing."""
        path = self.root / key
        return path.read_bytes() if path.is_file() else None

    def write_bytes(self, key: str, data: bytes) -> None:
        """Write through a temporary file so a crash never leaves half a file."""
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_bytes(data)
        partial.replace(path)

    def copy(self, source_key: str, target_key: str) -> None:
        """Copy a file, creating the target's folders."""
        target = self.root / target_key
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.root / source_key, target)

    def delete_prefix(self, prefix: str) -> None:
        """Remove the files and folders whose path starts with `prefix`."""
        folder, _, start = prefix.rpartition("/")
        parent = self.root / folder
        if not parent.is_dir():
            return
        for child in parent.iterdir():
            if not child.name.startswith(start):
                continue
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()

    def replace(self, source_key: str, target_key: str) -> None:
        """Rename over the target (`os.replace`: atomic on one file system)."""
        target = self.root / target_key
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.root / source_key, target)

    def delete(self, key: str) -> None:
        """Remove one file."""
        (self.root / key).unlink(missing_ok=True)

    def uri(self, key: str) -> str:
        """The absolute local path."""
        return str((self.root / key).resolve())


class S3Storage:
    """A lake under `s3://bucket[/prefix]` (the Glue job); boto3 is imported only here."""

    def __init__(self, bucket: str, prefix: str = "", client: Any = None) -> None:
        if client is None:
            import boto3

            client = boto3.client("s3")
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self.client = client

    def list_objects(self, prefix: str) -> Iterator[ObjectInfo]:
        """List with the paginator (1,000 keys per request); the fingerprint is the ETag."""
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
            for item in page.get("Contents", []):
                key = item["Key"][len(self.prefix) :]
                yield ObjectInfo(key, int(item["Size"]), f"{item['Size']}:{item['ETag']}")

    def read_bytes(self, key: str) -> bytes | None:
        """GET an object, or None on NoSuchKey."""
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)
        except self.client.exceptions.NoSuchKey:
            return None
        return bytes(response["Body"].read())

    def write_bytes(self, key: str, data: bytes) -> None:
        """PUT an object (atomic in S3)."""
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=data)

    def copy(self, source_key: str, target_key: str) -> None:
        """Server-side copy."""
        self.client.copy_object(
            Bucket=self.bucket,
            Key=self.prefix + target_key,
            CopySource={"Bucket": self.bucket, "Key": self.prefix + source_key},
        )

    def delete_prefix(self, prefix: str) -> None:
        """Delete listed keys in batches of 1,000 (the DeleteObjects limit)."""
        keys = [info.key for info in self.list_objects(prefix)]
        for start in range(0, len(keys), 1000):
            batch = [{"Key": self.prefix + key} for key in keys[start : start + 1000]]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch})

    def replace(self, source_key: str, target_key: str) -> None:
        """Server-side copy over the target: S3 replaces an object atomically (the source is
        left for the caller to delete with its folder)."""
        self.copy(source_key, target_key)

    def delete(self, key: str) -> None:
        """DELETE one object."""
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)

    def uri(self, key: str) -> str:
        """`s3://bucket/prefix/key`."""
        return f"{S3_SCHEME}{self.bucket}/{self.prefix}{key}"


def storage_for(lake_root: str, s3_client: Any = None) -> Storage:
    """The storage for a lake root: S3Storage for `s3://...`, LocalStorage otherwise."""
    if lake_root.startswith(S3_SCHEME):
        bucket, _, prefix = lake_root[len(S3_SCHEME) :].partition("/")
        return S3Storage(bucket, prefix, s3_client)
    return LocalStorage(Path(lake_root))
