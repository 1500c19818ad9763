"""Packaging and one-command deployment of the lake to AWS (docs/deploy.md)."""
