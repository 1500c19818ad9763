"""What the JSON parse lets through silently: bytes that are not UTF-8, and data after the
JSON object (a second gzip member or document). Evaluated per raw body in the read.

Spark decodes a body to text replacing each invalid UTF-8 sequence with U+FFFD, and
`from_json` stops at the end of the first JSON value, ignoring whatever follows: a body of two
concatenated gzip members (`cat a.json.gz b.json.gz`) was read as the first one alone. Both
are quarantined with a named reason instead (`invalid_utf8`, `trailing_data`).
"""

from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F

EMPTY_BODY = "empty_body"
INVALID_UTF8 = "invalid_utf8"
TRAILING_DATA = "trailing_data"
DETAILS = {
    EMPTY_BODY: "the body holds no JSON value (nothing, or only whitespace)",
    INVALID_UTF8: "the body is not valid UTF-8",
    TRAILING_DATA: "the body holds more after its JSON object (a second gzip member or document)",
}
# `},{` joins objects inside an array; `}{` or `}` newline `{` joins two documents (two gzip
# members of compact JSON, or two lines).
_DOCUMENTS_JOINED = ("}{", "}\n{")


def is_valid_utf8(body: Column) -> Column:
    """True when the body's bytes are valid UTF-8.

    Spark 4 (Glue 6.0) has `is_valid_utf8`, a scan of the bytes. On Spark 3.5 (Glue 5.1) the
    text is encoded back from its decoded form: equal to its own bytes only if the decoding
    replaced nothing.
    """
    valid_utf8 = getattr(F, "is_valid_utf8", None)
    if valid_utf8 is not None:
        return valid_utf8(body)
    return F.encode(body, "UTF-8") == body.cast("binary")


def json_values(body: Column) -> Column:
    """How many JSON values the body holds side by side, for bodies that could hold other
    than one (null: several, or not JSON); 1 for the others, unlooked at.

    Exact but a second tokenisation: `json_array_length('[' || body || ']')` is 1 for one value,
    0 for none and null for two values side by side. It runs only for bodies that could have
    something after their object, which costs a look at the last byte and two byte searches: a
    body not ending in `}`, or holding `}{` or `}` newline `{`. Two documents joined by other
    whitespace (`} {`) would pass unseen; no writer of this lake produces that.
    """
    candidate = ~body.endswith("}")
    for joined in _DOCUMENTS_JOINED:
        candidate = candidate | body.contains(joined)
    wrapped = F.concat(F.lit("["), body, F.lit("]"))
    return F.when(candidate, F.json_array_length(wrapped)).otherwise(F.lit(1))


def body_problem(body: Column) -> Column:
    """`empty_body`, `invalid_utf8`, `trailing_data`, or null: what the parse would hide.

    (`from_json` turns an empty body into a null row, not a corrupt record.)
    """
    values = json_values(body)
    return (
        F.when(F.octet_length(body) == 0, F.lit(EMPTY_BODY))
        .when(~is_valid_utf8(body), F.lit(INVALID_UTF8))
        .when(values == 0, F.lit(EMPTY_BODY))
        .when(values.isNull() | (values > 1), F.lit(TRAILING_DATA))
    )
