"""`spotify-etl query`: run Athena SQL (or a named query) on the local catalog with DuckDB."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from spotify_etl.commands import CommandError, add_lake_argument

if TYPE_CHECKING:
    from spotify_etl.query import QueryResult

FORMATS = ("table", "csv", "json")
NULL_TEXT = "NULL"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `query` command."""
    parser = subparsers.add_parser(
        "query",
        help="run Athena SQL or a named query on the local catalog",
        description="Transpile Athena (Trino) SQL to DuckDB with sqlglot and run it on the "
        "local catalog built by `spotify-etl crawl`.",
    )
    add_lake_argument(parser)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("sql", nargs="?", help="one Athena SQL statement ('-' reads stdin)")
    source.add_argument("--named", metavar="NAME", help="run athena/queries/NAME.sql")
    source.add_argument(
        "--list", action="store_true", help="list the named queries with their questions"
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    parser.add_argument(
        "--show-sql", action="store_true", help="print the transpiled DuckDB SQL (to stderr)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the chosen SQL and print its result."""
    from spotify_etl.catalog import CatalogError
    from spotify_etl.query import QueryError, named_queries, run_athena_sql, transpile

    try:
        queries = named_queries()
        if args.list:
            width = max((len(name) for name in queries), default=0)
            for name, query in queries.items():
                print(f"{name:<{width}}  {query.question}")  # noqa: T201
            return 0
        if args.named is not None:
            if args.named not in queries:
                raise CommandError(
                    f"no named query {args.named!r}. Known: {', '.join(queries) or '(none)'}"
                )
            sql = queries[args.named].sql
        else:
            sql = sys.stdin.read() if args.sql == "-" else args.sql
        if args.show_sql:
            print(transpile(sql), file=sys.stderr)  # noqa: T201
        result = run_athena_sql(args.lake, sql)
    except (QueryError, CatalogError) as error:
        raise CommandError(str(error)) from error
    sys.stdout.write(render(result, args.format))
    return 0


def render(result: QueryResult, output_format: str) -> str:
    """The result as an aligned text table, CSV (header row first) or a JSON array of objects."""
    if output_format == "json":
        records = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        return json.dumps(records, indent=2, default=_json_value) + "\n"
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([["" if v is None else _text(v) for v in row] for row in result.rows])
        return buffer.getvalue()
    return _table(result.columns, [[_text(v) for v in row] for row in result.rows])


def _text(value: Any) -> str:
    """A value as Athena's console shows it: NULL, ISO dates and times, [a, b] for arrays."""
    if value is None:
        return NULL_TEXT
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    return str(value)


def _json_value(value: Any) -> Any:
    """JSON for what `json` cannot encode itself: dates and times as ISO strings."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest value, numbers right-aligned, then a row count."""
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(columns)]
    numeric = [bool(rows) and all(_is_number(r[i]) for r in rows) for i in range(len(columns))]

    def line(cells: Sequence[str], align: Sequence[bool]) -> str:
        return "  ".join(
            cell.rjust(w) if right else cell.ljust(w)
            for cell, w, right in zip(cells, widths, align, strict=True)
        ).rstrip()

    out = [line(columns, [False] * len(columns)), line(["-" * w for w in widths], numeric)]
    out += [line(row, numeric) for row in rows]
    out.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(out) + "\n"


def _is_number(text: str) -> bool:
    if text == NULL_TEXT:
        return True
    try:
        float(text)
    except ValueError:
        return False
    return True
