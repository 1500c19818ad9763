"""Crawl the Glue job's output, then time every named Athena query on it (DuckDB locally)."""

from __future__ import annotations

from benchmarks import suite
from benchmarks.measure import time_repeated
from spotify_etl.catalog import crawl
from spotify_etl.query import named_queries, run_athena_sql


def bench_queries(ctx: suite.Context) -> None:
    """Time the crawl, then each named query end to end (parse, transpile, open, run, fetch)."""
    suite.ensure_curated(ctx)
    ctx.record(
        time_repeated("crawl", lambda: {"tables": len(crawl(ctx.lake).tables)}, repeat=ctx.repeat)
    )
    for name, query in named_queries().items():

        def run_query(sql: str = query.sql) -> dict[str, int]:
            return {"rows": len(run_athena_sql(ctx.lake, sql).rows)}

        ctx.record(time_repeated(f"query_{name}", run_query, ctx.repeat))
