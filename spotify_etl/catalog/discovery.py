"""Find the tables, partitions and columns under `<lake>/curated/`, reading Parquet footers only."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.parquet as pq

from spotify_etl.catalog.hive_types import UnsupportedTypeError, hive_type

CURATED_PREFIX = "curated"
PARQUET_SUFFIX = ".parquet"
# The crawler's exclusions (`**/_SUCCESS`, `**/_temporary/**`, `**.crc`, `**_$folder$`) plus what
# Hive/Athena never read anyway: names starting with `_` or `.` (Spark's markers, crc sidecars).
_EXCLUDED_SUFFIXES = (".crc", "_$folder$")
_TABLE_NAME = re.compile(r"[a-z_][a-z0-9_]*")


class CatalogError(Exception):
    """The lake cannot be catalogued as it is; the message says which files and what to do."""


@dataclass(frozen=True)
class Column:
    """A column as the Glue Data Catalog holds it: a name and a Glue/Hive type string."""

    name: str
    type: str


@dataclass(frozen=True)
class Partition:
    """One partition: its key values (in key order) and its folder."""

    values: tuple[str, ...]
    location: Path


@dataclass(frozen=True)
class Table:
    """One table: a folder under `curated/`, its data columns, partition keys and partitions."""

    name: str
    location: Path
    columns: tuple[Column, ...]
    partition_keys: tuple[str, ...]
    partitions: tuple[Partition, ...]
    file_count: int


def is_excluded(name: str) -> bool:
    """Whether a file or folder name is skipped like the crawler and Athena skip it."""
    return name.startswith(("_", ".")) or name.endswith(_EXCLUDED_SUFFIXES)


def discover_tables(lake: Path) -> list[Table]:
    """Return every table under `<lake>/curated/`, sorted by name.

    Raises:
        CatalogError: if `curated/` is missing, a folder is not a valid table name, a file is not
            Parquet, the partition layout is inconsistent, or two files disagree on a column's type.
    """
    curated = lake / CURATED_PREFIX
    if not curated.is_dir():
        raise CatalogError(
            f"no curated tables: {curated} does not exist. Run the Glue job first "
            "(`spotify-etl transform`), or pass the right --lake."
        )
    tables = []
    for folder in sorted(curated.iterdir()):
        if not folder.is_dir() or is_excluded(folder.name):
            continue
        if not _TABLE_NAME.fullmatch(folder.name):
            raise CatalogError(
                f"{folder}: {folder.name!r} is not a valid table name (lower-case letters, "
                "digits and underscores); rename the folder."
            )
        table = _discover_table(folder)
        if table is not None:
            tables.append(table)
    return tables


def _data_files(root: Path) -> list[Path]:
    """Every non-excluded file below `root`, in a stable order."""
    files: list[Path] = []
    for directory, subdirs, names in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if not is_excluded(d))
        files.extend(Path(directory) / name for name in sorted(names) if not is_excluded(name))
    return files


def _partition_spec(root: Path, data_file: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The partition keys and values encoded in the folders between `root` and `data_file`."""
    keys, values = [], []
    for part in data_file.parent.relative_to(root).parts:
        key, sep, value = part.partition("=")
        if not sep or not key:
            raise CatalogError(
                f"{data_file}: folder {part!r} is not a `key=value` partition folder; a table's "
                "files must sit in its folder or in key=value sub-folders."
            )
        keys.append(key)
        values.append(unquote(value))
    return tuple(keys), tuple(values)


def _file_columns(data_file: Path) -> list[Column]:
    """The columns of one Parquet file, from its footer."""
    try:
        schema: pa.Schema = pq.read_schema(data_file)
    except (pa.ArrowInvalid, OSError) as error:
        raise CatalogError(f"{data_file}: not a readable Parquet file ({error})") from error
    try:
        return [Column(field.name, hive_type(field.type)) for field in schema]
    except UnsupportedTypeError as error:
        raise CatalogError(f"{data_file}: {error}") from error


def _merge_columns(
    root: Path, merged: dict[str, tuple[Column, Path]], data_file: Path, columns: list[Column]
) -> None:
    """Add a file's columns to the table's; a column typed differently is a conflict."""
    for column in columns:
        seen = merged.get(column.name)
        if seen is None:
            merged[column.name] = (column, data_file)
        elif seen[0].type != column.type:
            raise CatalogError(
                f"schema conflict in table folder {root}: "
                f"column {column.name!r} is {seen[0].type} in {seen[1]} but {column.type} in "
                f"{data_file}. Rewrite the older partitions with the current schema (rerun the "
                "Glue job for those dates) or remove the stray file."
            )


def _discover_table(root: Path) -> Table | None:
    """Catalogue one table folder; None when it holds no data file (the crawler skips it)."""
    files = _data_files(root)
    if not files:
        return None
    merged: dict[str, tuple[Column, Path]] = {}
    partitions: dict[tuple[str, ...], Path] = {}
    layout: tuple[tuple[str, ...], Path] | None = None
    for data_file in files:
        if data_file.suffix != PARQUET_SUFFIX:
            raise CatalogError(
                f"{data_file}: unexpected file in table folder {root}; only Parquet data files "
                f"(*{PARQUET_SUFFIX}) and the writer's markers (_SUCCESS, .crc) belong there."
            )
        keys, values = _partition_spec(root, data_file)
        if layout is None:
            layout = (keys, data_file)
        elif keys != layout[0]:
            raise CatalogError(
                f"inconsistent partition layout in {root}: {layout[1]} is under "
                f"{list(layout[0]) or 'no partition'} but {data_file} is under "
                f"{list(keys) or 'no partition'}."
            )
        if keys:
            partitions.setdefault(values, data_file.parent)
        _merge_columns(root, merged, data_file, _file_columns(data_file))
    assert layout is not None
    partition_keys = layout[0]
    columns = tuple(column for column, _ in merged.values() if column.name not in partition_keys)
    return Table(
        name=root.name,
        location=root,
        columns=columns,
        partition_keys=partition_keys,
        partitions=tuple(
            Partition(values, location) for values, location in sorted(partitions.items())
        ),
        file_count=len(files),
    )
