"""Bounded retries: 429, 5xx, timeouts and cut-off bodies retried within the invocation's time."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import requests
from spotipy.exceptions import SpotifyException

from ingest_lambda.errors import (
    DeadlineExceededError,
    QuotaExceededError,
    RetriesExhaustedError,
)

T = TypeVar("T")
LOGGER = logging.getLogger("ingest_lambda.retry")
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
QUOTA_EXCEEDED = "QUOTA_EXCEEDED"
MILLIS_PER_SECOND = 1000.0


class LambdaContext(Protocol):
    """The one method of the Lambda context object the ingestion uses."""

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the platform stops the invocation."""
        ...


class TransientResponseError(Exception):
    """A 2xx answer whose body was cut off or not the expected shape: worth another try."""


class TransientHttpError(Exception):
    """A retryable HTTP status seen outside spotipy (the token endpoint)."""

    def __init__(self, status: int, retry_after: str | None, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status
        self.retry_after = retry_after


class EndpointFailureError(Exception):
    """A transient failure of another endpoint met while making a request (the token endpoint,
    asked for a token before an API call): retried like the request, reported as `endpoint`'s."""

    def __init__(self, endpoint: str, cause: Exception) -> None:
        super().__init__(f"{endpoint}: {cause}")
        self.endpoint = endpoint
        self.cause = cause


# Checked in order: a Timeout is also a ConnectionError for connect timeouts.
TRANSIENT_EXCEPTIONS: tuple[tuple[type[Exception], str], ...] = (
    (requests.exceptions.Timeout, "timeout"),
    (requests.exceptions.ChunkedEncodingError, "truncated body"),
    (TransientResponseError, "truncated or malformed body"),
    (requests.exceptions.ConnectionError, "connection error"),
)


@dataclass(frozen=True)
class Deadline:
    """Seconds left in the invocation, from the Lambda context or a local monotonic clock."""

    remaining: Callable[[], float]

    @classmethod
    def from_lambda_context(cls, context: LambdaContext) -> Deadline:
        """The Lambda's own deadline (`context.get_remaining_time_in_millis()`)."""
        return cls(lambda: context.get_remaining_time_in_millis() / MILLIS_PER_SECOND)

    @classmethod
    def after(cls, seconds: float, monotonic: Callable[[], float] = time.monotonic) -> Deadline:
        """A deadline `seconds` from now, for local runs."""
        end = monotonic() + seconds
        return cls(lambda: end - monotonic())


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry; every wait is also bounded by the deadline."""

    max_attempts: int = 6
    base_delay_s: float = 0.5
    max_delay_s: float = 8.0
    request_timeout_s: float = 10.0
    # Time kept back at the end of the invocation to log, write and raise cleanly.
    margin_s: float = 10.0

    def backoff(self, attempt: int) -> float:
        """Exponential backoff after failed attempt number `attempt` (1-based)."""
        return float(min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1)))


@dataclass(frozen=True)
class Transient:
    """Why an attempt failed and what the server asked us to wait (None when it did not say)."""

    reason: str
    retry_after_s: float | None
    # Who failed when it is not the request itself (the token endpoint); None: the request.
    failed: str | None = None


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a `Retry-After` header; None when missing, empty, zero or an HTTP date."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds > 0 else None


def classify(error: BaseException) -> Transient | None:
    """A `Transient` for failures worth retrying, None for everything else."""
    if isinstance(error, EndpointFailureError):
        cause = classify(error.cause)
        return (
            None if cause is None else Transient(cause.reason, cause.retry_after_s, error.endpoint)
        )
    if isinstance(error, SpotifyException):
        if error.http_status not in RETRYABLE_STATUSES:
            return None
        headers: Any = error.headers or {}
        reason = QUOTA_EXCEEDED if error.reason == QUOTA_EXCEEDED else f"HTTP {error.http_status}"
        return Transient(reason, parse_retry_after(headers.get("Retry-After")))
    if isinstance(error, TransientHttpError):
        return Transient(f"HTTP {error.status}", parse_retry_after(error.retry_after))
    for kind, reason in TRANSIENT_EXCEPTIONS:
        if isinstance(error, kind):
            return Transient(reason, None)
    return None


def call_with_retries(
    call: Callable[[float], T],
    *,
    what: str,
    policy: RetryPolicy,
    deadline: Deadline,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[T, int]:
    """Run `call(timeout_s)` until it succeeds, retrying transient failures within budget.

    Args:
        call: does one attempt; gets the request timeout to use, already cut to the deadline.
        what: names the request in logs and errors, e.g. "GET playlist <id> items page 2".
        policy: attempt limit, backoff and per-request timeout.
        deadline: the time left in the invocation.
        sleep: waits between attempts (injected by tests).

    Returns:
        The call's result and the number of attempts it took.

    Raises:
        DeadlineExceededError: no time left for an attempt or for the wait the server asked.
        RetriesExhaustedError: `policy.max_attempts` transient failures in a row.
        Exception: anything `classify` does not call transient, unchanged.
    """
    attempt = 0
    while True:
        attempt += 1
        budget = deadline.remaining() - policy.margin_s
        if budget <= 0:
            raise DeadlineExceededError(
                f"{what}: no time left in the invocation for attempt {attempt} "
                f"({budget + policy.margin_s:.1f} s left, {policy.margin_s:.1f} s kept back)"
            )
        try:
            return call(min(policy.request_timeout_s, budget)), attempt
        except Exception as error:
            transient = classify(error)
            if transient is None:
                raise
            _plan_retry(error, transient, attempt, what=what, policy=policy, deadline=deadline)
            wait = transient.retry_after_s or policy.backoff(attempt)
            sleep(wait)


def _plan_retry(
    error: Exception,
    transient: Transient,
    attempt: int,
    *,
    what: str,
    policy: RetryPolicy,
    deadline: Deadline,
) -> None:
    """Log the failed attempt; raise if another one is not allowed or not affordable."""
    wait = transient.retry_after_s or policy.backoff(attempt)
    budget = deadline.remaining() - policy.margin_s
    if transient.failed is not None:
        what = f"{transient.failed} (asked for a token for {what})"
    LOGGER.warning(
        "transient failure",
        extra={"what": what, "attempt": attempt, "reason": transient.reason, "wait_s": wait},
    )
    # The quota window is rolling (30 s): a short Retry-After is worth waiting for, but
    # when we give up the error must say QUOTA_EXCEEDED, not just "429".
    quota = transient.reason == QUOTA_EXCEEDED
    if quota and (attempt >= policy.max_attempts or wait >= budget):
        raise QuotaExceededError(what, attempt, transient.retry_after_s) from error
    if attempt >= policy.max_attempts:
        raise RetriesExhaustedError(
            f"{what}: gave up after {attempt} attempts, last failure: {transient.reason}. "
            "Spotify or the network is failing; the next scheduled hour tries again."
        ) from error
    if wait >= budget:
        asked = "as Retry-After asked" if transient.retry_after_s else "backing off"
        raise DeadlineExceededError(
            f"{what}: {transient.reason} on attempt {attempt}; waiting {wait:.1f} s ({asked}) "
            f"does not fit in the {max(budget, 0.0):.1f} s left of the invocation, so it gives "
            "up now and ends inside its timeout"
        ) from error
