"""Typed access to the fields of a form."""

from __future__ import annotations

from django import forms


def form_field[F: forms.Field](form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """The form's own copy of the field `name`, as the kind of field it is.

    django-stubs types `form.fields[name]` as a plain Field, without what a
    ModelChoiceField adds (its queryset, its labels).
    """
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{name!r} is a {type(field).__name__}, not a {kind.__name__}")
    return field
