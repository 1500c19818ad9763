"""Trino's (Athena engine 3's) types and implicit coercions, for checking SQL before DuckDB runs it.

The coercion rules follow Trino's `TypeCoercion.coerceTypeBase`: integers widen to larger
integers, real, double and decimal; real to double; decimal to real and double; date to
timestamp; char to varchar; NULL (`unknown`) to anything. Nothing converts between varchar and
numbers, dates, timestamps or booleans: Trino refuses `varchar = date` where DuckDB would cast.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

UNKNOWN = "unknown"
NUMERIC = ("tinyint", "smallint", "integer", "bigint", "real", "double", "decimal")
INTERVALS = ("interval day to second", "interval year to month")
DATETIMES = ("date", "time", "timestamp", "timestamp with time zone")
STRINGS = ("varchar", "char")
# Athena reads a Hive `timestamp` column as timestamp(3).
TIMESTAMP_PRECISION = 3
_YEAR_MONTH_UNITS = {"YEAR", "MONTH", "QUARTER"}

# Trino's coerceTypeBase: the base types each base type implicitly coerces to.
_COERCES_TO: dict[str, tuple[str, ...]] = {
    "tinyint": ("smallint", "integer", "bigint", "real", "double", "decimal"),
    "smallint": ("integer", "bigint", "real", "double", "decimal"),
    "integer": ("bigint", "real", "double", "decimal"),
    "bigint": ("real", "double", "decimal"),
    "decimal": ("real", "double"),
    "real": ("double",),
    "date": ("timestamp", "timestamp with time zone"),
    "timestamp": ("timestamp with time zone",),
    "time": ("time with time zone",),
    "char": ("varchar",),
}
_T = exp.DataType.Type
_BASES: dict[object, str] = {
    _T.TINYINT: "tinyint",
    _T.SMALLINT: "smallint",
    _T.INT: "integer",
    _T.BIGINT: "bigint",
    _T.FLOAT: "real",
    _T.DOUBLE: "double",
    _T.DECIMAL: "decimal",
    _T.VARCHAR: "varchar",
    _T.TEXT: "varchar",
    _T.CHAR: "char",
    _T.BOOLEAN: "boolean",
    _T.DATE: "date",
    _T.TIME: "time",
    _T.TIMESTAMP: "timestamp",
    _T.DATETIME: "timestamp",
    _T.TIMESTAMPTZ: "timestamp with time zone",
    _T.VARBINARY: "varbinary",
    _T.BINARY: "varbinary",
    _T.JSON: "json",
    _T.ARRAY: "array",
    _T.MAP: "map",
    _T.STRUCT: "row",
    _T.NULL: UNKNOWN,
}


@dataclass(frozen=True)
class TrinoType:
    """A Trino type: its base name, a varchar's length, the element types of array/map/row."""

    base: str
    length: int | None = None
    elements: tuple[TrinoType, ...] = ()

    def __str__(self) -> str:
        if self.base == "timestamp":
            return f"timestamp({TIMESTAMP_PRECISION})"
        if self.length is not None:
            return f"{self.base}({self.length})"
        if self.elements:
            return f"{self.base}({', '.join(str(e) for e in self.elements)})"
        return self.base


def _element_types(data_type: exp.DataType) -> tuple[TrinoType, ...] | None:
    elements = []
    for child in data_type.expressions:
        inner = child.args.get("kind") if isinstance(child, exp.ColumnDef) else child
        converted = from_data_type(inner) if isinstance(inner, exp.DataType) else None
        if converted is None:
            return None
        elements.append(converted)
    return tuple(elements)


def from_data_type(data_type: exp.DataType | None) -> TrinoType | None:
    """The Trino type sqlglot annotated, or None when sqlglot could not tell."""
    if data_type is None:
        return None
    base = _BASES.get(data_type.this)
    if base is None:
        return None
    if base in ("array", "map", "row"):
        elements = _element_types(data_type)
        return None if elements is None else TrinoType(base, elements=elements)
    return TrinoType(base)


def type_of(node: exp.Expr) -> TrinoType | None:
    """The Trino type of an annotated expression; a string literal is varchar(its length)."""
    if isinstance(node, exp.Paren):
        return type_of(node.this)
    if isinstance(node, exp.Literal) and node.is_string:
        return TrinoType("varchar", length=len(node.this))
    if isinstance(node, exp.Null):
        return TrinoType(UNKNOWN)
    if isinstance(node, exp.Interval):
        unit = node.unit.name.upper() if node.unit else ""
        return TrinoType(INTERVALS[1] if unit in _YEAR_MONTH_UNITS else INTERVALS[0])
    return from_data_type(node.type)


def common_super_type(first: TrinoType, second: TrinoType) -> TrinoType | None:
    """The type both coerce to, as Trino's TypeCoercion finds it, or None if there is none."""
    if first == second or second.base == UNKNOWN:
        return first
    if first.base == UNKNOWN:
        return second
    if first.base == second.base:
        return _same_base(first, second)
    if second.base in _COERCES_TO.get(first.base, ()):
        return common_super_type(TrinoType(second.base), second)
    if first.base in _COERCES_TO.get(second.base, ()):
        return common_super_type(first, TrinoType(first.base))
    return None


def _same_base(first: TrinoType, second: TrinoType) -> TrinoType | None:
    if first.base == "varchar":
        if first.length is None or second.length is None:
            return TrinoType("varchar")
        return TrinoType("varchar", length=max(first.length, second.length))
    if first.base in ("array", "map", "row"):
        if len(first.elements) != len(second.elements):
            return None
        commons = []
        for a, b in zip(first.elements, second.elements, strict=True):
            common = common_super_type(a, b)
            if common is None:
                return None
            commons.append(common)
        return TrinoType(first.base, elements=tuple(commons))
    # Same base, other parameters (decimal precision, char length): always compatible.
    return TrinoType(first.base)


def can_coerce(source: TrinoType, target_base: str) -> bool:
    """Whether `source` implicitly coerces to a type of base `target_base`."""
    return source.base in (target_base, UNKNOWN) or target_base in _COERCES_TO.get(source.base, ())


def is_numeric(kind: TrinoType) -> bool:
    """A number type (or NULL)."""
    return kind.base in (*NUMERIC, UNKNOWN)
