"""The Parquet -> Glue/Hive -> DuckDB type mapping, exactly as docs/catalog.md documents it."""

from __future__ import annotations

import pyarrow as pa
import pytest

from spotify_etl.catalog.hive_types import UnsupportedTypeError, duckdb_type, hive_type

MAPPING = [
    (pa.string(), "string", "VARCHAR"),
    (pa.large_string(), "string", "VARCHAR"),
    (pa.int8(), "tinyint", "TINYINT"),
    (pa.int16(), "smallint", "SMALLINT"),
    (pa.int32(), "int", "INTEGER"),
    (pa.int64(), "bigint", "BIGINT"),
    (pa.uint32(), "bigint", "BIGINT"),
    (pa.bool_(), "boolean", "BOOLEAN"),
    (pa.float32(), "float", "FLOAT"),
    (pa.float64(), "double", "DOUBLE"),
    (pa.binary(), "binary", "BLOB"),
    (pa.date32(), "date", "DATE"),
    (pa.timestamp("us", tz="UTC"), "timestamp", "TIMESTAMP"),
    (pa.timestamp("ms"), "timestamp", "TIMESTAMP"),
    (pa.decimal128(10, 2), "decimal(10,2)", "DECIMAL(10,2)"),
    (pa.list_(pa.string()), "array<string>", "VARCHAR[]"),
    (pa.map_(pa.string(), pa.int64()), "map<string,bigint>", "MAP(VARCHAR, BIGINT)"),
    (
        pa.struct([("id", pa.string()), ("tags", pa.list_(pa.int32()))]),
        "struct<id:string,tags:array<int>>",
        'STRUCT("id" VARCHAR, "tags" INTEGER[])',
    ),
    (
        pa.list_(pa.struct([("a", pa.int32()), ("b", pa.struct([("c", pa.date32())]))])),
        "array<struct<a:int,b:struct<c:date>>>",
        'STRUCT("a" INTEGER, "b" STRUCT("c" DATE))[]',
    ),
]


@pytest.mark.parametrize(("arrow_type", "hive", "duck"), MAPPING, ids=[m[1] for m in MAPPING])
def test_type_mapping(arrow_type: pa.DataType, hive: str, duck: str) -> None:
    assert hive_type(arrow_type) == hive
    assert duckdb_type(hive) == duck


@pytest.mark.parametrize("arrow_type", [pa.time64("us"), pa.duration("s"), pa.null()])
def test_types_glue_cannot_hold_are_refused(arrow_type: pa.DataType) -> None:
    with pytest.raises(UnsupportedTypeError, match="no Glue/Hive column type"):
        hive_type(arrow_type)
