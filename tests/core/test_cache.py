from __future__ import annotations

import pytest

from core.cache import RedisCache, forget_health


@pytest.fixture
def redis_cache(redis_server):
    forget_health()
    backend = RedisCache(redis_server.url, {})
    yield backend
    forget_health()


@pytest.mark.django_db
def test_one_client_serves_every_call(redis_cache):
    redis_cache.set("a", {"x": 1})
    redis_cache.set("b", 2)
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.get_many(["a", "b", "c"]) == {"a": {"x": 1}, "b": 2}
    assert redis_cache.incr("b") == 3
