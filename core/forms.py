"""The one way a form is drawn: `{{ form }}` anywhere, ours or a library's."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Draws a form with the product's pattern: the error summary linking to
    each field, then each field with its label, hint and message.

    Through the project's template engine, so that a form of a library (the
    account pages of django-allauth) reads like ours.
    """

    form_template_name = "includes/form_fields.html"
    field_template_name = "includes/field.html"
