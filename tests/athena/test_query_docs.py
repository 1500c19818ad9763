"""docs/queries.md shows, for each named query, rows that the named-query tests assert."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_athena_named_queries import EXPECTED

from spotify_etl.commands.query import render
from spotify_etl.query import QueryResult

QUERIES_DOC = Path(__file__).resolve().parents[2] / "docs" / "queries.md"
ELLIPSIS = "..."


def _doc_examples() -> dict[str, list[str]]:
    """The first code block under each `## <name>` heading, as lines."""
    text = QUERIES_DOC.read_text(encoding="utf-8")
    blocks = {}
    for section in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        name = section.split("\n", 1)[0].strip()
        block = re.search(r"^```\n(.*?)^```", section, re.MULTILINE | re.DOTALL)
        if block is not None:
            blocks[name] = block.group(1).splitlines()
    return blocks


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_documented_example_rows_are_the_asserted_ones(name: str) -> None:
    columns, rows = EXPECTED[name]
    rendered = render(QueryResult(columns, rows, duckdb_sql=""), "table").splitlines()
    # Column widths differ when the doc leaves rows out: compare cells, not spacing.
    asserted_rows = [line.split() for line in rendered[2:-1]]
    header, rule, *shown = _doc_examples()[name]
    assert header.split() == columns
    assert set(rule.replace(" ", "")) == {"-"}
    shown_rows = [line.split() for line in shown if line.strip() != ELLIPSIS]
    assert shown_rows, f"docs/queries.md shows no row for {name}"
    # The rows shown are asserted rows, in the asserted order.
    positions = [asserted_rows.index(row) for row in shown_rows if row in asserted_rows]
    assert [row for row in shown_rows if row not in asserted_rows] == []
    assert positions == sorted(positions)
