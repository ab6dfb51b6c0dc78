"""Bulk changes that refuse to touch records which history has fixed.

Adopted value-base versions and signed-off reflections must not change through
`QuerySet.update()` or `delete()` either, which bypass model methods. A QuerySet
subclass says which of its rows are locked and what to raise.
"""

from __future__ import annotations

from django.db import models


class LockedRowsQuerySet(models.QuerySet):
    lock_error: type[Exception] = Exception
    lock_message = "These records are fixed."

    def locked(self) -> models.QuerySet:
        """The rows of this selection that may no longer change."""
        raise NotImplementedError

    def _refuse_if_locked(self) -> None:
        if self.locked().exists():
            raise self.lock_error(self.lock_message)

    def update(self, **kwargs):
        self._refuse_if_locked()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_locked()
        return super().delete()
