"""The job's arguments: names shared with CloudFormation, parsing and validation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Glue passes every argument as `--name value`. The CloudFormation template uses these names.
REQUIRED_ARGS: tuple[str, ...] = ("JOB_NAME", "lake_root")
OPTIONAL_ARGS: tuple[str, ...] = ("snapshot_dates", "from_date", "to_date", "catalog_database")

DATE_FORMAT = "%Y-%m-%d"
# A range backfill longer than this is almost certainly a typo (e.g. 2016 for 2026).
MAX_BACKFILL_DAYS = 3660
S3_SCHEME = "s3://"


class ConfigError(ValueError):
    """An invalid job argument; the message names the flag and the expected form."""


@dataclass(frozen=True)
class JobConfig:
    """Everything a run needs, validated once.

    Attributes:
        lake_root: `s3://bucket[/prefix]` or a local folder holding raw/, curated/, ...
        snapshot_dates: dates to rebuild (a backfill); empty means incremental.
        catalog_database: Glue database whose tables get the written partitions, if any.
    """

    lake_root: str
    snapshot_dates: tuple[dt.date, ...] = ()
    catalog_database: str | None = None

    @property
    def is_backfill(self) -> bool:
        """True when the dates to rebuild were given instead of discovered."""
        return bool(self.snapshot_dates)


def parse_date(flag: str, value: str) -> dt.date:
    """Parse a YYYY-MM-DD value of `--flag`, or raise ConfigError naming the flag."""
    try:
        return dt.datetime.strptime(value.strip(), DATE_FORMAT).date()  # noqa: DTZ007
    except ValueError:
        raise ConfigError(f"--{flag}: {value!r} is not a date YYYY-MM-DD") from None


def _validate_lake_root(value: str) -> str:
    text = value.strip()
    if not text:
        raise ConfigError("--lake_root: empty; give s3://<bucket>[/prefix] or a local folder")
    if "://" in text and not text.startswith(S3_SCHEME):
        raise ConfigError(f"--lake_root: {value!r} must be s3://<bucket>[/prefix] or a local path")
    if text.startswith(S3_SCHEME) and not text[len(S3_SCHEME) :].split("/")[0]:
        raise ConfigError(f"--lake_root: {value!r} has no bucket name")
    return text.rstrip("/") or text


def _dates_from(options: Mapping[str, str]) -> tuple[dt.date, ...]:
    listed = options.get("snapshot_dates", "")
    start, end = options.get("from_date", ""), options.get("to_date", "")
    if listed and (start or end):
        raise ConfigError("--snapshot_dates cannot be combined with --from_date/--to_date")
    if listed:
        dates = {parse_date("snapshot_dates", part) for part in listed.split(",") if part.strip()}
        if not dates:
            raise ConfigError(f"--snapshot_dates: {listed!r} lists no date")
        return tuple(sorted(dates))
    if bool(start) != bool(end):
        raise ConfigError("--from_date and --to_date must be given together (inclusive range)")
    if not start:
        return ()
    first, last = parse_date("from_date", start), parse_date("to_date", end)
    if first > last:
        raise ConfigError(f"--from_date {first} is after --to_date {last}")
    days = (last - first).days + 1
    if days > MAX_BACKFILL_DAYS:
        raise ConfigError(f"--from_date/--to_date span {days} days; at most {MAX_BACKFILL_DAYS}")
    return tuple(first + dt.timedelta(days=offset) for offset in range(days))


def build_config(options: Mapping[str, str]) -> JobConfig:
    """Validate resolved arguments (`lake_root` plus any optional ones) into a JobConfig.

    An empty optional value counts as absent, so a template may default them to "".
    """
    if "lake_root" not in options:
        raise ConfigError("--lake_root is required")
    present = {name: options[name].strip() for name in OPTIONAL_ARGS if options.get(name)}
    return JobConfig(
        lake_root=_validate_lake_root(options["lake_root"]),
        snapshot_dates=_dates_from(present),
        catalog_database=present.get("catalog_database") or None,
    )


def refuse_abbreviations(argv: Sequence[str]) -> None:
    """Raise ConfigError for a shortened job argument (`--lake` for `--lake_root`).

    Glue 5.1's getResolvedOptions accepts any unambiguous prefix, Glue 6.0's only the full
    name: refused on both, a job works the same whichever version runs it.
    """
    names = (*REQUIRED_ARGS, *OPTIONAL_ARGS)
    for arg in argv:
        given = arg.split("=", 1)[0].removeprefix("--")
        if not arg.startswith("--") or given in names:
            continue
        meant = [name for name in names if name.startswith(given)]
        if given and meant:
            raise ConfigError(f"--{given}: give the full name --{meant[0]} (Glue 6.0 needs it)")


def optional_args_present(argv: Sequence[str]) -> list[str]:
    """The optional argument names given in `argv` (`--name value` or `--name=value`)."""
    return [
        name
        for name in OPTIONAL_ARGS
        if any(arg == f"--{name}" or arg.startswith(f"--{name}=") for arg in argv)
    ]
