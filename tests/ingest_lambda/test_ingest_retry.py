"""Bounded retries, driven by scripted failures and a virtual clock."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from ingest_helpers import FAST_POLICY
from spotipy.exceptions import SpotifyException

from ingest_lambda.errors import (
    DeadlineExceededError,
    QuotaExceededError,
    RetriesExhaustedError,
)
from ingest_lambda.retry import (
    Deadline,
    RetryPolicy,
    TransientResponseError,
    call_with_retries,
    parse_retry_after,
)

POLICY = RetryPolicy(max_attempts=5, base_delay_s=1.0, max_delay_s=4.0, margin_s=10.0)


class VirtualTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self, budget_s: float) -> None:
        self.now = 0.0
        self.budget_s = budget_s
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def deadline(self) -> Deadline:
        return Deadline(lambda: self.budget_s - self.now)


def failing(errors: list[Exception]) -> tuple[Callable[[float], str], list[float]]:
    timeouts: list[float] = []

    def call(timeout_s: float) -> str:
        timeouts.append(timeout_s)
        if errors:
            raise errors.pop(0)
        return "ok"

    return call, timeouts


def http_error(status: int, retry_after: str | None = None, reason: str | None = None) -> Exception:
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    return SpotifyException(status, -1, "url:\n message", reason=reason, headers=headers)


@pytest.mark.parametrize(
    ("header", "expected_sleep"),
    [("0", 1.0), (None, 1.0), ("", 1.0), ("3", 3.0), ("Wed, 21 Oct 2026 07:28:00 GMT", 1.0)],
)
def test_retry_after_is_honoured_and_zero_or_missing_backs_off(
    header: str | None, expected_sleep: float
) -> None:
    time = VirtualTime(900)
    call, _ = failing([http_error(429, header)])
    assert call_with_retries(
        call, what="GET x", policy=POLICY, deadline=time.deadline(), sleep=time.sleep
    ) == ("ok", 2)
    assert time.sleeps == [expected_sleep]


def test_a_burst_of_5xx_backs_off_exponentially() -> None:
    time = VirtualTime(900)
    call, _ = failing([http_error(500), http_error(502), http_error(503), http_error(504)])
    result = call_with_retries(
        call, what="GET x", policy=POLICY, deadline=time.deadline(), sleep=time.sleep
    )
    assert result == ("ok", 5)
    assert time.sleeps == [1.0, 2.0, 4.0, 4.0]


def test_timeouts_and_cut_bodies_are_retried() -> None:
    time = VirtualTime(900)
    errors: list[Exception] = [
        requests.exceptions.ReadTimeout(),
        requests.exceptions.ChunkedEncodingError(),
        TransientResponseError("not JSON"),
        requests.exceptions.ConnectionError(),
    ]
    call, _ = failing(errors)
    assert call_with_retries(
        call, what="GET x", policy=POLICY, deadline=time.deadline(), sleep=time.sleep
    ) == ("ok", 5)


def test_attempts_are_bounded() -> None:
    time = VirtualTime(900)
    call, _ = failing([http_error(503)] * 10)
    with pytest.raises(RetriesExhaustedError, match="GET x: gave up after 5 attempts"):
        call_with_retries(
            call, what="GET x", policy=POLICY, deadline=time.deadline(), sleep=time.sleep
        )


def test_a_retry_after_longer_than_the_time_left_gives_up_at_once() -> None:
    time = VirtualTime(60)
    call, _ = failing([http_error(429, "21600")])
    with pytest.raises(
        DeadlineExceededError,
        match=r"HTTP 429 on attempt 1; waiting 21600.0 s \(as Retry-After asked\) does not fit "
        r"in the 50.0 s left",
    ):
        call_with_retries(
            call, what="GET x", policy=POLICY, deadline=time.deadline(), sleep=time.sleep
        )
    assert time.sleeps == []


def test_the_request_timeout_is_cut_to_the_time_left() -> None:
    time = VirtualTime(14.0)
    call, timeouts = failing([])
    call_with_retries(call, what="GET x", policy=POLICY, deadline=time.deadline(), sleep=time.sleep)
    assert timeouts == [4.0]


def test_no_attempt_is_started_inside_the_margin() -> None:
    time = VirtualTime(9.0)
    call, timeouts = failing([])
    with pytest.raises(DeadlineExceededError, match=r"no time left .* attempt 1"):
        call_with_retries(
            call, what="GET x", policy=POLICY, deadline=time.deadline(), sleep=time.sleep
        )
    assert timeouts == []


@pytest.mark.parametrize(
    "error",
    [
        http_error(404),
        http_error(403),
        ValueError("a bug"),
    ],
)
def test_other_failures_pass_through_untouched(error: Exception) -> None:
    time = VirtualTime(900)
    call, timeouts = failing([error])
    with pytest.raises(type(error)) as caught:
        call_with_retries(
            call, what="GET x", policy=FAST_POLICY, deadline=time.deadline(), sleep=time.sleep
        )
    assert caught.value is error
    assert len(timeouts) == 1


def test_quota_exceeded_waits_a_short_retry_after_then_says_so() -> None:
    time = VirtualTime(900)
    call, _ = failing([http_error(429, "2", reason="QUOTA_EXCEEDED")] * 2)
    assert call_with_retries(
        call, what="GET x", policy=POLICY, deadline=time.deadline(), sleep=time.sleep
    ) == ("ok", 3)
    time = VirtualTime(900)
    call, _ = failing([http_error(429, "2", reason="QUOTA_EXCEEDED")] * 9)
    expected = r"GET x answered 429 with reason QUOTA_EXCEEDED \(5 attempts, Retry-After 2 s\)"
    with pytest.raises(QuotaExceededError, match=expected):
        call_with_retries(
            call, what="GET x", policy=POLICY, deadline=time.deadline(), sleep=time.sleep
        )


def test_quota_exceeded_with_a_long_retry_after_gives_up_at_once() -> None:
    time = VirtualTime(900)
    call, _ = failing([http_error(429, "86400", reason="QUOTA_EXCEEDED")])
    with pytest.raises(QuotaExceededError, match=r"\(1 attempts, Retry-After 86400 s\)"):
        call_with_retries(
            call, what="GET x", policy=POLICY, deadline=time.deadline(), sleep=time.sleep
        )
    assert time.sleeps == []


@pytest.mark.parametrize(
    ("value", "expected"), [("7", 7.0), (" 2 ", 2.0), ("0", None), ("-3", None), (None, None)]
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected
