"""How evaluations follow what happens to reflections (see reflections.signals)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.dispatch import receiver

from reflections.signals import signed_off, texts_erased

from .models import Answer
from .tasks import send_follow_up

if TYPE_CHECKING:
    from reflections.models import Reflection


@receiver(signed_off, dispatch_uid="evaluations.follow_up")
def _follow_up_after_sign_off(
    sender: type[Reflection], reflection: Reflection, **kwargs: object
) -> None:
    transaction.on_commit(lambda: send_follow_up.enqueue(reflection.pk))


@receiver(texts_erased, dispatch_uid="evaluations.erase_comments")
def _erase_comments_with_the_case(
    sender: type[Reflection], reflections: list[Reflection], **kwargs: object
) -> None:
    # A comment may speak of the case; the scores say nothing of it and stay.
    Answer.objects.filter(evaluation__reflection__in=reflections).exclude(
        comment=""
    ).update(comment="")
