"""When each step of `collect` is due: ingest at every hour, transform and crawl every N hours.

Pure functions of the time, so the loop can be tested on a simulated clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ingest_lambda.keys import truncate_to_hour

HOUR = timedelta(hours=1)
HOURS_PER_DAY = 24
# Like the deployed schedules: EventBridge invokes the Lambda at :00, the Glue trigger fires
# every 6 hours at :15 (cloudformation/lake.yaml).
DEFAULT_TRANSFORM_EVERY_HOURS = 6
TRANSFORM_MINUTE = 15


@dataclass(frozen=True)
class Schedule:
    """Ingest at every full hour; transform (then crawl) at :15 of every N-th hour of the day."""

    transform_every_hours: int = DEFAULT_TRANSFORM_EVERY_HOURS

    def __post_init__(self) -> None:
        """Only divisors of 24 keep the same hours every day."""
        if HOURS_PER_DAY % self.transform_every_hours:
            raise ValueError(
                f"transform every {self.transform_every_hours} hours: use a divisor of 24 "
                "(1, 2, 3, 4, 6, 8, 12 or 24) so the runs fall at the same hours every day"
            )

    def next_ingest_after(self, now: datetime) -> datetime:
        """The next full hour strictly after `now`."""
        return truncate_to_hour(now) + HOUR

    def next_transform_after(self, now: datetime) -> datetime:
        """The next HH:15 strictly after `now` whose hour is a multiple of N."""
        start = truncate_to_hour(now).replace(hour=0)
        step = timedelta(hours=self.transform_every_hours)
        candidate = start + timedelta(minutes=TRANSFORM_MINUTE)
        while candidate <= now:
            candidate += step
        return candidate


def missed_slots(expected: datetime, current: datetime) -> list[datetime]:
    """The hour slots from `expected` up to (not including) `current`: hours nobody ingested."""
    slots = []
    slot = expected
    while slot < current:
        slots.append(slot)
        slot += HOUR
    return slots
