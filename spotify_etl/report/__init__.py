"""The chart report: numbers from the local catalog, matplotlib charts, one HTML page."""
