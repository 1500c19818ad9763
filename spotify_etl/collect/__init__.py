"""`spotify-etl collect`: the whole chain on one machine, hour after hour (docs/collect.md)."""
