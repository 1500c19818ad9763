"""Every known user error, run as a real process: exit status 2, one line on stderr, no traceback.

The cases are the ones users met (issue 15) and the ones the docs promise; each runs the
command the way a user does (`python -m spotify_etl.cli ...`, `make check-java`, the notebook
runner of `make explore`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from small_lake import write_small_lake

from ingest_lambda.keys import RAW_SNAPSHOTS_PREFIX
from spotify_etl.catalog import crawl

REPO_ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "spotify_etl.cli"]
EXPLORE = [sys.executable, str(REPO_ROOT / "notebooks" / "run_local.py")]
NOBODY = 65534


@dataclass(frozen=True)
class Case:
    """A command, how to prepare its lake and environment, and what its one line must say."""

    argv: Callable[[Path], list[str]]
    says: str
    prepare: Callable[[Path], None] = lambda lake: None
    env: Callable[[Path], dict[str, str]] = lambda tmp: {}
    unprivileged: bool = False
    tool_lines: tuple[str, ...] = field(default=())  # lines a tool (make) adds on its own


def _raw(lake: Path) -> None:
    (lake / RAW_SNAPSHOTS_PREFIX).mkdir(parents=True)


def _crawled(lake: Path) -> None:
    write_small_lake(lake)
    crawl(lake)


def _crawled_then_partition_removed(lake: Path) -> None:
    _crawled(lake)
    shutil.rmtree(lake / "curated" / "song" / "snapshot_date=2026-11-26")


def _file(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text("not a folder", encoding="utf-8")


def _unwritable(lake: Path) -> None:
    _raw(lake)
    write_small_lake(lake)
    for folder, _, files in os.walk(lake):
        for path in (folder, *(os.path.join(folder, name) for name in files)):
            if os.geteuid() == 0:
                os.chown(path, NOBODY, NOBODY)
            os.chmod(path, 0o555 if path == folder else 0o444)


def _tools_without_java(tmp: Path) -> dict[str, str]:
    """A PATH with the tools `make check-java` uses, and no java."""
    bin_dir = tmp / "bin-without-java"
    bin_dir.mkdir(exist_ok=True)
    for tool in ("make", "bash", "sh", "grep", "head", "env"):
        found = shutil.which(tool)
        if found and not (bin_dir / tool).exists():
            (bin_dir / tool).symlink_to(found)
    return {"PATH": str(bin_dir), "JAVA_HOME": ""}


def _java_11(tmp: Path) -> dict[str, str]:
    bin_dir = tmp / "bin-java-11"
    bin_dir.mkdir(exist_ok=True)
    java = bin_dir / "java"
    java.write_text("#!/bin/sh\necho 'openjdk version \"11.0.21\" 2023-10-17' >&2\n")
    java.chmod(0o755)
    return {"PATH": f"{bin_dir}:/usr/bin:/bin", "JAVA_HOME": ""}


CASES: dict[str, Case] = {
    # Issue 15: the cases users met.
    "transform without java": Case(
        lambda lake: [*CLI, "transform", "--lake", str(lake)],
        "Java is needed to run Spark locally and was not found",
        _raw,
        env=lambda tmp: {"PATH": str(tmp / "empty-bin"), "JAVA_HOME": ""},
    ),
    "transform with a JAVA_HOME without java": Case(
        lambda lake: [*CLI, "transform", "--lake", str(lake)],
        "has no bin/java",
        _raw,
        env=lambda tmp: {"JAVA_HOME": str(tmp)},
    ),
    "transform with java 11": Case(
        lambda lake: [*CLI, "transform", "--lake", str(lake)],
        "is Java 11; Spark 3.5 (as on Glue 5.1) needs Java 17",
        _raw,
        env=_java_11,
    ),
    "transform on an unwritable lake": Case(
        lambda lake: [*CLI, "transform", "--lake", str(lake)],
        "not writable",
        _unwritable,
        unprivileged=True,
    ),
    "make check-java without java": Case(
        lambda lake: ["make", "--no-print-directory", "-C", str(REPO_ROOT), "check-java"],
        "Java 17 is needed to run Spark locally and was not found",
        env=_tools_without_java,
        tool_lines=("make: ***", "make["),  # make[1]: when make runs it (make test)
    ),
    "explore on an unwritable lake": Case(
        lambda lake: [*EXPLORE, "--lake", str(lake)],
        "for the executed notebook: Permission denied",
        _unwritable,
        unprivileged=True,
    ),
    "report after a partition folder was removed": Case(
        lambda lake: [*CLI, "report", "--lake", str(lake)],
        "the catalog lists files that are gone",
        _crawled_then_partition_removed,
    ),
    "report --top beyond the chart": Case(
        lambda lake: [*CLI, "report", "--lake", str(lake), "--top", "1000"],
        "--top 1000: the chart of Small Chart at 2026-11-26 01:00 UTC has 3 songs",
        _crawled,
    ),
    "query with a misspelt keyword": Case(
        lambda lake: [*CLI, "query", "--lake", str(lake), "SELEC * FROM song"],
        "mismatched input 'SELEC'",
        _crawled,
    ),
    "query comparing the string partition key with a date": Case(
        lambda lake: [
            *CLI,
            "query",
            "--lake",
            str(lake),
            "SELECT * FROM chart_entry WHERE snapshot_date = DATE '2026-11-26'",
        ],
        "TYPE_MISMATCH: line 1:33: Cannot apply operator: varchar = date",
        _crawled,
    ),
    # The docs' cases (README, docs/queries.md, docs/exploration.md, docs/ingestion.md).
    "report without a catalog": Case(
        lambda lake: [*CLI, "report", "--lake", str(lake)],
        "run `spotify-etl crawl --lake",
        write_small_lake,
    ),
    "report for a period without snapshots": Case(
        lambda lake: [*CLI, "report", "--lake", str(lake), "--to", "2026-11-01"],
        "no chart entries on or before 2026-11-01; the lake has snapshots on 2026-11-26",
        _crawled,
    ),
    "report with a malformed date": Case(
        lambda lake: [*CLI, "report", "--lake", str(lake), "--from", "2026-13-01"],
        "argument --from: expected a date as YYYY-MM-DD",
        _crawled,
    ),
    "report --top 0": Case(
        lambda lake: [*CLI, "report", "--lake", str(lake), "--top", "0"],
        "argument --top: expected a whole number of at least 1",
        _crawled,
    ),
    "report --from after --to": Case(
        lambda lake: [
            *CLI,
            "report",
            "--lake",
            str(lake),
            "--from",
            "2026-11-27",
            "--to",
            "2026-11-26",
        ],
        "--from 2026-11-27 is after --to 2026-11-26",
        _crawled,
    ),
    "report for an unknown playlist": Case(
        lambda lake: [*CLI, "report", "--lake", str(lake), "--playlist", "nope"],
        "--playlist nope is not in the lake; known playlists:",
        _crawled,
    ),
    "query before crawl": Case(
        lambda lake: [*CLI, "query", "--lake", str(lake), "SELECT 1"],
        "run `spotify-etl crawl --lake",
    ),
    "query of an unknown table": Case(
        lambda lake: [*CLI, "query", "--lake", str(lake), "SELECT * FROM charts"],
        "unknown table 'charts'. Known tables: album, artist, chart_entry, song, song_artist",
        _crawled,
    ),
    "query of an unknown column": Case(
        lambda lake: [*CLI, "query", "--lake", str(lake), "SELECT no_such_column FROM song"],
        "COLUMN_NOT_FOUND: line 1:8: Column 'no_such_column' cannot be resolved",
        _crawled,
    ),
    "query with a syntax error": Case(
        lambda lake: [*CLI, "query", "--lake", str(lake), "SELECT song_id\nFROM song\nWHERE = 1"],
        "SYNTAX_ERROR: line 3:",
        _crawled,
    ),
    "unknown named query": Case(
        lambda lake: [*CLI, "query", "--lake", str(lake), "--named", "top_5"],
        "no named query 'top_5'",
    ),
    "crawl without curated tables": Case(
        lambda lake: [*CLI, "crawl", "--lake", str(lake)],
        "does not exist. Run the Glue job first",
    ),
    "ingest into a file": Case(
        lambda lake: [*CLI, "ingest", "--lake", str(lake / "file"), "--hours", "1"],
        "this is a file, not a folder",
        lambda lake: _file(lake / "file"),
    ),
    "ingest too many hours": Case(
        lambda lake: [*CLI, "ingest", "--lake", str(lake), "--hours", "100000"],
        "--hours must be between 1 and 8784",
    ),
    "transform with empty --snapshot-dates": Case(
        lambda lake: [*CLI, "transform", "--lake", str(lake), "--snapshot-dates", ","],
        "--snapshot-dates: give at least one YYYY-MM-DD date",
        _raw,
    ),
    "transform before ingest": Case(
        lambda lake: [*CLI, "transform", "--lake", str(lake)],
        "raw does not exist: ingest first",
    ),
    "fake-api with a bad fault": Case(
        lambda lake: [*CLI, "fake-api", "--fault", "kind=nope"],
        "fault kind must be one of",
    ),
    "an unknown command": Case(lambda lake: [*CLI, "nope"], "invalid choice: 'nope'"),
}


def _run(case: Case, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    lake = tmp_path / "lake"
    case.prepare(lake)
    (tmp_path / "empty-bin").mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), **case.env(tmp_path)}
    if env.get("JAVA_HOME") == "":
        del env["JAVA_HOME"]
    argv = case.argv(lake)
    if case.unprivileged and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("as root, an unwritable folder needs setpriv (util-linux) to drop root")
        argv = [setpriv, "--inh-caps=-all", "--bounding-set=-all", *argv]
    if argv[0] == "make" and shutil.which("make") is None:
        pytest.skip("make is not installed")
    return subprocess.run(
        argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_user_error_is_one_line_and_exit_status_2(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    completed = _run(case, tmp_path)

    assert "Traceback" not in completed.stdout + completed.stderr
    lines = [
        line
        for line in completed.stderr.splitlines()
        if not line.startswith(case.tool_lines or ("\0",))
    ]
    assert len(lines) == 1, completed.stderr
    assert case.says in lines[0]
    assert completed.returncode == 2
