"""Files and bytes per curated table, and the row counts the three ways are checked on."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import duckdb

from glue_jobs.charts.schemas import CURATED_TABLES, PARTITION_COLUMN

PARQUET_SUFFIX = ".parquet"


def table_layout(table_dir: Path) -> dict[str, int]:
    """Data files, bytes and partitions of one table folder (hidden and marker files excluded)."""
    files = [
        path
        for path in table_dir.rglob(f"*{PARQUET_SUFFIX}")
        if not any(part.startswith((".", "_")) for part in path.relative_to(table_dir).parts)
    ]
    per_partition = Counter(path.parent for path in files)
    return {
        "files": len(files),
        "bytes": sum(path.stat().st_size for path in files),
        "partitions": len(per_partition),
        "max_files_per_partition": max(per_partition.values(), default=0),
    }


def curated_layout(curated: Path) -> dict[str, dict[str, int]]:
    """`table_layout` of every declared table under `curated`."""
    return {table: table_layout(curated / table) for table in CURATED_TABLES}


def row_counts(curated: Path) -> dict[str, int]:
    """Rows per table, read back from the Parquet files (not from any run's own summary)."""
    counts: dict[str, int] = {}
    con = duckdb.connect()
    try:
        for table in CURATED_TABLES:
            pattern = curated / table / f"{PARTITION_COLUMN}=*" / f"*{PARQUET_SUFFIX}"
            counts[table] = con.execute(
                "SELECT count(*) FROM read_parquet(?, hive_partitioning = false)", [str(pattern)]
            ).fetchall()[0][0]
    finally:
        con.close()
    return counts


class RowCountMismatchError(AssertionError):
    """Two ways of building the tables disagree on how many rows a table has."""


def check_equal_counts(reference: str, counts_by_way: dict[str, dict[str, Any]]) -> None:
    """Raise unless every way has exactly the reference way's row count in every table."""
    expected = counts_by_way[reference]
    problems = [
        f"{table}: {way} has {counts.get(table)} rows, {reference} has {expected[table]}"
        for way, counts in counts_by_way.items()
        for table in CURATED_TABLES
        if counts.get(table) != expected.get(table)
    ]
    if problems:
        raise RowCountMismatchError("row counts differ:\n  " + "\n  ".join(problems))


def differing_rows(left: Path, right: Path, table: str) -> tuple[int, int]:
    """Rows of `table` only in `left` and only in `right` (whole rows, declared column order)."""
    columns = ", ".join(field.name for field in CURATED_TABLES[table].fields)
    pattern = f"{PARTITION_COLUMN}=*/*{PARQUET_SUFFIX}"
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        for name, root in (("left_rows", left), ("right_rows", right)):
            con.execute(
                f"CREATE TEMP VIEW {name} AS SELECT {columns} FROM read_parquet("
                f"'{root / table / pattern}', hive_partitioning = true)"
            )
        only_left = con.execute(
            "SELECT count(*) FROM (FROM left_rows EXCEPT ALL FROM right_rows)"
        ).fetchall()[0][0]
        only_right = con.execute(
            "SELECT count(*) FROM (FROM right_rows EXCEPT ALL FROM left_rows)"
        ).fetchall()[0][0]
    finally:
        con.close()
    return only_left, only_right
