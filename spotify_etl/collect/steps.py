"""The chain's steps on a local lake: ingest in-process, transform and crawl as child processes.

Transform (local Spark) and crawl (DuckDB, pyarrow) run as `spotify-etl transform|crawl`
children, so the JVM and their memory go back to the system between runs (decision 0081);
the ingest is the Lambda's runtime and core, run in this process.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from ingest_lambda.core import RunSummary
from ingest_lambda.errors import IngestError
from ingest_lambda.keys import format_timestamp
from ingest_lambda.secrets import SecretStore
from spotify_etl.collect.loop import FAILED, INTERRUPTED, OK, SKIPPED, StepResult
from spotify_etl.real_ingest import RealIngestPlan, ingest_scheduled_hour

# How a child stopped by Ctrl-C or a signal exits: 130 (the CLI's KeyboardInterrupt) or -N.
INTERRUPTED_CODES = frozenset({130, -signal.SIGINT, -signal.SIGTERM, -signal.SIGKILL})
ERROR_TAIL_CHARS = 300


def changed_raw_dates(lake: Path) -> list[str]:
    """The raw dates the next incremental transform would rebuild (the job's own rule)."""
    from glue_jobs.charts.state import changed_dates, list_raw, load_state
    from glue_jobs.charts.storage import LocalStorage

    storage = LocalStorage(lake)
    return [day.isoformat() for day in changed_dates(list_raw(storage), load_state(storage))]


def last_line(text: str) -> str:
    """The last non-empty line of a child's stderr (its one-line error), shortened."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][-ERROR_TAIL_CHARS:] if lines else "no output"


def ingest_detail(hour: datetime, summary: RunSummary) -> str:
    """`<hour>: W of N snapshot(s) written[; not written: id (code), ...]`."""
    written = len(summary.outcomes) - len(summary.failed)
    detail = f"{format_timestamp(hour)}: {written} of {len(summary.outcomes)} snapshot(s) written"
    if summary.failed:
        failed = ", ".join(f"{o.playlist_id} ({o.error_code})" for o in summary.failed)
        detail += f"; not written: {failed}"
    return detail


class LakeSteps:
    """Ingest, transform and crawl one lake; `keep_fds` (the collect lock) pass to children."""

    def __init__(
        self,
        plan: RealIngestPlan,
        store: SecretStore,
        *,
        clock: Callable[[], datetime],
        keep_fds: Sequence[int] = (),
    ) -> None:
        """Land snapshots by `plan` with the credentials in `store`."""
        self.plan = plan
        self.store = store
        self.clock = clock
        self.keep_fds = tuple(keep_fds)
        self.child: subprocess.Popen[str] | None = None

    def ingest(self, hour: datetime) -> StepResult:
        """The Lambda's core for `hour`; every failure is in the result, with what to do."""
        started = time.monotonic()
        try:
            result = ingest_scheduled_hour(self.plan, hour, self.store, clock=self.clock)
        except IngestError as error:
            detail = f"{format_timestamp(hour)}: {error.code}"
            return StepResult("ingest", FAILED, detail, time.monotonic() - started, (str(error),))
        summary, age = result.summary, result.token_age
        detail = ingest_detail(hour, summary)
        warnings = [f"{o.key}: {o.error_code}: {o.error}" for o in summary.failed]
        if age is not None and age.days_left is not None:
            detail += f"; refresh token {age.days_left:.1f} days left"
        if age is not None and age.needs_attention:
            warnings.append(age.describe(self.store.fix_command))
        outcome = FAILED if summary.failed else OK
        return StepResult("ingest", outcome, detail, time.monotonic() - started, tuple(warnings))

    def transform(self) -> StepResult:
        """The Glue job's incremental run on local Spark, when any raw date changed."""
        started = time.monotonic()
        try:
            dates = changed_raw_dates(self.plan.lake)
        except ValueError as error:  # an unreadable job state: the child would fail alike
            return StepResult("transform", FAILED, str(error), time.monotonic() - started)
        if not dates:
            detail = "no raw object changed since the last transform"
            return StepResult("transform", SKIPPED, detail, time.monotonic() - started)
        code, out, err = self.run_child("transform", "--lake", str(self.plan.lake))
        seconds = time.monotonic() - started
        if code != 0:
            return self._child_failed("transform", code, err, seconds)
        summary: dict[str, Any] = json.loads(out)
        rows = summary["rows_written"].get("chart_entry", 0)
        detail = (
            f"{len(summary['partitions_rebuilt'])} date(s) rebuilt "
            f"({', '.join(summary['partitions_rebuilt'])}), {summary['raw_objects_read']} raw "
            f"object(s) read, {rows} chart_entry row(s)"
        )
        quarantined = summary.get("quarantined") or {}
        warnings = (f"raw objects quarantined: {quarantined}",) if quarantined else ()
        return StepResult("transform", OK, detail, seconds, warnings)

    def crawl(self) -> StepResult:
        """The crawler's twin: the curated tables into `<lake>/catalog.duckdb`."""
        started = time.monotonic()
        if not (self.plan.lake / "curated").is_dir():
            detail = "no curated table yet"
            return StepResult("crawl", SKIPPED, detail, time.monotonic() - started)
        code, out, err = self.run_child("crawl", "--lake", str(self.plan.lake), "--json")
        seconds = time.monotonic() - started
        if code != 0:
            return self._child_failed("crawl", code, err, seconds)
        report: dict[str, Any] = json.loads(out)
        partitions = sum(len(names) for names in report["new_partitions"].values())
        detail = f"{len(report['tables'])} table(s), {partitions} new partition(s)"
        return StepResult("crawl", OK, detail, seconds)

    def _child_failed(self, step: str, code: int, err: str, seconds: float) -> StepResult:
        if code in INTERRUPTED_CODES:
            detail = f"stopped by a signal (exit {code}); it runs again at the next start"
            return StepResult(step, INTERRUPTED, detail, seconds)
        return StepResult(step, FAILED, f"exit {code}: {last_line(err)}", seconds)

    def run_child(self, *arguments: str) -> tuple[int, str, str]:
        """Run `spotify-etl <arguments>` with this Python; its exit code, stdout and stderr."""
        command = [sys.executable, "-m", "spotify_etl.cli", *arguments]
        with subprocess.Popen(  # noqa: S603
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            pass_fds=self.keep_fds,
        ) as child:
            self.child = child
            try:
                out, err = child.communicate()
            finally:
                self.child = None
        return child.returncode, out, err

    def interrupt_child(self) -> bool:
        """Stop the running child step now (a second Ctrl-C/SIGTERM); True if there was one."""
        child = self.child
        if child is None or child.poll() is not None:
            return False
        child.terminate()
        return True
