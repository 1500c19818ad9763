"""The cost model: the defaults stay under budget and match the template and docs/cost.md."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from deploy.cfn_yaml import TEMPLATES_DIR, load_template
from deploy.cost_model import (
    CHEAPER,
    DEFAULT,
    DPU_PER_WORKER,
    HOURLY_GLUE,
    lake_gb_stored,
    line_items,
    monthly_total,
    render_markdown,
    usd,
)
from deploy.package import REPO_ROOT

BUDGET_USD = 15.0
COST_DOC = REPO_ROOT / "docs" / "cost.md"
BEGIN, END = "<!-- cost-model:begin -->\n", "<!-- cost-model:end -->"


def runs_per_day(cron: str) -> int:
    """Runs per day of a `cron(m h * * ? *)` expression with an every-day hour field."""
    minute, hour, day, month, weekday, year = cron.removeprefix("cron(").removesuffix(")").split()
    assert (day, month, weekday, year) == ("*", "*", "?", "*"), cron
    assert minute.isdigit(), cron
    if hour == "*":
        return 24
    if "/" in hour:
        start, step = hour.split("/")
        return len(range(int(start), 24, int(step)))
    return len(hour.split(","))


@pytest.mark.parametrize(
    ("cron", "runs"),
    [
        ("cron(0 * * * ? *)", 24),
        ("cron(15 0/6 * * ? *)", 4),
        ("cron(5 3 * * ? *)", 1),
        ("cron(5 1,13 * * ? *)", 2),
    ],
)
def test_runs_per_day(cron: str, runs: int) -> None:
    assert runs_per_day(cron) == runs


def test_default_configuration_is_under_budget() -> None:
    assert monthly_total(DEFAULT) < BUDGET_USD
    assert monthly_total(CHEAPER) < monthly_total(DEFAULT)
    # Why the Glue job is not hourly by default.
    assert monthly_total(HOURLY_GLUE) > BUDGET_USD


def test_the_model_default_is_the_templates_default() -> None:
    parameters = load_template(TEMPLATES_DIR / "lake.yaml")["Parameters"]
    default = {name: spec.get("Default") for name, spec in parameters.items()}
    assert runs_per_day(default["GlueJobSchedule"]) == DEFAULT.glue_runs_per_day
    assert runs_per_day(default["IngestSchedule"]) == DEFAULT.ingest_runs_per_day
    assert default["GlueWorkerType"] == DEFAULT.glue_worker_type
    assert default["GlueNumberOfWorkers"] == DEFAULT.glue_workers
    assert (default["GlueExecutionClass"] == "FLEX") is DEFAULT.glue_flex
    resources = load_template(TEMPLATES_DIR / "lake.yaml")["Resources"]
    assert resources["IngestFunction"]["Properties"]["MemorySize"] == DEFAULT.lambda_memory_mb
    alarms = [r for r in resources.values() if r["Type"] == "AWS::CloudWatch::Alarm"]
    assert len(alarms) == DEFAULT.alarms


def test_glue_job_cost_is_runs_times_dpu_hours_times_price() -> None:
    # 4 runs a day for 730/24 days, 2 x G.1X = 2 DPU, 3 billed minutes, $0.44.
    [job] = [item for item in line_items(DEFAULT) if item.service == "Glue job"]
    assert job.cost == pytest.approx(4 * 730 / 24 * 2 * 3 / 60 * 0.44)
    flex = replace(DEFAULT, glue_flex=True, glue_billed_minutes_per_run=0.5)
    [job] = [item for item in line_items(flex) if item.service == "Glue job"]
    # Below the one-minute minimum a run is billed one minute.
    assert job.cost == pytest.approx(4 * 730 / 24 * 2 * 1 / 60 * 0.29)
    assert DPU_PER_WORKER["G.2X"] == 2


def test_lambda_and_storage_lines_follow_the_usage() -> None:
    # 730 invocations x 0.25 GB x (1 s cold start + 1 s for the one playlist).
    [function] = [item for item in line_items(DEFAULT) if item.service == "Lambda"]
    assert function.cost == pytest.approx(730 * 0.25 * 2 * 0.0000166667 + 730 * 0.2 / 1e6)
    three = replace(DEFAULT, playlists=3)
    [function] = [item for item in line_items(three) if item.service == "Lambda"]
    assert function.cost == pytest.approx(730 * 0.25 * 4 * 0.0000166667 + 730 * 0.2 / 1e6)
    # A year: 8,760 snapshots of 25 KB plus 25 MB of curated tables.
    assert lake_gb_stored(DEFAULT) == pytest.approx((8760 * 25 / 1024 + 25) / 1024)
    assert lake_gb_stored(replace(DEFAULT, years_of_history=2)) == pytest.approx(
        2 * lake_gb_stored(DEFAULT)
    )


def test_usd_never_prints_an_exponent() -> None:
    assert [usd(0.0000166667), usd(0.2), usd(5.0), usd(0.023)] == [
        "$0.0000166667",
        "$0.20",
        "$5.00",
        "$0.023",
    ]


def test_docs_embed_the_models_tables_unchanged() -> None:
    text = COST_DOC.read_text(encoding="utf-8")
    embedded = text[text.index(BEGIN) + len(BEGIN) : text.index(END)]
    assert embedded == render_markdown(), (
        "docs/cost.md is stale: paste `python -m deploy.cost_model` between the markers"
    )
    assert re.search(rf"\*\*{monthly_total(DEFAULT):.2f}\*\*", text)
