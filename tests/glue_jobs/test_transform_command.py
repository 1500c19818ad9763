"""`spotify-etl transform`: options checked with the job's own rules, summary printed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from glue_jobs.charts import pipeline, spark
from glue_jobs.charts.config import JobConfig
from spotify_etl.cli import main


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--from-date", "2026-13-01", "--to-date", "2026-12-01"],
            "--from-date: '2026-13-01' is not a date YYYY-MM-DD",
        ),
        (["--to-date", "2026-12-01"], "--from-date and --to-date must be given together"),
        (["--snapshot-dates", "2026-11-31"], "--snapshot-dates: '2026-11-31' is not a date"),
    ],
)
def test_bad_dates_exit_2_naming_the_cli_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert main(["transform", "--lake", str(tmp_path), *extra]) == 2
    assert message in capsys.readouterr().err


def test_missing_raw_folder_says_to_ingest_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["transform", "--lake", str(tmp_path / "nowhere")]) == 2
    assert "ingest first" in capsys.readouterr().err


def test_runs_the_pipeline_with_the_parsed_config_and_prints_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "raw").mkdir()
    calls: list[JobConfig] = []

    class FakeSession:
        stopped = False

        def stop(self) -> None:
            FakeSession.stopped = True

    def fake_run(session: Any, config: JobConfig, on_phase: Any) -> dict[str, Any]:
        calls.append(config)
        on_phase("read")
        return {"mode": "backfill", "partitions_rebuilt": ["2026-11-24", "2026-11-25"]}

    # The session and the run are the job's own, tested in test_pipeline.py; here only the wiring.
    monkeypatch.setattr(spark, "build_local_spark", lambda **_: FakeSession())
    monkeypatch.setattr(pipeline, "run", fake_run)
    code = main(
        [
            "transform",
            "--lake",
            str(tmp_path),
            "--from-date",
            "2026-11-24",
            "--to-date",
            "2026-11-25",
        ]
    )
    assert code == 0
    assert calls == [JobConfig(str(tmp_path), (dt.date(2026, 11, 24), dt.date(2026, 11, 25)))]
    printed = capsys.readouterr()
    assert json.loads(printed.out)["partitions_rebuilt"] == ["2026-11-24", "2026-11-25"]
    assert printed.err.splitlines() == ["transform: read"]
    assert FakeSession.stopped
