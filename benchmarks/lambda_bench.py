"""One Lambda invocation for a 100-entry playlist against the fake: time, memory, requests."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import suite
from benchmarks.generate import BENCH_PLAYLIST_ID, BENCH_PROFILE
from benchmarks.lambda_invoke import ENV_PREFIX
from benchmarks.measure import Timing
from ingest_lambda.keys import format_timestamp, truncate_to_hour
from spotify_etl.fake_spotify import FakeSpotify

INVOKE_TIMEOUT_S = 300


def _invoke(fake: FakeSpotify, lake: Path, hour: datetime, trace: bool) -> dict[str, Any]:
    env = {
        **os.environ,
        **{
            f"{ENV_PREFIX}{name}": value
            for name, value in {
                "BASE_URL": fake.base_url,
                "TOKEN_URL": fake.token_url,
                "CLIENT_ID": fake.client_id,
                "CLIENT_SECRET": fake.client_secret,
                "REFRESH_TOKEN": fake.refresh_token,
                "AUTHORIZED_AT": format_timestamp(fake.authorized_at),
                "PLAYLIST_ID": BENCH_PLAYLIST_ID,
                "PROFILE": BENCH_PROFILE,
                "SCHEDULED_TIME": format_timestamp(hour),
            }.items()
        },
    }
    command = [sys.executable, "-m", "benchmarks.lambda_invoke", str(lake)]
    completed = subprocess.run(
        [*command, "--trace"] if trace else command,
        env=env,
        capture_output=True,
        text=True,
        timeout=INVOKE_TIMEOUT_S,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the Lambda invocation failed:\n{completed.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def bench_lambda(ctx: suite.Context) -> None:
    """`ctx.repeat` invocations, each in a fresh process, plus one traced for tracemalloc."""
    hour = truncate_to_hour(datetime.now(UTC))
    lake = ctx.work / "lambda-lake"
    runs = []
    with FakeSpotify(profile=BENCH_PROFILE, now=hour) as fake:
        for _ in range(ctx.repeat):
            fake.reset_log()
            run = _invoke(fake, lake, hour, trace=False)
            runs.append({**run, "requests": len(fake.requests)})
        fake.reset_log()
        traced = _invoke(fake, lake, hour, trace=True)
    ctx.record(Timing("lambda_invocation", tuple(run["invocation_s"] for run in runs)))
    ctx.record(Timing("lambda_process_startup", tuple(run["startup_s"] for run in runs)))
    ctx.results["lambda"] = {
        "peak_rss_mb": _spread([run["peak_rss_mb"] for run in runs]),
        "ru_maxrss_mb": _spread([run["ru_maxrss_mb"] for run in runs]),
        "tracemalloc_peak_mb": traced["tracemalloc_peak_mb"],
        "requests": [run["requests"] for run in runs],
        "entries": [run["entries"] for run in runs],
        "written": [run["written"] for run in runs],
    }
