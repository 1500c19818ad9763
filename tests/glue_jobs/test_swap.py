"""Publishing a staged partition: at every step a reader finds the old file or the new one."""

from __future__ import annotations

from typing import Any

from glue_jobs.charts.storage import Storage
from glue_jobs.charts.swap import publish_partition

STAGED = "curated/song/.charts-staging-run1/snapshot_date=2026-11-25/"
FINAL = "curated/song/snapshot_date=2026-11-25/"
PUBLISHED = f"{FINAL}part-00000.snappy.parquet"


class Watched:
    """A storage that, after each change, records what a reader of FINAL would find."""

    def __init__(self, inner: Storage) -> None:
        self.inner = inner
        self.seen: list[dict[str, bytes | None]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def _look(self) -> None:
        files = [i.key for i in self.inner.list_objects(FINAL) if i.key.endswith(".parquet")]
        self.seen.append({key: self.inner.read_bytes(key) for key in files})

    def replace(self, source_key: str, target_key: str) -> None:
        self.inner.replace(source_key, target_key)
        self._look()

    def delete(self, key: str) -> None:
        self.inner.delete(key)
        self._look()


def test_a_published_partition_is_replaced_in_one_step(storage: Storage) -> None:
    storage.write_bytes(PUBLISHED, b"old rows")
    storage.write_bytes(f"{STAGED}part-00000-abc.c000.snappy.parquet", b"new rows")
    storage.write_bytes(f"{STAGED}.part-00000-abc.c000.snappy.parquet.crc", b"checksum")
    watched = Watched(storage)
    publish_partition(watched, STAGED, FINAL)  # type: ignore[arg-type]
    assert watched.seen == [{PUBLISHED: b"new rows"}]  # no moment without rows, or with both
    assert [info.key for info in storage.list_objects(FINAL)] == [PUBLISHED]


def test_a_partition_of_spark_s_older_layout_is_never_empty(storage: Storage) -> None:
    # What Spark's dynamic overwrite left: a file named per run, and its checksum.
    old = f"{FINAL}part-00000-0f0f.c000.snappy.parquet"
    storage.write_bytes(old, b"old rows")
    storage.write_bytes(f"{FINAL}.part-00000-0f0f.c000.snappy.parquet.crc", b"checksum")
    storage.write_bytes(f"{STAGED}part-00000-abc.c000.snappy.parquet", b"new rows")
    watched = Watched(storage)
    publish_partition(watched, STAGED, FINAL)  # type: ignore[arg-type]
    # Once, on the first run after the change: both files for a moment, never none.
    assert watched.seen[0] == {old: b"old rows", PUBLISHED: b"new rows"}
    assert watched.seen[-1] == {PUBLISHED: b"new rows"}
    assert all(seen for seen in watched.seen)
    assert [info.key for info in storage.list_objects(FINAL)] == [PUBLISHED]


def test_a_new_partition_appears_whole(storage: Storage) -> None:
    storage.write_bytes(f"{STAGED}part-00000-abc.c000.snappy.parquet", b"new rows")
    publish_partition(storage, STAGED, FINAL)
    assert storage.read_bytes(PUBLISHED) == b"new rows"
