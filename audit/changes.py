"""What a form changed, said for the audit log: "Role: Staff → Manager".

The text is made when the row is written, in the organisation's language
(AuditEvent.record turns these objects into text inside its language), so
labels and choices stay lazy until then. Only for forms without case text:
members, units and settings.
"""

from __future__ import annotations

from django import forms
from django.utils.choices import flatten_choices
from django.utils.translation import gettext_lazy as _

NOTHING = "–"


def _name(field: forms.ModelChoiceField, value) -> str:
    if value in (None, ""):
        return NOTHING
    if isinstance(value, field.queryset.model):
        return str(value)
    found = field.queryset.model._default_manager.filter(pk=value).first()
    return str(found) if found is not None else NOTHING


def _shown(field: forms.Field, value):
    """The value as the form offers it: a unit's name, a role's label, yes/no."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        names = sorted(_name(field, item) for item in value or [])
        return ", ".join(names) or NOTHING
    if isinstance(field, forms.ModelChoiceField):
        return _name(field, value)
    if isinstance(field, forms.BooleanField):
        return _("yes") if value else _("no")
    if value in (None, ""):
        return NOTHING
    if isinstance(field, forms.ChoiceField):
        return dict(flatten_choices(field.choices)).get(str(value), value)
    return value


class FormChanges:
    """The fields a bound, valid form changed, each from its old value to its new."""

    def __init__(self, form: forms.BaseForm, *, exclude: tuple[str, ...] = ()):
        self.items = []
        for name in form.changed_data:
            if name in exclude:
                continue
            field = form.fields[name]
            before = form.get_initial_for_field(field, name)
            after = form.cleaned_data.get(name)
            self.items.append(
                (field.label, _shown(field, before), _shown(field, after))
            )

    def __bool__(self) -> bool:
        return bool(self.items)

    def __str__(self) -> str:
        return "; ".join(f"{label}: {old} → {new}" for label, old, new in self.items)


class Values:
    """Some fields of a form as they were saved: "Role: Staff; Unit: Barn"."""

    def __init__(self, form: forms.BaseForm, names: list[str]):
        self.items = [
            (
                form.fields[name].label,
                _shown(form.fields[name], form.cleaned_data[name]),
            )
            for name in names
        ]

    def __str__(self) -> str:
        return "; ".join(f"{label}: {value}" for label, value in self.items)
