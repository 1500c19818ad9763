"""Entries whose position cannot place them: repeated in their snapshot, or out of its range.

The Lambda numbers entries 1..n itself, so neither can come from it; a hand-made or damaged
object can carry them. Before these checks, positions 1,1,3,1,5 became three chart_entry rows
with two entries counted nowhere (the dedupe on the row key kept one of each), and positions
0 and -7 were kept. Now every such entry is skipped with a named reason and counted.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

DUPLICATE_POSITION = "duplicate_position"
POSITION_OUT_OF_RANGE = "position_out_of_range"
FIRST_POSITION = 1


def entry_position(entry: Column, index: Column) -> Column:
    """An entry's position: the Lambda's 1-based `position`, else its place in the array."""
    return F.coalesce(entry["position"], index + FIRST_POSITION)


def with_snapshot_positions(snapshots_df: DataFrame) -> DataFrame:
    """Add, per snapshot, `entry_count` and `repeated_positions` (the positions more than one
    entry claims; null when none does, which is the cheap common case: one distinct pass)."""
    entries = F.col("snapshot.entries")
    positions = F.transform(entries, entry_position)
    distinct = F.array_distinct(positions)
    repeated = F.when(
        F.size(distinct) < F.size(positions),
        F.filter(distinct, lambda p: F.size(F.filter(positions, lambda q: q == p)) > 1),
    )
    return snapshots_df.withColumns(
        {"entry_count": F.size(entries), "repeated_positions": repeated}
    )


def position_skip_reason(position: Column) -> Column:
    """`position_out_of_range` (below 1 or past the snapshot's entries) or `duplicate_position`
    (every entry of a repeated position: none of them can be told to be the right one)."""
    repeated = F.coalesce(F.array_contains("repeated_positions", position), F.lit(False))
    return F.when(
        (position < FIRST_POSITION) | (position > F.col("entry_count")), POSITION_OUT_OF_RANGE
    ).when(repeated, DUPLICATE_POSITION)
