"""The docs describe what the code has: tables, named queries, CLI flags and make targets."""

from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

import pytest
from pyspark.sql import types as T

from glue_jobs.charts import schemas
from glue_jobs.charts.config import OPTIONAL_ARGS, REQUIRED_ARGS
from ingest_lambda.settings import ENV_VARS, OVERRIDE_ENV_VARS
from spotify_etl.cli import build_parser

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = REPO_ROOT / "docs"
README = REPO_ROOT / "README.md"
CURATED_SCHEMAS = {
    "chart_entry": schemas.CHART_ENTRY_SCHEMA,
    "song": schemas.SONG_SCHEMA,
    "album": schemas.ALBUM_SCHEMA,
    "artist": schemas.ARTIST_SCHEMA,
    "song_artist": schemas.SONG_ARTIST_SCHEMA,
}
# A column row of docs/data-model.md: | `name` | type | yes/no | meaning |
COLUMN_ROW = re.compile(r"^\| `([a-z_]+)` \| ([a-z<>]+) \| (yes|no) \|", re.MULTILINE)


def _doc_tables() -> dict[str, list[tuple[str, str, bool]]]:
    text = (DOCS_DIR / "data-model.md").read_text(encoding="utf-8")
    tables = {}
    for section in text.split("\n### ")[1:]:
        name = section.split(":", 1)[0].strip()
        rows = COLUMN_ROW.findall(section)
        tables[name] = [(column, type_, null == "yes") for column, type_, null in rows]
    return tables


def _schema_rows(schema: T.StructType) -> list[tuple[str, str, bool]]:
    return [(f.name, f.dataType.simpleString(), f.nullable) for f in schema.fields]


def test_data_model_documents_every_curated_column_with_its_type_and_nullability() -> None:
    documented = _doc_tables()
    assert set(documented) == set(CURATED_SCHEMAS)
    for table, schema in CURATED_SCHEMAS.items():
        assert documented[table] == _schema_rows(schema), f"docs/data-model.md, table {table}"


def test_ingestion_doc_lists_exactly_the_lambdas_environment_variables() -> None:
    text = (DOCS_DIR / "ingestion.md").read_text(encoding="utf-8")
    section = text.split("## Settings (environment variables)", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| `([A-Z_]+)` \| (?:yes|no) \|", section, re.MULTILINE)
    assert sorted(documented) == sorted(ENV_VARS)
    for name in OVERRIDE_ENV_VARS:
        assert f"`{name}`" in section


def test_glue_job_doc_lists_exactly_the_jobs_arguments() -> None:
    text = (DOCS_DIR / "glue-job.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (`--[a-z_A-Z]+`(?:, `--[a-z_A-Z]+`)*) \|", text, re.MULTILINE)
    documented = [name for row in rows for name in re.findall(r"`--([a-zA-Z_]+)`", row)]
    assert sorted(documented) == sorted([*REQUIRED_ARGS, *OPTIONAL_ARGS])


def test_every_named_query_has_a_section_in_the_queries_doc() -> None:
    names = sorted(path.stem for path in (REPO_ROOT / "athena" / "queries").glob("*.sql"))
    text = (DOCS_DIR / "queries.md").read_text(encoding="utf-8")
    sections = sorted(re.findall(r"^## ([a-z0-9_]+)$", text, re.MULTILINE))
    assert sections == names


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    [action] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def _all_docs_text() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8") for path in [README, *sorted(DOCS_DIR.glob("*.md"))]
    )


@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_every_visible_flag_of_every_command_is_documented(command: str) -> None:
    parser = _subcommands()[command]
    flags = {
        option
        for action in parser._actions
        if action.help != argparse.SUPPRESS
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }
    readme = README.read_text(encoding="utf-8")
    assert f"`spotify-etl {command}" in readme, f"README's command table lacks {command}"
    docs = _all_docs_text()
    undocumented = sorted(
        flag for flag in flags if not re.search(rf"(?<![\w-]){flag}(?![\w-])", docs)
    )
    assert undocumented == [], f"spotify-etl {command}: flags in no doc"


def test_every_make_target_with_a_description_is_in_the_readme() -> None:
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    described = re.findall(r"^([a-z][a-zA-Z0-9_-]+):.*## ", makefile, re.MULTILINE)
    readme = README.read_text(encoding="utf-8")
    missing = [t for t in described if t != "help" and f"`make {t}" not in readme]
    assert missing == []


def test_nothing_secret_or_generated_is_committed() -> None:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    forbidden = re.compile(
        r"(^|/)(\.cache[^/]*|\.env|[^/]*\.token|spotify\.json|catalog\.duckdb)$"
        r"|(^|/)(lake|build|dist|\.secrets)/|\.parquet$|\.json\.gz$"
    )
    assert [path for path in listed if forbidden.search(path)] == []


LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
REPO_PATH = re.compile(
    r"(?<![\w/.-])((?:athena|benchmarks|cloudformation|deploy|docs|glue_jobs|ingest_lambda|"
    r"notebooks|spotify_etl|tests|tools)/[\w./-]+\.(?:ipynb|md|py|sql|yaml))"
)


def test_every_link_and_repository_path_in_the_docs_exists() -> None:
    missing = []
    for page in [README, *sorted(DOCS_DIR.rglob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for target in LINK.findall(text):
            external = target.startswith(("http://", "https://", "mailto:"))
            if not external and not (page.parent / target).exists():
                missing.append(f"{page.relative_to(REPO_ROOT)}: link {target}")
        for path in REPO_PATH.findall(text):
            if not (REPO_ROOT / path).exists():
                missing.append(f"{page.relative_to(REPO_ROOT)}: path {path}")
    assert missing == []
