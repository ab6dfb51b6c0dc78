"""Sign-in backends that read the signed-in person from the shared cache.

Every request loads its person (`request.user`) by primary key; Django's
backends ask the database each time. These keep the person in Redis for a few
minutes under a stamp raised whenever the account is saved or deleted (a new
password, a deactivation, a new name), so a change holds from the next request:
the session's check against the password hash then reads the new hash. See
lib/stamps.py; with a cache local to each process and several processes the
database is asked as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.cache import cache

from lib import stamps

from .models import User

USER_TIMEOUT = 300


def stamp_key(user_id: int) -> str:
    return f"accounts:user-stamp:{user_id}"


def account_changed(user_id: int) -> None:
    stamps.raise_stamp(stamp_key(user_id))


# The mixin goes on ModelBackend and on allauth's backend, which builds on it.
if TYPE_CHECKING:
    _Backend = DjangoModelBackend
else:
    _Backend = object


class CachedUserMixin(_Backend):
    def get_user(self, user_id: int) -> User | None:
        if not stamps.enabled():
            return super().get_user(user_id)
        key = f"accounts:user:{user_id}"
        found = cache.get_many([key, stamp_key(user_id)])
        stamp = stamps.current(found, stamp_key(user_id))
        entry: tuple[int, User] | None = found.get(key)
        if entry is not None and stamp is not None and entry[0] == stamp:
            user: User | None = entry[1]
        else:
            user = super().get_user(user_id)
            if user is None:
                return None
            if stamp is not None:
                cache.set(key, (stamp, user), USER_TIMEOUT)
        return user if self.user_can_authenticate(user) else None


class ModelBackend(CachedUserMixin, DjangoModelBackend):
    pass


# allauth ships no type information, so its backend is untyped to the checker.
class AuthenticationBackend(CachedUserMixin, AllauthBackend):  # type: ignore[misc]
    pass
