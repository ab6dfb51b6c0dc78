"""Django's Redis cache, with one Redis client per connection pool.

Django's own backend builds a new `redis.Redis` for every cache call, and each
one sets up its table of response callbacks: about a tenth of a millisecond
per call, several times on every page. The client is safe to share between
threads (its connections come from the pool), so each pool gets one.

Selected in config/settings.py when REDIS_URL is set.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient
