"""Monthly AWS cost of the deployed lake (us-east-1 list prices), as printed in docs/cost.md."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace

HOURS_PER_MONTH = 730  # AWS pricing convention
MB_PER_GB = 1024
GB_PER_TB = 1024
# us-east-1 on-demand list prices (aws.amazon.com/<service>/pricing), before any free tier.
GLUE_STANDARD_PER_DPU_HOUR = 0.44
GLUE_FLEX_PER_DPU_HOUR = 0.29
GLUE_JOB_MINIMUM_MINUTES = 1.0  # Glue 2.0+ Spark jobs: per second, 1-minute minimum
CRAWLER_PER_DPU_HOUR = 0.44
CRAWLER_MINIMUM_MINUTES = 10.0
LAMBDA_PER_GB_SECOND = 0.0000166667  # x86_64
LAMBDA_PER_MILLION_REQUESTS = 0.20
S3_STANDARD_PER_GB_MONTH = 0.023
S3_PUT_LIST_PER_THOUSAND = 0.005
S3_GET_PER_THOUSAND = 0.0004
ATHENA_PER_TB_SCANNED = 5.0
ATHENA_MINIMUM_MB_PER_QUERY = 10
SECRET_PER_MONTH = 0.40
SECRETS_API_PER_TEN_THOUSAND = 0.05
SCHEDULER_PER_MILLION = 1.0  # after 14 million free invocations a month
ALARM_PER_MONTH = 0.10  # standard resolution
CUSTOM_METRIC_PER_MONTH = 0.30
LOGS_INGEST_PER_GB = 0.50
DPU_PER_WORKER = {"G.1X": 1, "G.2X": 2, "G.4X": 4, "G.8X": 8}


@dataclass(frozen=True)
class Usage:
    """A configuration and its usage assumptions (the stack's parameters plus estimates)."""

    name: str
    playlists: int = 1
    ingest_runs_per_day: int = 24
    glue_runs_per_day: int = 4
    glue_worker_type: str = "G.1X"
    glue_workers: int = 2
    glue_flex: bool = False
    glue_billed_minutes_per_run: float = 3.0  # startup + one small incremental run
    crawls_per_month: float = 52 / 12  # weekly
    crawler_dpus: int = 2
    lambda_memory_mb: int = 256  # billed as configured, whatever the peak (66 MB measured)
    # An hourly function starts cold every time, and INIT is billed (0.7 s measured locally).
    lambda_init_seconds: float = 1.0
    # Token, metadata, two pages of 50 and one S3 PUT: 0.4 s against the local fake, more over
    # the internet to Spotify.
    lambda_seconds_per_playlist: float = 1.0
    raw_kb_per_snapshot: float = 25.0  # 100 entries, 2026 shape, gzip: 24.2 KiB measured
    curated_mb_per_playlist_year: float = 25.0  # 25.1 MiB measured for a year of one playlist
    years_of_history: float = 1.0
    s3_puts_per_glue_run: int = 20
    s3_lists_per_glue_run: int = 50
    s3_gets_per_glue_run: int = 50
    athena_queries_per_month: int = 300
    athena_mb_scanned_per_query: float = 10.0
    alarms: int = 4
    # QuarantinedObjects and RefreshTokenDaysLeft (published in refresh_token mode, the default).
    custom_metrics: int = 2
    glue_log_mb_per_run: float = 3.0
    # The summary, one line per playlist and the refresh token's days left (with its metric).
    lambda_log_kb_per_run: float = 2.5


DEFAULT = Usage(name="default (1 playlist hourly, Glue every 6 h, standard)")
CHEAPER = replace(
    DEFAULT,
    name="cheaper (Glue daily on Flex, crawler monthly)",
    glue_runs_per_day=1,
    glue_flex=True,
    crawls_per_month=1,
)
HOURLY_GLUE = replace(DEFAULT, name="hourly Glue (not recommended)", glue_runs_per_day=24)
CONFIGURATIONS = (DEFAULT, CHEAPER, HOURLY_GLUE)


def usd(price: float) -> str:
    """A unit price as `$0.0000166667` or `$0.20`: no exponent, at least two decimals."""
    text = f"{price:.10f}".rstrip("0")
    whole, _, cents = text.partition(".")
    return f"${whole}.{cents.ljust(2, '0')}"


@dataclass(frozen=True)
class LineItem:
    """One service's monthly cost and the arithmetic behind it."""

    service: str
    formula: str
    cost: float


def _runs_per_month(per_day: float) -> float:
    return per_day * HOURS_PER_MONTH / 24


def lake_gb_stored(usage: Usage) -> float:
    """Raw snapshots plus curated tables after `usage.years_of_history` years."""
    months = usage.years_of_history * 12
    snapshots = _runs_per_month(usage.ingest_runs_per_day) * usage.playlists * months
    raw_gb = snapshots * usage.raw_kb_per_snapshot / MB_PER_GB**2
    curated_gb = usage.curated_mb_per_playlist_year * usage.playlists * usage.years_of_history
    return raw_gb + curated_gb / MB_PER_GB


def glue_items(usage: Usage) -> list[LineItem]:
    """The Glue job and the crawler."""
    runs = _runs_per_month(usage.glue_runs_per_day)
    dpus = DPU_PER_WORKER[usage.glue_worker_type] * usage.glue_workers
    minutes = max(usage.glue_billed_minutes_per_run, GLUE_JOB_MINIMUM_MINUTES)
    rate = GLUE_FLEX_PER_DPU_HOUR if usage.glue_flex else GLUE_STANDARD_PER_DPU_HOUR
    crawl_minutes = CRAWLER_MINIMUM_MINUTES
    return [
        LineItem(
            "Glue job",
            f"{runs:.1f} runs x {dpus} DPU x {minutes:g}/60 h x {usd(rate)}",
            runs * dpus * minutes / 60 * rate,
        ),
        LineItem(
            "Glue crawler",
            f"{usage.crawls_per_month:.2f} crawls x {usage.crawler_dpus} DPU x "
            f"{crawl_minutes:g}/60 h (minimum) x {usd(CRAWLER_PER_DPU_HOUR)}",
            usage.crawls_per_month * usage.crawler_dpus * crawl_minutes / 60 * CRAWLER_PER_DPU_HOUR,
        ),
    ]


def ingestion_items(usage: Usage) -> list[LineItem]:
    """The Lambda, its schedule and its secret."""
    invocations = _runs_per_month(usage.ingest_runs_per_day)
    seconds = usage.lambda_init_seconds + usage.lambda_seconds_per_playlist * usage.playlists
    gb_seconds = invocations * usage.lambda_memory_mb / 1024 * seconds
    return [
        LineItem(
            "Lambda",
            f"{invocations:.0f} x {usage.lambda_memory_mb}/1024 GB x {seconds:g} s x "
            f"{usd(LAMBDA_PER_GB_SECOND)} + {invocations:.0f} x "
            f"{usd(LAMBDA_PER_MILLION_REQUESTS)}/M",
            gb_seconds * LAMBDA_PER_GB_SECOND
            + invocations * LAMBDA_PER_MILLION_REQUESTS / 1_000_000,
        ),
        LineItem(
            "EventBridge Scheduler",
            f"{invocations:.0f} x {usd(SCHEDULER_PER_MILLION)}/M (free under 14 M)",
            invocations * SCHEDULER_PER_MILLION / 1_000_000,
        ),
        LineItem(
            "Secrets Manager",
            f"1 secret x {usd(SECRET_PER_MONTH)} + {invocations:.0f} reads x "
            f"{usd(SECRETS_API_PER_TEN_THOUSAND)}/10k",
            SECRET_PER_MONTH + invocations * SECRETS_API_PER_TEN_THOUSAND / 10_000,
        ),
    ]


def storage_items(usage: Usage) -> list[LineItem]:
    """S3 storage and requests, and Athena scans."""
    glue_runs = _runs_per_month(usage.glue_runs_per_day)
    snapshots = _runs_per_month(usage.ingest_runs_per_day) * usage.playlists
    puts = snapshots + glue_runs * (usage.s3_puts_per_glue_run + usage.s3_lists_per_glue_run)
    gets = glue_runs * usage.s3_gets_per_glue_run
    scanned_mb = max(usage.athena_mb_scanned_per_query, ATHENA_MINIMUM_MB_PER_QUERY)
    tb = usage.athena_queries_per_month * scanned_mb / MB_PER_GB / GB_PER_TB
    stored_gb = lake_gb_stored(usage)
    return [
        LineItem(
            "S3",
            f"{stored_gb:.2f} GB x {usd(S3_STANDARD_PER_GB_MONTH)} + {puts:.0f} "
            f"PUT/LIST x {usd(S3_PUT_LIST_PER_THOUSAND)}/1k + {gets:.0f} GET x "
            f"{usd(S3_GET_PER_THOUSAND)}/1k",
            stored_gb * S3_STANDARD_PER_GB_MONTH
            + puts * S3_PUT_LIST_PER_THOUSAND / 1000
            + gets * S3_GET_PER_THOUSAND / 1000,
        ),
        LineItem(
            "Athena",
            f"{usage.athena_queries_per_month} queries x {scanned_mb:g} MB (10 MB minimum) "
            f"x {usd(ATHENA_PER_TB_SCANNED)}/TB",
            tb * ATHENA_PER_TB_SCANNED,
        ),
    ]


def monitoring_items(usage: Usage) -> list[LineItem]:
    """Alarms, the quarantine metric and log ingestion (SNS e-mail and SQS stay free)."""
    log_gb = (
        _runs_per_month(usage.glue_runs_per_day) * usage.glue_log_mb_per_run / MB_PER_GB
        + _runs_per_month(usage.ingest_runs_per_day) * usage.lambda_log_kb_per_run / MB_PER_GB**2
    )
    return [
        LineItem(
            "CloudWatch alarms + metric",
            f"{usage.alarms} x {usd(ALARM_PER_MONTH)} + {usage.custom_metrics} x "
            f"{usd(CUSTOM_METRIC_PER_MONTH)}",
            usage.alarms * ALARM_PER_MONTH + usage.custom_metrics * CUSTOM_METRIC_PER_MONTH,
        ),
        LineItem(
            "CloudWatch Logs",
            f"{log_gb:.3f} GB x {usd(LOGS_INGEST_PER_GB)}",
            log_gb * LOGS_INGEST_PER_GB,
        ),
    ]


def line_items(usage: Usage) -> list[LineItem]:
    """Every line of the monthly bill for `usage`."""
    return [
        *glue_items(usage),
        *ingestion_items(usage),
        *storage_items(usage),
        *monitoring_items(usage),
    ]


def monthly_total(usage: Usage) -> float:
    """The monthly cost in USD, rounded up to the cent."""
    return math.ceil(sum(item.cost for item in line_items(usage)) * 100) / 100


def render_markdown(configurations: Sequence[Usage] = CONFIGURATIONS) -> str:
    """One markdown table per configuration, with each line's formula."""
    blocks = []
    for usage in configurations:
        rows = [f"**{usage.name}**", "", "| service | formula | USD/month |", "|---|---|---:|"]
        rows += [f"| {i.service} | {i.formula} | {i.cost:.2f} |" for i in line_items(usage)]
        rows.append(f"| **total** | | **{monthly_total(usage):.2f}** |")
        blocks.append("\n".join(rows))
    return "\n\n".join(blocks) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the cost tables (the block docs/cost.md embeds)."""
    argparse.ArgumentParser(prog="python -m deploy.cost_model", description=__doc__).parse_args(
        argv
    )
    sys.stdout.write(render_markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
