"""What a crawl found and changed since the last one: a summary for people, JSON for tools."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from spotify_etl.catalog.discovery import Column, Table


@dataclass(frozen=True)
class TableSummary:
    """A catalogued table's size: how many columns, partitions and data files."""

    name: str
    columns: int
    partitions: int
    files: int


@dataclass(frozen=True)
class CatalogState:
    """The part of the catalog a crawl compares: each table's columns and partition names."""

    columns: dict[str, tuple[Column, ...]] = field(default_factory=dict)
    partitions: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class CrawlReport:
    """The outcome of `crawl`: the tables now in the catalog and the changes since the last crawl.

    Partitions are named like Hive names them (`snapshot_date=2026-11-26`).
    """

    catalog_path: str
    tables: list[TableSummary]
    new_tables: list[str]
    removed_tables: list[str]
    new_partitions: dict[str, list[str]]
    removed_partitions: dict[str, list[str]]
    new_columns: dict[str, list[Column]]
    changed_columns: dict[str, list[str]]

    @property
    def changed(self) -> bool:
        """Whether this crawl changed the catalog at all."""
        return any(
            (
                self.new_tables,
                self.removed_tables,
                self.new_partitions,
                self.removed_partitions,
                self.new_columns,
                self.changed_columns,
            )
        )

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data."""
        return asdict(self) | {"changed": self.changed}

    def summary(self) -> str:
        """A few readable lines: the tables, then each kind of change (or that nothing changed)."""
        lines = [f"Catalog {self.catalog_path}: {len(self.tables)} table(s)"]
        width = max((len(t.name) for t in self.tables), default=0)
        lines += [
            f"  {t.name:<{width}}  {t.columns} columns, {t.partitions} partitions, {t.files} files"
            for t in self.tables
        ]
        if not self.changed:
            lines.append("No changes since the previous crawl.")
            return "\n".join(lines)
        if self.new_tables:
            lines.append(f"New tables: {', '.join(self.new_tables)}")
        if self.removed_tables:
            lines.append(f"Removed tables (folder gone): {', '.join(self.removed_tables)}")
        lines += _grouped("New partitions", self.new_partitions)
        lines += _grouped("Removed partitions (folder gone)", self.removed_partitions)
        new_columns = {
            table: [f"{c.name} {c.type}" for c in columns]
            for table, columns in self.new_columns.items()
        }
        lines += _grouped("New columns", new_columns)
        lines += _grouped("Changed column types", self.changed_columns)
        return "\n".join(lines)


_LISTED_ITEMS = 5


def _grouped(title: str, items: dict[str, list[str]]) -> list[str]:
    """`title:` then one line per table; long lists show their first and last few items."""
    if not items:
        return []
    lines = [f"{title}:"]
    for table, names in items.items():
        shown = names
        if len(names) > 2 * _LISTED_ITEMS:
            shown = [*names[:_LISTED_ITEMS], "...", *names[-_LISTED_ITEMS:]]
        lines.append(f"  {table} (+{len(names)}): {', '.join(shown)}")
    return lines


def partition_name(keys: tuple[str, ...], values: tuple[str, ...]) -> str:
    """The Hive name of a partition, e.g. `snapshot_date=2026-11-26`."""
    return "/".join(f"{key}={value}" for key, value in zip(keys, values, strict=True))


def compare(catalog_path: str, before: CatalogState, tables: list[Table]) -> CrawlReport:
    """Build the report of a crawl that found `tables`, given the catalog's state `before` it."""
    after_names = {t.name for t in tables}
    report = CrawlReport(
        catalog_path=catalog_path,
        tables=[
            TableSummary(t.name, len(t.columns), len(t.partitions), t.file_count) for t in tables
        ],
        new_tables=sorted(after_names - before.columns.keys()),
        removed_tables=sorted(before.columns.keys() - after_names),
        new_partitions={},
        removed_partitions={},
        new_columns={},
        changed_columns={},
    )
    for table in tables:
        names = {partition_name(table.partition_keys, p.values) for p in table.partitions}
        old_names = before.partitions.get(table.name, frozenset())
        if added := sorted(names - old_names):
            report.new_partitions[table.name] = added
        if removed := sorted(old_names - names):
            report.removed_partitions[table.name] = removed
        if table.name not in before.columns:
            continue
        old_types = {c.name: c.type for c in before.columns[table.name]}
        if added_columns := [c for c in table.columns if c.name not in old_types]:
            report.new_columns[table.name] = added_columns
        if changed := [
            f"{c.name} {old_types[c.name]} -> {c.type}"
            for c in table.columns
            if c.name in old_types and old_types[c.name] != c.type
        ]:
            report.changed_columns[table.name] = changed
    return report
