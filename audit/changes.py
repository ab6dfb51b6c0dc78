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


def _secret(name: str, field: forms.Field) -> bool:
    """Passwords and the like are never written down, not even as changed."""
    return isinstance(field.widget, forms.PasswordInput) or any(
        word in name.lower() for word in ("password", "secret", "token")
    )


def _label(obj) -> str:
    return obj.audit_name() if hasattr(obj, "audit_name") else str(obj)


def _name(field: forms.ModelChoiceField, value) -> str:
    if value in (None, ""):
        return NOTHING
    if isinstance(value, field.queryset.model):
        return _label(value)
    found = field.queryset.model._default_manager.filter(pk=value).first()
    return _label(found) if found is not None else NOTHING


def _names(field: forms.ModelMultipleChoiceField, values) -> set[str]:
    return {_name(field, item) for item in values or []}


def _shown(field: forms.Field, value):
    """The value as the form offers it: a unit's name, a role's label, yes/no."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(sorted(_names(field, value))) or NOTHING
    if isinstance(field, forms.ModelChoiceField):
        return _name(field, value)
    if isinstance(field, forms.BooleanField):
        return _("yes") if value else _("no")
    if value in (None, ""):
        return NOTHING
    if isinstance(field, forms.ChoiceField):
        return dict(flatten_choices(field.choices)).get(str(value), value)
    return value


def _difference(field: forms.ModelMultipleChoiceField, before, after) -> str:
    """Who or what was added and removed: a group of thirty stays one line."""
    old, new = _names(field, before), _names(field, after)
    parts = [f"+ {name}" for name in sorted(new - old)]
    parts += [f"− {name}" for name in sorted(old - new)]
    return ", ".join(parts)


class FormChanges:
    """The fields a bound, valid form changed, each from its old value to its new."""

    def __init__(self, form: forms.BaseForm, *, exclude: tuple[str, ...] = ()):
        # Each item: a label, and the change as text (sets) or as the values
        # before and after.
        self.items = []
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
