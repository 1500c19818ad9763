"""Trino's signatures for the functions where a string and a date (or a number) get mixed up.

Only the argument types a function refuses are listed, so a call is refused only when Trino
has no signature for it (`year(snapshot_date)` on the varchar partition key, `substr` of a
timestamp, `sum` of a varchar). Functions not listed are not checked here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlglot import exp

from spotify_etl.athena_types import DATETIMES, INTERVALS, NUMERIC, UNKNOWN, type_of

_TEXT = ("varchar", "char")
_TEXT_OR_BINARY = (*_TEXT, "varbinary")
_DATE_PARTS = (*DATETIMES, *INTERVALS)
_TIMESTAMPS = ("date", "timestamp", "timestamp with time zone")
_SUMMABLE = (*NUMERIC, *INTERVALS)
_DATETIME_SIGNATURES = (
    "date",
    "time(p)",
    "time(p) with time zone",
    "timestamp(p)",
    "timestamp(p) with time zone",
)


@dataclass(frozen=True)
class Signature:
    """A function, the types one of its arguments may have, and Trino's list of signatures."""

    name: str
    arguments: Callable[[exp.Expr], list[exp.Expr | None]]  # in Trino's order
    checked: tuple[int, ...]  # which arguments must have one of `accepts`' types
    accepts: tuple[str, ...]
    expected: str


def _this(node: exp.Expr) -> list[exp.Expr | None]:
    return [node.this]


def _args(*keys: str) -> Callable[[exp.Expr], list[exp.Expr | None]]:
    return lambda node: [node.args.get(key) for key in keys]


def _each(name: str, shapes: tuple[str, ...]) -> str:
    return ", ".join(f"{name}({shape})" for shape in shapes)


def _date_part(name: str) -> Signature:
    shapes = ("date", "timestamp(p)", "timestamp(p) with time zone")
    return Signature(name, _this, (0,), _DATE_PARTS, _each(name, shapes))


def _text(name: str, shapes: tuple[str, ...], keys: tuple[str, ...] = ("this",)) -> Signature:
    return Signature(name, _args(*keys), (0,), _TEXT, _each(name, shapes))


SIGNATURES: dict[type[exp.Expr], Signature] = {
    exp.DateAdd: Signature(
        "date_add",
        _args("unit", "expression", "this"),
        (2,),
        DATETIMES,
        _each("date_add", tuple(f"varchar(x), bigint, {s}" for s in _DATETIME_SIGNATURES)),
    ),
    # sqlglot keeps date_diff(unit, start, end) as this=end, expression=start.
    exp.DateDiff: Signature(
        "date_diff",
        _args("unit", "expression", "this"),
        (1, 2),
        DATETIMES,
        _each("date_diff", tuple(f"varchar(x), {s}, {s}" for s in _DATETIME_SIGNATURES)),
    ),
    exp.TimestampTrunc: Signature(
        "date_trunc",
        _args("unit", "this"),
        (1,),
        DATETIMES,
        _each("date_trunc", tuple(f"varchar(x), {s}" for s in _DATETIME_SIGNATURES)),
    ),
    exp.TimeToStr: Signature(
        "date_format",
        _args("this", "format"),
        (0,),
        _TIMESTAMPS,
        _each(
            "date_format", ("timestamp(p), varchar(x)", "timestamp(p) with time zone, varchar(x)")
        ),
    ),
    exp.TimeToUnix: Signature(
        "to_unixtime",
        _this,
        (0,),
        _TIMESTAMPS,
        _each("to_unixtime", ("timestamp(p)", "timestamp(p) with time zone")),
    ),
    exp.Year: _date_part("year"),
    exp.Quarter: _date_part("quarter"),
    exp.Month: _date_part("month"),
    exp.WeekOfYear: _date_part("week"),
    exp.Day: _date_part("day"),
    exp.DayOfWeekIso: _date_part("day_of_week"),
    exp.DayOfYear: _date_part("day_of_year"),
    exp.Hour: _date_part("hour"),
    exp.Minute: _date_part("minute"),
    exp.Substring: Signature(
        "substr",
        _args("this", "start", "length"),
        (0,),
        _TEXT_OR_BINARY,
        _each("substr", ("varchar(x), bigint", "varchar(x), bigint, bigint", "varbinary, bigint")),
    ),
    exp.Length: Signature(
        "length", _this, (0,), _TEXT_OR_BINARY, _each("length", ("varchar(x)", "varbinary"))
    ),
    exp.Lower: _text("lower", ("varchar(x)", "char(x)")),
    exp.Upper: _text("upper", ("varchar(x)", "char(x)")),
    exp.StrPosition: _text("strpos", ("varchar(x), varchar(y)",), ("this", "substr")),
    exp.StartsWith: _text("starts_with", ("varchar(x), varchar(y)",), ("this", "expression")),
    exp.Split: _text("split", ("varchar(x), varchar(y)",), ("this", "expression")),
    exp.RegexpLike: _text("regexp_like", ("varchar(x), JoniRegExp",), ("this", "expression")),
    exp.FromISO8601Timestamp: _text("from_iso8601_timestamp", ("varchar(x)",)),
    exp.StrToTime: _text("date_parse", ("varchar(x), varchar(y)",), ("this", "format")),
    exp.Sum: Signature(
        "sum", _this, (0,), _SUMMABLE, _each("sum", ("bigint", "decimal(p,s)", "double", "real"))
    ),
    exp.Avg: Signature(
        "avg", _this, (0,), _SUMMABLE, _each("avg", ("bigint", "decimal(p,s)", "double", "real"))
    ),
}


def _argument_text(node: exp.Expr | None) -> str:
    if isinstance(node, exp.Var):
        return f"varchar({len(node.name)})"
    kind = None if node is None else type_of(node)
    return str(kind) if kind is not None else UNKNOWN


def check_function(node: exp.Expr) -> str | None:
    """Trino's message when no signature of a listed function takes these arguments."""
    signature = SIGNATURES.get(type(node))
    if signature is None:
        return None
    arguments = signature.arguments(node)
    for index in signature.checked:
        argument = arguments[index]
        kind = None if argument is None else type_of(argument)
        if kind is not None and kind.base not in (*signature.accepts, UNKNOWN):
            shown = ", ".join(_argument_text(a) for a in arguments if a is not None)
            return (
                f"Unexpected parameters ({shown}) for function {signature.name}. "
                f"Expected: {signature.expected}"
            )
    return None
