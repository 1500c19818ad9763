"""The same raw-to-curated transformation done three ways: the Glue job, pandas, DuckDB."""
