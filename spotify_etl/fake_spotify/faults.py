"""Fault injection: queued faults that the next matching requests answer with."""

from __future__ import annotations

import threading
from dataclasses import dataclass, fields, replace
from fnmatch import fnmatchcase

STATUS = "status"  # answer `status` with the API's error body (bursts of 500/502/503)
RATE_LIMIT = "rate_limit"  # 429 with Retry-After and the QUOTA_EXCEEDED body
SLOW = "slow"  # wait `delay` seconds, then answer normally
TRUNCATE = "truncate"  # promise the whole body in Content-Length, send half, close
FAULT_KINDS = (STATUS, RATE_LIMIT, SLOW, TRUNCATE)
ANY_PATH = "*"


class FaultSpecError(ValueError):
    """A fault description that cannot be used."""


@dataclass(frozen=True)
class Fault:
    """One kind of misbehaviour, for the next `count` requests whose path matches `path`.

    Attributes:
        kind: "status", "rate_limit", "slow" or "truncate".
        status: the HTTP status of a "status" fault (e.g. 500, 502, 503).
        path: an fnmatch pattern on the request path, e.g. "/v1/playlists/*/items" or "*/items".
        count: how many matching requests get the fault.
        retry_after: the Retry-After header of a 429, in seconds; None sends no header.
        empty_body: a 429 with an empty body instead of the JSON error.
        delay: seconds to wait before answering ("slow"; also allowed with other kinds).
    """

    kind: str = STATUS
    status: int = 503
    path: str = ANY_PATH
    count: int = 1
    retry_after: int | None = 0
    empty_body: bool = False
    delay: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise FaultSpecError(f"fault kind must be one of {FAULT_KINDS}, got {self.kind!r}")
        if self.count < 1:
            raise FaultSpecError(f"fault count must be at least 1, got {self.count}")
        if self.kind == STATUS and not 400 <= self.status <= 599:
            raise FaultSpecError(f"a status fault needs a 4xx/5xx status, got {self.status}")
        if self.delay < 0 or (self.retry_after is not None and self.retry_after < 0):
            raise FaultSpecError("delay and retry_after cannot be negative")

    def matches(self, path: str) -> bool:
        """True when this fault applies to a request for `path`."""
        return fnmatchcase(path, self.path)

    @classmethod
    def parse(cls, text: str) -> Fault:
        """Build a fault from `key=value,...`, e.g. `kind=status,status=503,count=2,path=*/items`.

        `retry_after=none` sends no Retry-After header.
        """
        known = {f.name: f.type for f in fields(cls)}
        values: dict[str, object] = {}
        for pair in filter(None, text.split(",")):
            key, sep, raw = pair.partition("=")
            key = key.strip()
            if not sep or key not in known:
                raise FaultSpecError(
                    f"bad fault part {pair!r} in {text!r}: use key=value with keys {sorted(known)}"
                )
            values[key] = _convert(key, raw.strip())
        return cls(**values)  # type: ignore[arg-type]


def _convert(key: str, raw: str) -> object:
    try:
        if key in ("kind", "path"):
            return raw
        if key == "retry_after":
            return None if raw.lower() == "none" else int(raw)
        if key == "empty_body":
            return raw.lower() in ("1", "true", "yes")
        if key == "delay":
            return float(raw)
        return int(raw)
    except ValueError:
        raise FaultSpecError(f"fault {key}={raw!r} is not a valid value") from None


class FaultQueue:
    """Thread-safe queue of faults; each matching request consumes one use of the first match."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Queue `fault` after the faults already queued."""
        with self._lock:
            self._faults.append(fault)

    def take(self, path: str) -> Fault | None:
        """The fault this request for `path` must suffer, if any (consumes one use)."""
        with self._lock:
            for index, fault in enumerate(self._faults):
                if fault.matches(path):
                    if fault.count == 1:
                        del self._faults[index]
                    else:
                        self._faults[index] = replace(fault, count=fault.count - 1)
                    return fault
        return None

    def pending(self) -> list[Fault]:
        """The faults still queued, with their remaining counts."""
        with self._lock:
            return list(self._faults)

    def clear(self) -> None:
        """Drop every queued fault."""
        with self._lock:
            self._faults.clear()
