"""The output-identity check's comparison: what it sets aside, and that it sees a change."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tools.demo_identity import compare_lakes, normalised_name, parquet_digest

PART = "part-00002-7a5dc9cb-1c18-4054-8c02-9227f24d4063.c000.snappy.parquet"
OTHER_PART = "part-00002-175c56ac-0319-4e37-9203-d4b654b5b21a.c000.snappy.parquet"
PARTITION = Path("curated/song/snapshot_date=2026-11-01")


def _lake(root: Path, part: str, names: list[str | None], raw: bytes = b"raw") -> Path:
    (root / PARTITION).mkdir(parents=True)
    pq.write_table(pa.table({"name": pa.array(names, pa.string())}), root / PARTITION / part)
    (root / PARTITION / f".{part}.crc").write_bytes(part.encode())
    key = root / "raw/playlist_snapshots/snapshot_date=2026-11-01/snapshot_hour=00/x.json.gz"
    key.parent.mkdir(parents=True)
    key.write_bytes(raw)
    return root


def test_a_part_file_is_named_by_table_partition_and_part_number() -> None:
    assert normalised_name(PARTITION / PART) == f"{PARTITION}/part-00002.c000.snappy.parquet"
    assert normalised_name(PARTITION / f".{PART}.crc") == (
        f"{PARTITION}/.part-00002.c000.snappy.parquet.crc"
    )


def test_equal_lakes_written_with_other_part_ids_are_identical(tmp_path: Path) -> None:
    base = _lake(tmp_path / "base", PART, ["a", None])
    work = _lake(tmp_path / "work", OTHER_PART, ["a", None])
    comparison = compare_lakes(base, work)
    assert comparison.identical
    assert (comparison.compared, comparison.parquet) == (2, 1)


def test_one_changed_value_makes_the_part_file_differ(tmp_path: Path) -> None:
    base = _lake(tmp_path / "base", PART, ["a", None])
    work = _lake(tmp_path / "work", PART, ["b", None])
    comparison = compare_lakes(base, work)
    assert comparison.differing == [f"{PARTITION}/part-00002.c000.snappy.parquet"]
    assert not comparison.identical


def test_a_changed_raw_object_or_a_missing_file_is_reported(tmp_path: Path) -> None:
    base = _lake(tmp_path / "base", PART, ["a"], raw=b"one")
    work = _lake(tmp_path / "work", PART, ["a"], raw=b"two")
    (work / "quarantine" / "extra.json").parent.mkdir()
    (work / "quarantine" / "extra.json").write_text("{}")
    comparison = compare_lakes(base, work)
    assert [name.split("/")[0] for name in comparison.differing] == ["raw"]
    assert comparison.only_work == ["quarantine/extra.json"]


def test_the_parquet_digest_reads_the_footer_written_by_another_writer(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"n": [1, 2]}), path)
    again = tmp_path / "again.parquet"
    pq.write_table(pa.table({"n": [1, 2]}), again)
    other = tmp_path / "b.parquet"
    pq.write_table(pa.table({"n": [1, 2]}), other, compression="gzip")
    assert parquet_digest(path) == parquet_digest(again)
    assert parquet_digest(path) != parquet_digest(other)
