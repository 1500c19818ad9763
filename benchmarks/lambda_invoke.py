"""One ingestion Lambda invocation in a fresh process (run by `benchmarks.lambda_bench`).

Runs the real handler body (`handler.invoke`, what `lambda_handler` calls) with a runtime from
the handler's own builder for the local fake: the same spotipy source, the envelope and a local
writer instead of S3. Imports what the Lambda
imports (boto3 included) so the process memory is the Lambda's, not the benchmark's. Prints
one JSON line: wall time of the invocation, start-up time, peak RSS and tracemalloc peak.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest_lambda.runtime import Runtime

PROCESS_START = time.perf_counter()
KIB_PER_MIB = 1024
BYTES_PER_MIB = 2**20
LAMBDA_TIMEOUT_MS = 300_000
# Set by the parent: where the fake listens and its throwaway app's credentials.
ENV_PREFIX = "BENCH_FAKE_"


def _peak_resident_mb() -> float:
    """Peak resident set of this process image (VmHWM), the number a Lambda's memory limit meets.

    `ru_maxrss` is not it here: Linux keeps the high-water mark across exec, so a child of the
    (large) benchmark process inherits the parent's RSS as its own "maximum".
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / KIB_PER_MIB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / KIB_PER_MIB


class _Context:
    """The one method of the Lambda context the handler uses, with the template's timeout."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def get_remaining_time_in_millis(self) -> int:
        return LAMBDA_TIMEOUT_MS - int((time.monotonic() - self.started) * 1000)


def _runtime(lake: Path, settings_env: dict[str, str]) -> Runtime:
    """The handler's runtime from the one builder: the fake's URLs, memory, a lake folder."""
    from datetime import datetime

    from ingest_lambda.runtime import build_runtime
    from ingest_lambda.secrets import SpotifyCredentials
    from ingest_lambda.settings import AuthMode, Settings
    from spotify_etl.local_stores import LocalWriter, MemoryStore

    settings = Settings(
        lake_bucket=str(lake),
        playlist_ids=(settings_env["PLAYLIST_ID"],),
        auth_mode=AuthMode.REFRESH_TOKEN,
        secret_id="local-fake",
        api_profile=settings_env["PROFILE"],
        api_base_url=settings_env["BASE_URL"],
        token_url=settings_env["TOKEN_URL"],
    )
    credentials = SpotifyCredentials(settings_env["CLIENT_ID"], settings_env["CLIENT_SECRET"])
    authorized_at = datetime.fromisoformat(settings_env["AUTHORIZED_AT"])
    credentials = credentials.authorized(settings_env["REFRESH_TOKEN"], authorized_at)
    return build_runtime(settings, MemoryStore(credentials), LocalWriter(lake))


def main(argv: Sequence[str]) -> int:
    """Invoke once; `argv` is `LAKE [--trace]`."""
    lake, trace = Path(argv[0]), "--trace" in argv[1:]
    settings_env = {
        key.removeprefix(ENV_PREFIX): value
        for key, value in os.environ.items()
        if key.startswith(ENV_PREFIX)
    }
    from ingest_lambda import handler

    runtime = _runtime(lake, settings_env)
    ready = time.perf_counter()
    if trace:
        tracemalloc.start()
    event = {"scheduled_time": settings_env["SCHEDULED_TIME"]}
    summary = handler.invoke(event, _Context(), lambda: runtime)
    finished = time.perf_counter()
    traced_peak = tracemalloc.get_traced_memory()[1] if trace else None
    print(
        json.dumps(
            {
                "invocation_s": finished - ready,
                "startup_s": ready - PROCESS_START,
                "peak_rss_mb": _peak_resident_mb(),
                "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / KIB_PER_MIB,
                "tracemalloc_peak_mb": traced_peak / BYTES_PER_MIB if traced_peak else None,
                "written": summary["written"],
                "entries": summary["playlists"][0]["entries"],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
