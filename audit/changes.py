"""What a form changed, said for the audit log: "Role: Staff → Manager".

The text is made when the row is written, in the organisation's language
(AuditEvent.record turns these objects into text inside its language), so
labels and choices stay lazy until then. Only for forms without case text:
members, units and settings.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from django import forms
from django.utils.choices import flatten_choices
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models import Model
    from django_stubs_ext import StrOrPromise

NOTHING = "–"

# A field's label, and the change as text (sets) or as the values before and after.
Change = tuple["StrOrPromise | None", str | tuple[object, object]]


def _secret(name: str, field: forms.Field) -> bool:
    """Passwords and the like are never written down, not even as changed."""
    return isinstance(field.widget, forms.PasswordInput) or any(
        word in name.lower() for word in ("password", "secret", "token")
    )


def _label(obj: object) -> str:
    if hasattr(obj, "audit_name"):
        name: str = obj.audit_name()
        return name
    return str(obj)


def _name(field: forms.ModelChoiceField[Model], value: object) -> str:
    if value in (None, ""):
        return NOTHING
    # Every model choice field of our forms is given its queryset.
    assert field.queryset is not None
    if isinstance(value, field.queryset.model):
        return _label(value)
    found = field.queryset.model._default_manager.filter(pk=value).first()
    return _label(found) if found is not None else NOTHING


def _names(
    field: forms.ModelMultipleChoiceField[Model], values: Iterable[object] | None
) -> set[str]:
    return {_name(field, item) for item in values or []}


def _shown(field: forms.Field, value: object) -> object:
    """The value as the form offers it: a unit's name, a role's label, yes/no."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        # Its value: the chosen objects (or their keys), or nothing.
        chosen = cast(Iterable[object] | None, value)
        return ", ".join(sorted(_names(field, chosen))) or NOTHING
    if isinstance(field, forms.ModelChoiceField):
        return _name(field, value)
    if isinstance(field, forms.BooleanField):
        return _("yes") if value else _("no")
    if value in (None, ""):
        return NOTHING
    if (named := getattr(field, "audit_name", None)) is not None:
        # A field whose choices are named in the language of the request says
        # how to name a value lazily, in the language of the row.
        return named(value)
    if isinstance(field, forms.ChoiceField):
        # A choice field keeps its choices as pairs and groups of pairs.
        choices = cast(Iterable[tuple[object, object]], field.choices)
        return dict(flatten_choices(choices)).get(str(value), value)
    return value


def _difference(
    field: forms.ModelMultipleChoiceField[Model],
    before: Iterable[object] | None,
    after: Iterable[object] | None,
) -> str:
    """Who or what was added and removed: a group of thirty stays one line."""
    old, new = _names(field, before), _names(field, after)
    parts = [f"+ {name}" for name in sorted(new - old)]
    parts += [f"− {name}" for name in sorted(old - new)]
    return ", ".join(parts)


class FormChanges:
    """The fields a bound, valid form changed, each from its old value to its new."""

    def __init__(self, form: forms.BaseForm, *, exclude: tuple[str, ...] = ()) -> None:
        self.items: list[Change] = []
        for name in form.changed_data:
            field = form.fields[name]
            if name in exclude or _secret(name, field):
                continue
            before = form.get_initial_for_field(field, name)
            after = form.cleaned_data.get(name)
            if isinstance(field, forms.ModelMultipleChoiceField):
                self.items.append((field.label, _difference(field, before, after)))
            else:
                # Kept apart until __str__: labels and yes/no are translated then.
                self.items.append(
                    (field.label, (_shown(field, before), _shown(field, after)))
                )

    def __bool__(self) -> bool:
        return bool(self.items)

    def __str__(self) -> str:
        return "; ".join(
            f"{label}: {change}"
            if isinstance(change, str)
            else f"{label}: {change[0]} → {change[1]}"
            for label, change in self.items
        )


class Values:
    """Some fields of a form as they were saved: "Role: Staff; Unit: Barn"."""

    def __init__(self, form: forms.BaseForm, names: list[str]) -> None:
        self.items: list[tuple[StrOrPromise | None, object]] = [
            (
                form.fields[name].label,
                _shown(form.fields[name], form.cleaned_data[name]),
            )
            for name in names
        ]

    def __str__(self) -> str:
        return "; ".join(f"{label}: {value}" for label, value in self.items)
