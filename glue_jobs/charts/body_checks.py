"""What the JSON parse lets through silently: bytes that are not UTF-8, and data after the
JSON object (a second gzip member or document). Evaluated per raw body in the read.

Spark decodes a body to text replacing each invalid UTF-8 sequence with U+FFFD, and
`from_json` stops at the end of the first JSON value, ignoring whatever follows: a body of two
concatenated gzip members (`cat a.json.gz b.json.gz`) was read as the first one alone. Both
are quarantined with a named reason instead (`invalid_utf8`, `trailing_data`).

The reader parses each body as the one value of a wrapper object (glue_jobs/charts/reader.py):
that parse fails on anything after the body's object, so a body it takes is exactly one JSON
object and is only checked for UTF-8 (`one_object_problem`); the checks below run only for the
few bodies whose wrapper does not parse (`not_one_object_problem`), to name why.
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


def may_hold_more(body: Column) -> Column:
    """True for a body that could hold other than one JSON value: it does not end in `}`, or
    holds `}{` or `}` newline `{`. A look at the last byte and two byte searches; two
    documents joined by other whitespace (`} {`) are left to `not_one_object_problem`."""
    candidate = ~body.endswith("}")
    for joined in _DOCUMENTS_JOINED:
        candidate = candidate | body.contains(joined)
    return candidate


def json_values(body: Column) -> Column:
    """How many JSON values the body holds side by side: 1 for one value, 0 for none, null for
    several (or not JSON). Exact but a second tokenisation: `json_array_length` of the body
    in brackets; asked only of the bodies `may_hold_more` lets through."""
    return F.json_array_length(F.concat(F.lit("["), body, F.lit("]")))


def one_object_problem(body: Column) -> Column:
    """`invalid_utf8` or null, for a body already known to hold exactly one JSON object (the
    reader's wrapped parse proves it): the only problem such a body can still hide."""
    return F.when(~is_valid_utf8(body), F.lit(INVALID_UTF8))


def not_one_object_problem(body: Column, parsed_alone: Column) -> Column:
    """What a body that is not exactly one JSON object holds (the reader's wrapped parse
    failed): `body_problem`, else `trailing_data` when the body's first value still parses
    cleanly alone (`parsed_alone`: the parse of the body by itself was not corrupt), which
    names what `body_problem`'s byte searches miss, such as two documents joined by a space."""
    return F.coalesce(body_problem(body), F.when(parsed_alone, F.lit(TRAILING_DATA)))


def body_problem(body: Column) -> Column:
    """`empty_body`, `invalid_utf8`, `trailing_data`, or null: what the parse would hide.

    (`from_json` turns an empty body into a null row, not a corrupt record.) Each test is
    written once in the expression, so that Spark evaluates each at most once per body: a
    test repeated in several branches of a CASE WHEN is evaluated again in each (the byte
    searches of `may_hold_more` were 2-3x the cost of the JSON parse, docs/benchmarks.md).
    """
    values = json_values(body)
    trailing = (
        F.when(values == 1, F.lit(None).cast("string"))
        .when(values == 0, F.lit(EMPTY_BODY))
        .otherwise(F.lit(TRAILING_DATA))  # several values, or not JSON at all (null)
    )
    return (
        F.when(F.octet_length(body) == 0, F.lit(EMPTY_BODY))
        .when(~is_valid_utf8(body), F.lit(INVALID_UTF8))
        .when(may_hold_more(body), trailing)
    )
