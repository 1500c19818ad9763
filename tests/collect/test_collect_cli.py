"""`spotify-etl collect` as a real process against `spotify-etl fake-api` reached by base URL:
a clean stop on SIGTERM, a SIGKILL in the middle of a transform, and a rerun after it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fake_server import running_fake_api, store_authorised_app

from ingest_lambda.keys import truncate_to_hour
from spotify_etl.cli import main
from spotify_etl.collect.lock import lake_lock
from spotify_etl.collect.steps import changed_raw_dates
from spotify_etl.fake_spotify import USER_CHART_PLAYLIST_ID

# Generous: each transform starts a JVM, on a machine shared with other test runs.
STEP_TIMEOUT_S = 900
POLL_S = 0.05


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    root = tmp_path / "lake"
    root.mkdir()
    return root


@pytest.fixture
def fake_server() -> Iterator[dict[str, Any]]:
    """The dev-mode fake in its own process, rotating refresh tokens, on the wall clock (one
    per test: a rotation revokes the token the next test would start with)."""
    with running_fake_api("--profile", "dev-2026", "--rotate-refresh-token") as details:
        yield details


def collect_command(lake: Path, server: dict[str, Any], *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "spotify_etl.cli", "collect", "--source", "spotify",
        "--lake", str(lake), "--playlist", USER_CHART_PLAYLIST_ID,
        "--api-base-url", server["base_url"], "--token-url", server["token_url"], *extra,
    ]  # fmt: skip


class Collecting:
    """A running `collect` process whose stderr lines are gathered as they come."""

    def __init__(self, command: list[str]) -> None:
        # Its own session: the test can signal it alone, or kill its whole group.
        self.process = subprocess.Popen(
            command, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n").split(" ", 1)[-1])

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        end = time.monotonic() + STEP_TIMEOUT_S
        while not condition():
            if self.process.poll() is not None or time.monotonic() > end:
                pytest.fail(f"no {what}; collect exited {self.process.poll()}: {self.lines}")
            time.sleep(POLL_S)

    def has(self, start: str) -> bool:
        """Whether a line starting with `start` was logged."""
        return any(line.startswith(start) for line in self.lines)

    def children(self) -> list[int]:
        """Pids of its child processes (a transform or crawl step), from /proc."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def finish(self) -> int:
        code = self.process.wait(timeout=STEP_TIMEOUT_S)
        self._reader.join(timeout=STEP_TIMEOUT_S)
        return code


def lake_contents(lake: Path) -> dict[str, Any]:
    """Raw objects, stray files, and the curated chart_entry as the catalog sees it."""
    raw = sorted(p.relative_to(lake).as_posix() for p in (lake / "raw").rglob("*") if p.is_file())
    staging = sorted(p.name for p in (lake / "curated").rglob(".*-staging-*"))
    with duckdb.connect(str(lake / "catalog.duckdb"), read_only=True) as catalog:
        entries = catalog.execute(
            "SELECT count(*), count(DISTINCT (playlist_id, snapshot_ts, position)), "
            "count(DISTINCT snapshot_ts) FROM chart_entry"
        ).fetchone()
    return {"raw": raw, "staging": staging, "chart_entry": entries}


@pytest.mark.slow
def test_sigterm_lets_the_running_transform_finish_then_stops(
    fake_server: dict[str, Any], lake: Path
) -> None:
    first_token = store_authorised_app(lake, fake_server).refresh_token
    collecting = Collecting(collect_command(lake, fake_server))
    collecting.wait_for(lambda: collecting.has("ingest ok"), "ingest")
    collecting.wait_for(lambda: bool(collecting.children()), "transform child")
    collecting.process.send_signal(signal.SIGTERM)
    assert collecting.finish() == 0
    steps = [line.split(":")[0] for line in collecting.lines]
    assert steps[1:] == [
        "ingest ok",
        "SIGTERM",
        "transform ok",
        "collect stopped",
    ]
    assert "1 date(s) rebuilt" in collecting.lines[3]
    # The transform's state advanced: nothing is left for the next one; no crawl was started.
    assert changed_raw_dates(lake) == []
    assert not (lake / "catalog.duckdb").exists()
    # The rotated refresh token was written back to the lake's secret file.
    stored = json.loads((lake / ".secrets" / "spotify.json").read_text())
    assert stored["refresh_token"] != first_token
    assert stored["authorized_at"] == fake_server["authorized_at"]


@pytest.mark.slow
def test_sigkill_in_the_middle_of_a_transform_then_a_rerun_loses_and_repeats_nothing(
    fake_server: dict[str, Any], lake: Path
) -> None:
    store_authorised_app(lake, fake_server)
    hours = {truncate_to_hour(datetime.now(UTC))}
    collecting = Collecting(collect_command(lake, fake_server))
    # Killed once Spark writes the curated tables (its staging folder), or just after.
    collecting.wait_for(
        lambda: (lake / "curated").exists() or collecting.has("transform "), "a write"
    )
    os.killpg(collecting.process.pid, signal.SIGKILL)
    assert collecting.finish() == -signal.SIGKILL
    rerun = subprocess.run(
        collect_command(lake, fake_server, "--once"), capture_output=True, text=True, check=False
    )
    hours.add(truncate_to_hour(datetime.now(UTC)))
    lines = [line.split(" ", 1)[-1] for line in rerun.stderr.splitlines()]
    assert rerun.returncode == 0, rerun.stderr
    assert [line.split(":")[0] for line in lines][1:] == [
        "ingest ok",
        "transform ok",
        "crawl ok",
        "collect done",
    ]
    contents = lake_contents(lake)
    snapshots = len(contents["raw"])
    # One object per hour slot (rerun in the same hour overwrote it), no temporary file left,
    # no Spark staging folder, and each snapshot's 100 entries exactly once.
    assert 1 <= snapshots <= len(hours)
    assert all(name.endswith(".json.gz") and "/." not in name for name in contents["raw"])
    assert contents["staging"] == []
    assert contents["chart_entry"] == (100 * snapshots, 100 * snapshots, snapshots)
    assert changed_raw_dates(lake) == []


def test_a_second_collect_on_the_same_lake_is_refused(
    lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with lake_lock(lake):
        assert main(["collect", "--lake", str(lake), "--once"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"spotify-etl collect: error: another `spotify-etl collect` (pid {os.getpid()}) or a "
        f"step it started is running on {lake}"
    )
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--source", "spotify", "--seed", "3"], "--seed applies to --source fake only"),
        (["--token-url", "http://127.0.0.1:9/t"], "--token-url applies to --source spotify only"),
        (["--transform-every", "5"], "--transform-every 5: transform every 5 hours: use a divisor"),
        (
            ["--source", "spotify", "--playlist", USER_CHART_PLAYLIST_ID],
            "file {lake}/.secrets/spotify.json does not exist; create it with",
        ),
    ],
)
def test_collect_refuses_bad_flags_before_starting(
    lake: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert main(["collect", "--lake", str(lake), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("spotify-etl collect: error: " + message.format(lake=lake))
    assert err.count("\n") == 1


def test_the_fake_source_is_the_same_path_with_the_fakes_urls(lake: Path) -> None:
    import argparse

    from spotify_etl.collect.steps import LakeSteps
    from spotify_etl.commands.collect import open_source, utc_now

    args = argparse.Namespace(
        source="fake",
        lake=lake,
        profile="dev-2026",
        seed=None,
        playlists=None,
        top_tracks=None,
        market=None,
    )
    hour = truncate_to_hour(utc_now())
    with open_source(args) as (plan, store):
        assert plan.endpoints.api_base_url.startswith("http://127.0.0.1:")
        result = LakeSteps(plan, store, clock=utc_now).ingest(hour)
    assert (result.outcome, result.detail.split(";")[0]) == (
        "ok",
        f"{hour:%Y-%m-%dT%H:%M:%SZ}: 1 of 1 snapshot(s) written",
    )
    assert "refresh token 18" in result.detail
