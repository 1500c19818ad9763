"""The hourly ingestion Lambda: Spotify playlist entries to raw gzip JSON snapshots in the lake."""

import importlib.util
import sys
import types

# spotipy 2.x imports `redis.RedisError` when it is imported, only for its RedisCacheHandler,
# which the Lambda never uses (decision 0083). The deployed zip leaves redis out (2.5 MB of the
# package, a third of a second of every cold start); this stand-in answers that one import.
# Where redis is installed (the dev environment) it is used as it is.
if importlib.util.find_spec("redis") is None:
    _redis = types.ModuleType("redis", "Stand-in: the Lambda zip ships without redis.")

    class RedisError(Exception):
        """Never raised: nothing in the Lambda talks to Redis."""

    RedisError.__module__ = _redis.__name__
    _redis.RedisError = RedisError  # type: ignore[attr-defined]
    sys.modules[_redis.__name__] = _redis
