"""The shared cache on Redis, with one client per connection pool.

Django's Redis backend builds a new ``redis.Redis`` for every operation,
and each one fills a table of some 160 reply parsers before sending its
command: on a signed-in page (whose session is read through the cache) that
is a noticeable share of the request for nothing. A client is thread-safe
and holds no connection of its own (it borrows one from the pool for each
command), so one per pool serves every operation.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as BaseRedisCache
from django.core.cache.backends.redis import RedisCacheClient as BaseRedisCacheClient


class RedisCacheClient(BaseRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(BaseRedisCache):
    """Django's Redis cache (same options, keys and values), reusing its clients."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
