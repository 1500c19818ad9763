"""Benchmarks of the charts lake at up to a year of hourly history (`python -m benchmarks.run`)."""
