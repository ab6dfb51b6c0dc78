"""Every write that changes an insight figure raises its organisation's stamp.

The figures (insights/figures) read these rows, and nothing else of the
database: meetings (held, attendance counts), dilemmas and their value
tensions and voices, reflections (signed off, meeting, version, the person
present), actions, value tensions (titles), evaluations (state) and their
respondents, groups (their unit), units and the organisation (time zone,
evaluation minimum). Saving or deleting any of them, one by one or through
`QuerySet.delete` (which sends the same signals, once per row), raises the
stamp of the organisation it belongs to, and of no other
(insights.figures.kept).

What passes no signal, and why it needs none:

- citations are counted only once their reflection is signed off, and a
  signed-off reflection's citations never change (the database refuses it):
  the sign-off's save raises the stamp;
- answers and scores are written in bulk only when an evaluation closes,
  in the same transaction as the evaluation's save, which raises it;
- meetings made in bulk by a series are planned, not held; those cancelled in
  bulk were not held either;
- the retention rule blanks texts with plain updates: no figure reads a text,
  and whether a voice was asked stays; it still raises the stamp
  (`texts_erased`), so that nothing kept outlives an erasure.

Titles of the values and guidelines cited are covered by the value base's own
generation, which the kept figures also carry.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

from dilemmas.models import Dilemma, ValueTension, Voice
from evaluations.models import Evaluation, Respondent
from meetings.models import Meeting
from organisations.models import Organisation, ReflectionGroup, Unit
from reflections.models import Action, Reflection
from reflections.signals import texts_erased

from .figures.kept import figures_changed

# Rows that carry their organisation.
OWN: tuple[type[models.Model], ...] = (
    Meeting,
    Dilemma,
    Reflection,
    Action,
    ValueTension,
    Evaluation,
    ReflectionGroup,
    Unit,
)
# Rows that belong to one that does: the field that leads to it.
THROUGH: dict[type[models.Model], str] = {Voice: "dilemma", Respondent: "evaluation"}


def _owner(instance: models.Model, field: str) -> int | None:
    """The organisation of the row `field` leads to, without a query if it
    is at hand."""
    descriptor = instance._meta.get_field(field)
    if descriptor.is_cached(instance):  # type: ignore[union-attr]
        parent = getattr(instance, field)
        return parent.organisation_id if parent is not None else None
    model = descriptor.related_model
    assert isinstance(model, type) and issubclass(model, models.Model)
    return (
        model._default_manager.filter(pk=getattr(instance, f"{field}_id"))
        .values_list("organisation_id", flat=True)
        .first()
    )


def _own_changed(sender: type[models.Model], instance: Any, **kwargs: object) -> None:
    figures_changed(instance.organisation_id)


def _organisation_changed(
    sender: type[Organisation], instance: Organisation, **kwargs: object
) -> None:
    figures_changed(instance.pk)


def _part_changed(
    sender: type[models.Model], instance: models.Model, **kwargs: object
) -> None:
    # When the row it belongs to is deleted with it, that row's own signal
    # raises the stamp, and this may find nothing.
    figures_changed(_owner(instance, THROUGH[sender]))


def _tensions_changed(
    sender: type[models.Model],
    instance: Dilemma | ValueTension,
    action: str,
    **kwargs: object,
) -> None:
    if action.startswith("post_"):
        figures_changed(instance.organisation_id)


def _texts_erased(
    sender: type[Reflection], reflections: list[Reflection], **kwargs: object
) -> None:
    for organisation_id in {reflection.organisation_id for reflection in reflections}:
        figures_changed(organisation_id)


def connect() -> None:
    for signal in (post_save, post_delete):
        for model in OWN:
            signal.connect(
                _own_changed, sender=model, dispatch_uid=f"insights.{model.__name__}"
            )
        for model in THROUGH:
            signal.connect(
                _part_changed, sender=model, dispatch_uid=f"insights.{model.__name__}"
            )
        signal.connect(
            _organisation_changed,
            sender=Organisation,
            dispatch_uid="insights.Organisation",
        )
    m2m_changed.connect(
        _tensions_changed,
        sender=Dilemma.tensions.through,
        dispatch_uid="insights.tensions",
    )
    texts_erased.connect(_texts_erased, dispatch_uid="insights.erased")
