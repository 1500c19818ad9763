"""How long a stored refresh token has left: Spotify ends it six months after the authorisation.

Since 2026-07-20 (2026-06-18 for new apps) a refresh token expires six months after the user
authorised the app, and refreshing (even with rotation) does not extend it; the token endpoint
then answers `invalid_grant`. `spotify-etl auth` records `authorized_at` next to the token.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ingest_lambda.keys import format_timestamp
from ingest_lambda.logs import EMF_KEY

REFRESH_TOKEN_LIFETIME_MONTHS = 6
# Warn (logs, `spotify-etl` output) and alarm (CloudWatch) from this many days before the end.
WARNING_DAYS = 30
SECONDS_PER_DAY = 86_400
# The Lambda publishes the days left as an Embedded Metric Format log line: no API call, no IAM.
METRIC_NAMESPACE = "SpotifyChartsLake"
METRIC_NAME = "RefreshTokenDaysLeft"
METRIC_DIMENSION = "FunctionName"


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months later (clamped to the month's last day)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def refresh_token_expires_at(authorized_at: datetime) -> datetime:
    """When a refresh token from an authorisation at `authorized_at` stops working."""
    return add_months(authorized_at, REFRESH_TOKEN_LIFETIME_MONTHS)


@dataclass(frozen=True)
class RefreshTokenAge:
    """The stored refresh token's authorisation time, end and the time left at `now`."""

    authorized_at: datetime | None
    now: datetime

    @property
    def expires_at(self) -> datetime | None:
        """When the token ends (None: the authorisation time was never recorded)."""
        return None if self.authorized_at is None else refresh_token_expires_at(self.authorized_at)

    @property
    def days_left(self) -> float | None:
        """Days until the end, negative once past it (None when unknown)."""
        if self.expires_at is None:
            return None
        return (self.expires_at - self.now).total_seconds() / SECONDS_PER_DAY

    @property
    def needs_attention(self) -> bool:
        """True from WARNING_DAYS before the end, and when the end is unknown."""
        return self.days_left is None or self.days_left <= WARNING_DAYS

    def describe(self, fix_command: str) -> str:
        """One line for a person: days left, or what is wrong and the command that fixes it."""
        days, expires_at = self.days_left, self.expires_at
        if days is None or expires_at is None:
            return (
                "the stored refresh token has no authorized_at (it was stored before "
                "spotify-etl recorded it), so its end is unknown: Spotify ends a refresh token "
                "six months after the authorisation. Run "
                f"`{fix_command}` to start six new months and record the date"
            )
        authorised = format_timestamp(self.authorized_at) if self.authorized_at else "?"
        if days <= 0:
            return (
                f"the stored refresh token expired on {format_timestamp(expires_at)} (six months "
                f"after the authorisation on {authorised}): run `{fix_command}` to authorise again"
            )
        text = (
            f"refresh token: {days:.1f} days left (authorised {authorised}, ends "
            f"{format_timestamp(expires_at)})"
        )
        if days <= WARNING_DAYS:
            text += f": authorise again before then with `{fix_command}`"
        return text


def embedded_metric(days_left: float, function_name: str, now: datetime) -> dict[str, Any]:
    """The Embedded Metric Format fields that make CloudWatch record `METRIC_NAME`."""
    return {
        EMF_KEY: {
            "Timestamp": int(now.timestamp() * 1000),
            "CloudWatchMetrics": [
                {
                    "Namespace": METRIC_NAMESPACE,
                    "Dimensions": [[METRIC_DIMENSION]],
                    "Metrics": [{"Name": METRIC_NAME, "Unit": "None"}],
                }
            ],
        },
        METRIC_DIMENSION: function_name,
        METRIC_NAME: round(days_left, 3),
    }


def log_refresh_token_age(
    age: RefreshTokenAge, fix_command: str, logger: logging.Logger, function_name: str | None
) -> None:
    """One log line with the days left (WARNING when attention is needed), plus the metric
    in Embedded Metric Format when running as the Lambda `function_name`."""
    days = age.days_left
    fields: dict[str, Any] = {
        "refresh_token_days_left": None if days is None else round(days, 3),
        "refresh_token_expires_at": None
        if age.expires_at is None
        else format_timestamp(age.expires_at),
    }
    if days is not None and function_name:
        fields |= embedded_metric(days, function_name, age.now)
    level = logging.WARNING if age.needs_attention else logging.INFO
    logger.log(level, age.describe(fix_command), extra=fields)
