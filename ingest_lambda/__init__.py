"""The hourly ingestion Lambda: Spotify playlist entries to raw gzip JSON snapshots in the lake."""
