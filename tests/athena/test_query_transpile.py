"""Every named query parses as Athena SQL and transpiles to DuckDB SQL that DuckDB accepts."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import sqlglot

from spotify_etl.query import QUERIES_DIR, named_queries, transpile

QUERY_FILES = sorted(QUERIES_DIR.glob("*.sql"))


def test_the_query_folder_is_found() -> None:
    # Guards the parametrized tests below, which would pass on nothing if the folder moved; how
    # many queries there are is not this test's business.
    assert QUERY_FILES, f"no named query under {QUERIES_DIR}"


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_query_file_transpiles(path: Path) -> None:
    sql = path.read_text(encoding="utf-8")
    # Strict parsing: sqlglot raises instead of warning on anything it cannot represent.
    tree = sqlglot.parse_one(sql, read="athena", error_level=sqlglot.ErrorLevel.RAISE)
    assert tree.find(sqlglot.exp.Anonymous) is None, "a function sqlglot does not know"
    duckdb_sql = transpile(sql)
    # DuckDB parses it (binding needs the tables, which the named-query tests provide).
    duckdb.connect().extract_statements(duckdb_sql)


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_query_file_header_is_the_question(path: Path) -> None:
    query = named_queries()[path.stem]
    assert path.read_text(encoding="utf-8").startswith(f"-- {query.question}\n")
    assert query.question.endswith("?")
