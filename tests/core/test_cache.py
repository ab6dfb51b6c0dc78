from __future__ import annotations

import os
import uuid

import pytest
import redis

from core.cache import RedisCache

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/2")


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("No Redis at TEST_REDIS_URL")
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield backend
    backend.clear()


def test_one_client_serves_every_call(redis_cache):
    redis_cache.set("a", {"x": 1})
    redis_cache.set("b", 2)
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.get_many(["a", "b", "c"]) == {"a": {"x": 1}, "b": 2}
    assert redis_cache.incr("b") == 3
