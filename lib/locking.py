"""Bulk changes that refuse to touch records which history has fixed.

Adopted value-base versions and signed-off reflections must not change through
`QuerySet.update()` or `delete()` either, which bypass model methods. A QuerySet
subclass says which of its rows are locked and what to raise.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class LockedRowsQuerySet[M: models.Model](models.QuerySet[M]):
    lock_error: type[Exception] = Exception
    lock_message = "These records are fixed."

    def locked(self) -> models.QuerySet[M]:
        """The rows of this selection that may no longer change."""
        raise NotImplementedError(
            f"{type(self).__name__} must say which of its rows are locked."
        )

    def _refuse_if_locked(self) -> None:
        if self.locked().exists():
            raise self.lock_error(self.lock_message)

    def update(self, **kwargs: Any) -> int:
        self._refuse_if_locked()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_if_locked()
        return super().delete()
