"""The shared cache on Redis: Django's behaviour, one client per connection pool."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from emulation.cache import RedisCache

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


@pytest.fixture
def redis_cache():
    # Redis runs beside PostgreSQL wherever the suite runs (README): a
    # missing server fails here rather than skipping the test.
    redis.Redis.from_url(REDIS_URL).ping()
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-cache-{uuid.uuid4().hex}"})
    yield cache
    cache.delete_many(["session", "count"])


def test_redis_cache_stores_reads_and_forgets_values(redis_cache):
    redis_cache.set("session", {"user": "42"}, 60)
    redis_cache.set("count", 1, 60)

    assert redis_cache.get("session") == {"user": "42"}
    assert redis_cache.incr("count") == 2
    assert redis_cache.add("count", 5) is False
    redis_cache.delete("session")
    assert redis_cache.get("session", "gone") == "gone"


def test_redis_cache_builds_one_client_per_connection_pool(redis_cache):
    client = redis_cache._cache.get_client("session")

    redis_cache.set("session", "x", 60)
    redis_cache.get("session")

    assert redis_cache._cache.get_client("count", write=True) is client
