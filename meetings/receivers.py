"""What meetings do when something below them changes (connected in apps.py)."""

from __future__ import annotations

from organisations.models import Membership

from .models import CalendarFeed


def end_feeds_of_inactive_members(
    sender: type[Membership], instance: Membership, **kwargs: object
) -> None:
    """A feed reaches the person's meetings without a sign-in: it ends with the
    membership, not just pauses (a new one is needed when it is active again)."""
    if not instance.is_active:
        CalendarFeed.objects.filter(membership=instance).delete()
