"""The refresh token's six months: end date, days left, the messages, the metric, the secret."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest_lambda.errors import SecretError
from ingest_lambda.logs import JsonFormatter
from ingest_lambda.secrets import SpotifyCredentials, parse_credentials
from ingest_lambda.token_age import (
    RefreshTokenAge,
    add_months,
    embedded_metric,
    log_refresh_token_age,
    refresh_token_expires_at,
)

AUTHORISED = datetime(2026, 8, 31, 9, 15, tzinfo=UTC)
FIX = "spotify-etl auth --lake lake"


def test_six_calendar_months_clamp_to_the_end_of_a_shorter_month() -> None:
    assert refresh_token_expires_at(AUTHORISED) == datetime(2027, 2, 28, 9, 15, tzinfo=UTC)
    assert add_months(datetime(2027, 8, 31, tzinfo=UTC), 6) == datetime(2028, 2, 29, tzinfo=UTC)
    assert add_months(datetime(2026, 7, 20, tzinfo=UTC), 6) == datetime(2027, 1, 20, tzinfo=UTC)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
def test_six_months_is_181_to_184_days_at_the_same_time_of_day(moment: datetime) -> None:
    authorised = moment.replace(tzinfo=UTC)
    end = refresh_token_expires_at(authorised)
    assert timedelta(days=181) <= end - authorised <= timedelta(days=184)
    assert end.time() == authorised.time()


@pytest.mark.parametrize(
    ("now", "days", "attention", "message"),
    [
        (
            datetime(2026, 9, 1, 9, 15, tzinfo=UTC),
            180.0,
            False,
            "refresh token: 180.0 days left (authorised 2026-08-31T09:15:00Z, ends "
            "2027-02-28T09:15:00Z)",
        ),
        (
            datetime(2027, 1, 29, 9, 15, tzinfo=UTC),
            30.0,
            True,
            "refresh token: 30.0 days left (authorised 2026-08-31T09:15:00Z, ends "
            f"2027-02-28T09:15:00Z): authorise again before then with `{FIX}`",
        ),
        (
            datetime(2027, 3, 1, 9, 15, tzinfo=UTC),
            -1.0,
            True,
            "the stored refresh token expired on 2027-02-28T09:15:00Z (six months after the "
            f"authorisation on 2026-08-31T09:15:00Z): run `{FIX}` to authorise again",
        ),
    ],
)
def test_days_left_and_what_to_do(
    now: datetime, days: float, attention: bool, message: str
) -> None:
    age = RefreshTokenAge(AUTHORISED, now)
    assert (age.days_left, age.needs_attention, age.describe(FIX)) == (days, attention, message)


def test_a_token_stored_without_authorized_at_has_an_unknown_end_and_says_so() -> None:
    age = RefreshTokenAge(None, datetime(2026, 9, 1, tzinfo=UTC))
    assert (age.expires_at, age.days_left, age.needs_attention) == (None, None, True)
    assert age.describe(FIX) == (
        "the stored refresh token has no authorized_at (it was stored before spotify-etl "
        "recorded it), so its end is unknown: Spotify ends a refresh token six months after "
        f"the authorisation. Run `{FIX}` to start six new months and record the date"
    )


def test_the_metric_follows_the_embedded_metric_format() -> None:
    now = datetime(2027, 1, 29, 9, 15, tzinfo=UTC)
    document = embedded_metric(30.0, "charts-ingest", now)
    [directive] = document["_aws"]["CloudWatchMetrics"]
    assert document["_aws"]["Timestamp"] == int(now.timestamp() * 1000)
    # Every metric and dimension the directive names is a root member of the right type.
    [[dimension]] = directive["Dimensions"]
    [metric] = directive["Metrics"]
    assert (dimension, document[dimension]) == ("FunctionName", "charts-ingest")
    assert (metric["Name"], document[metric["Name"]]) == ("RefreshTokenDaysLeft", 30.0)
    assert directive["Namespace"] == "SpotifyChartsLake"


def _logged(
    caplog: pytest.LogCaptureFixture, function_name: str | None, now: datetime
) -> dict[str, object]:
    caplog.clear()
    logger = logging.getLogger("tests.token_age")
    with caplog.at_level(logging.INFO, logger=logger.name):
        log_refresh_token_age(RefreshTokenAge(AUTHORISED, now), FIX, logger, function_name)
    [record] = caplog.records
    document: dict[str, object] = json.loads(JsonFormatter().format(record))
    return document


def test_the_log_line_carries_the_metric_only_in_a_lambda_and_warns_from_30_days(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calm = _logged(caplog, None, datetime(2026, 9, 1, 9, 15, tzinfo=UTC))
    assert (calm["level"], calm["refresh_token_days_left"], "_aws" in calm) == (
        "INFO",
        180.0,
        False,
    )
    warned = _logged(caplog, "charts-ingest", datetime(2027, 2, 18, 9, 15, tzinfo=UTC))
    assert (warned["level"], warned["RefreshTokenDaysLeft"], warned["FunctionName"]) == (
        "WARNING",
        10.0,
        "charts-ingest",
    )
    assert warned["refresh_token_expires_at"] == "2027-02-28T09:15:00Z"


def test_the_secret_keeps_authorized_at_and_old_values_without_it_stay_readable() -> None:
    credentials = SpotifyCredentials("id", "secret").authorized("AQtoken", AUTHORISED)
    text = credentials.to_json()
    assert json.loads(text)["authorized_at"] == "2026-08-31T09:15:00Z"
    assert parse_credentials(text, "memory") == credentials
    rotated = credentials.with_refresh_token("AQrotated")
    assert rotated.authorized_at == AUTHORISED
    old = parse_credentials('{"client_id": "id", "client_secret": "s", "refresh_token": "AQ"}', "x")
    assert (old.refresh_token, old.authorized_at) == ("AQ", None)
    app_only = SpotifyCredentials("id", "secret", authorized_at=AUTHORISED)
    assert "authorized_at" not in json.loads(app_only.to_json())


@pytest.mark.parametrize("value", ["yesterday", "2026-08-31T09:15:00", 17])
def test_a_malformed_authorized_at_is_refused_with_the_fix(value: object) -> None:
    text = json.dumps({"client_id": "i", "client_secret": "s", "authorized_at": value})
    with pytest.raises(SecretError) as caught:
        parse_credentials(text, "file s.json", FIX)
    assert str(caught.value) == (
        f"file s.json holds authorized_at={value!r}, not a UTC time such as "
        f"2026-11-26T07:00:00Z; store the credentials again with `{FIX}`"
    )
