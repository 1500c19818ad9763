"""Parquet (Arrow) types to the Glue/Hive types the crawler registers, and those to DuckDB types."""

from __future__ import annotations

import re

import pyarrow as pa

# The type the crawler gives every partition key it discovers from a `key=value` folder name.
PARTITION_KEY_TYPE = "string"

_SIMPLE_HIVE_TYPES: list[tuple[pa.DataType, str]] = [
    (pa.bool_(), "boolean"),
    (pa.int8(), "tinyint"),
    (pa.int16(), "smallint"),
    (pa.int32(), "int"),
    (pa.int64(), "bigint"),
    # Hive has no unsigned integers: the crawler widens them to the next signed type.
    (pa.uint8(), "smallint"),
    (pa.uint16(), "int"),
    (pa.uint32(), "bigint"),
    (pa.uint64(), "bigint"),
    (pa.float16(), "float"),
    (pa.float32(), "float"),
    (pa.float64(), "double"),
    (pa.string(), "string"),
    (pa.large_string(), "string"),
    (pa.binary(), "binary"),
    (pa.large_binary(), "binary"),
    (pa.date32(), "date"),
    (pa.date64(), "date"),
]


class UnsupportedTypeError(ValueError):
    """A Parquet type with no Glue/Hive equivalent the crawler would register."""


def hive_type(arrow_type: pa.DataType) -> str:
    """Return the Glue/Hive type string the crawler registers for a Parquet column.

    Args:
        arrow_type: the column's type as pyarrow reads it from the Parquet footer.

    Raises:
        UnsupportedTypeError: for types Glue has no column type for (e.g. time, duration).
    """
    for simple, name in _SIMPLE_HIVE_TYPES:
        if arrow_type == simple:
            return name
    if pa.types.is_timestamp(arrow_type):
        # Hive `timestamp` has no zone: UTC-adjusted and local Parquet timestamps both map here.
        return "timestamp"
    if pa.types.is_decimal(arrow_type):
        return f"decimal({arrow_type.precision},{arrow_type.scale})"
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return f"array<{hive_type(arrow_type.value_type)}>"
    if pa.types.is_map(arrow_type):
        return f"map<{hive_type(arrow_type.key_type)},{hive_type(arrow_type.item_type)}>"
    if pa.types.is_struct(arrow_type):
        fields = ",".join(f"{field.name}:{hive_type(field.type)}" for field in arrow_type)
        return f"struct<{fields}>"
    raise UnsupportedTypeError(f"no Glue/Hive column type for Parquet type {arrow_type}")


_DUCKDB_SCALARS = {
    "boolean": "BOOLEAN",
    "tinyint": "TINYINT",
    "smallint": "SMALLINT",
    "int": "INTEGER",
    "bigint": "BIGINT",
    "float": "FLOAT",
    "double": "DOUBLE",
    "string": "VARCHAR",
    "binary": "BLOB",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
}
_DECIMAL = re.compile(r"decimal\((\d+),(\d+)\)")


def _split_top_level(text: str) -> list[str]:
    """Split `a:int,b:struct<c:int,d:int>` on the commas not nested in `<...>`."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "<":
            depth += 1
        elif char == ">":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def duckdb_type(hive: str) -> str:
    """Return the DuckDB type that reads like the Glue/Hive type `hive` does in Athena."""
    if hive in _DUCKDB_SCALARS:
        return _DUCKDB_SCALARS[hive]
    if match := _DECIMAL.fullmatch(hive):
        return f"DECIMAL({match.group(1)},{match.group(2)})"
    if hive.startswith("array<") and hive.endswith(">"):
        return f"{duckdb_type(hive[len('array<') : -1])}[]"
    if hive.startswith("map<") and hive.endswith(">"):
        key, value = _split_top_level(hive[len("map<") : -1])
        return f"MAP({duckdb_type(key)}, {duckdb_type(value)})"
    if hive.startswith("struct<") and hive.endswith(">"):
        fields = []
        for field in _split_top_level(hive[len("struct<") : -1]):
            name, _, field_type = field.partition(":")
            fields.append(f'"{name}" {duckdb_type(field_type)}')
        return f"STRUCT({', '.join(fields)})"
    raise UnsupportedTypeError(f"no DuckDB type for Glue/Hive type {hive!r}")
